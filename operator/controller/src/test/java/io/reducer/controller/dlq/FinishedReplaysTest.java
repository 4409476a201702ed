package io.reducer.controller.dlq;

import static io.reducer.controller.dlq.DlqTestResources.replay;
import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.DlqReplayStatus;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import io.reducer.controller.oneshot.PhaseHistory;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FinishedReplaysTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void theOldestFinishedReplaysOfAPipelineBeyondTheLimitAreDeleted() {
    List<DlqReplay> replays = List.of(
        finished("a", "shop", DlqReplayPhase.Succeeded, 10),
        finished("b", "shop", DlqReplayPhase.Failed, 30),
        finished("c", "shop", DlqReplayPhase.Cancelled, 20),
        finished("d", "shop", DlqReplayPhase.Succeeded, 40),
        running("e", "shop"),
        finished("f", "billing", DlqReplayPhase.Succeeded, 0));

    assertThat(FinishedReplays.beyondLimit(replays, r -> r.getSpec().getPipelineRef().getName(), "shop", 2))
        .containsExactly("a", "c");
    assertThat(FinishedReplays.beyondLimit(replays, r -> r.getSpec().getPipelineRef().getName(), "billing", 2))
        .isEmpty();
    assertThat(FinishedReplays.beyondLimit(replays, r -> r.getSpec().getPipelineRef().getName(), "shop", 0))
        .containsExactly("a", "c", "b", "d");
  }

  @Test
  void aReplayAlreadyBeingDeletedIsNotCounted() {
    DlqReplay deleting = finished("a", "shop", DlqReplayPhase.Succeeded, 10);
    deleting.getMetadata().setDeletionTimestamp("2026-03-01T11:00:00Z");

    assertThat(FinishedReplays.beyondLimit(List.of(deleting, finished("b", "shop", DlqReplayPhase.Succeeded, 20)),
        r -> "shop", "shop", 1)).isEmpty();
  }

  private static DlqReplay finished(String name, String pipeline, DlqReplayPhase phase, int minute) {
    DlqReplay replay = running(name, pipeline);
    PhaseHistory.enter(replay.getStatus().getHistory(), phase.name(), T0.plusSeconds(60L * minute), "done");
    replay.getStatus().setPhase(phase);
    return replay;
  }

  private static DlqReplay running(String name, String pipeline) {
    DlqReplay replay = replay(name, pipeline);
    replay.setStatus(new DlqReplayStatus());
    PhaseHistory.enter(replay.getStatus().getHistory(), "Pending", T0, "Accepted");
    replay.getStatus().setPhase(DlqReplayPhase.Replaying);
    return replay;
  }
}
