package io.reducer.controller.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.DlqReplayStatus;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import io.reducer.controller.decision.Decision;
import io.reducer.controller.workload.OwnedJobs;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A DlqReplay deleted and created again under the same name must not take the old one's Job (still there until
 * Kubernetes' garbage collector removes it, or for good if it was orphaned) for its own.
 */
class DlqJobOwnershipTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void theOldReplaysJobUnderTheSameNameBlocksTheNewReplayInsteadOfBeingAdopted() {
    DlqReplay old = DlqTestResources.replay("fix", "shop");
    old.getMetadata().setUid("uid-old");
    Job oldJob = DlqJobs.inspect(old, DlqTestResources.source("shop"), "registry.test/reducer-workloads:1");
    DlqReplay recreated = DlqTestResources.replay("fix", "shop");
    recreated.getMetadata().setUid("uid-new");
    recreated.setStatus(DlqReplayDecider.decide(recreated, new DlqReplayObservation(
        ReplaySource.Resolution.of(DlqTestResources.source("shop")), null, null, null, null), NOW).status());
    assertThat(recreated.getStatus().getPhase()).isEqualTo(DlqReplayPhase.Previewing);

    OwnedJobs.Lookup found = OwnedJobs.find(recreated, DlqJobs.inspectJobName(recreated), List.of(oldJob),
        () -> null);
    assertThat(found.owned()).isNull();
    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(recreated,
        DlqReplayReconciler.notOwned(recreated, found.foreign()), NOW.plusSeconds(2));

    assertThat(decision.effects()).isEmpty();
    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.Previewing);
    assertThat(decision.status().condition("Stalled").orElseThrow().getReason()).isEqualTo("JobNotOwned");
    assertThat(decision.status().getMessage())
        .contains("Job fix-inspect exists but belongs to DlqReplay fix (uid uid-old)")
        .contains("not to this DlqReplay (uid uid-new)");
  }
}
