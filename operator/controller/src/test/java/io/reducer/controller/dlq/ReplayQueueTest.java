package io.reducer.controller.dlq;

import static io.reducer.controller.dlq.DlqTestResources.replay;
import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.DlqReplayStatus;
import io.reducer.api.v1alpha1.common.Approval;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ReplayQueueTest {

  private static final Function<DlqReplay, String> DLQ = r -> r.getSpec().getPipelineRef().getName() + "/dlq";

  @Test
  void aReplayWaitsForOneReplayingTheSameDlqAndForAnApprovedOneCreatedBefore() {
    DlqReplay running = replay("running", "shop", "2026-03-01T09:00:00Z", DlqReplayPhase.Replaying, false);
    DlqReplay older = replay("older", "shop", "2026-03-01T09:01:00Z", DlqReplayPhase.AwaitingApproval, true);
    DlqReplay self = replay("self", "shop", "2026-03-01T09:02:00Z", DlqReplayPhase.AwaitingApproval, true);
    DlqReplay younger = replay("younger", "shop", "2026-03-01T09:03:00Z", DlqReplayPhase.AwaitingApproval, true);
    DlqReplay unapproved = replay("unapproved", "shop", "2026-03-01T08:00:00Z", DlqReplayPhase.AwaitingApproval,
        false);
    DlqReplay elsewhere = replay("elsewhere", "other", "2026-03-01T08:00:00Z", DlqReplayPhase.Replaying, false);
    DlqReplay finished = replay("finished", "shop", "2026-03-01T08:00:00Z", DlqReplayPhase.Succeeded, false);
    List<DlqReplay> all = List.of(running, older, self, younger, unapproved, elsewhere, finished);

    assertThat(ReplayQueue.ahead(self, all, DLQ)).containsExactly("running", "older");
    assertThat(ReplayQueue.ahead(older, all, DLQ)).containsExactly("running");
    assertThat(ReplayQueue.ahead(younger, all, DLQ)).containsExactly("running", "older", "self");
    assertThat(ReplayQueue.ahead(elsewhere, all, DLQ)).isEmpty();
    assertThat(ReplayQueue.ahead(self, all, r -> null)).isEmpty();
  }

  private static DlqReplay replay(String name, String pipeline, String created, DlqReplayPhase phase,
      boolean approved) {
    DlqReplay replay = DlqTestResources.replay(name, pipeline);
    replay.getMetadata().setCreationTimestamp(created);
    if (approved) {
      replay.getMetadata().setAnnotations(Map.of(Approval.ANNOTATION, "true"));
    }
    DlqReplayStatus status = new DlqReplayStatus();
    status.setPhase(phase);
    replay.setStatus(status);
    return replay;
  }
}
