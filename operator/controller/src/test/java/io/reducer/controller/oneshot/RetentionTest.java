package io.reducer.controller.oneshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.WatermarkResetStatus;
import io.reducer.api.v1alpha1.common.PhaseTransition;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void keepsTheNewestAndNamesTheRestOldestFirst() {
    List<Retention.Finished> finished = List.of(
        new Retention.Finished("b", T0.plusSeconds(20)),
        new Retention.Finished("a", T0.plusSeconds(10)),
        new Retention.Finished("d", T0.plusSeconds(40)),
        new Retention.Finished("c", T0.plusSeconds(30)));

    assertThat(Retention.beyondLimit(finished, 2)).containsExactly("a", "b");
    assertThat(Retention.beyondLimit(finished, 4)).isEmpty();
    assertThat(Retention.beyondLimit(finished, 0)).containsExactly("a", "b", "c", "d");
  }

  @Test
  void aFinishedResetIsPrunedByTheSameRuleAsAReplayRunningAndDeletingOnesDoNotCount() {
    WatermarkReset oldest = reset("oldest", WatermarkResetPhase.Completed, 10);
    WatermarkReset deleting = reset("deleting", WatermarkResetPhase.Failed, 5);
    deleting.getMetadata().setDeletionTimestamp("2026-01-01T01:00:00Z");
    WatermarkReset running = reset("running", WatermarkResetPhase.Quiescing, 1);
    WatermarkReset newest = reset("newest", WatermarkResetPhase.Completed, 30);

    assertThat(Retention.beyondLimit(List.of(newest, running, deleting, oldest), RetentionTest::finishedAt, 1))
        .containsExactly("oldest");
  }

  @Test
  void aHistoryWithoutItsFinalPhaseCountsAsTheOldest() {
    assertThat(Retention.finishedAt(WatermarkResetPhase.Completed, true, List.of())).isEqualTo(Instant.EPOCH);
    assertThat(Retention.finishedAt(WatermarkResetPhase.Quiescing, false, List.of())).isNull();
  }

  private static Instant finishedAt(WatermarkReset reset) {
    WatermarkResetPhase phase = reset.getStatus().getPhase();
    return Retention.finishedAt(phase, phase.isTerminal(), reset.getStatus().getHistory());
  }

  private static WatermarkReset reset(String name, WatermarkResetPhase phase, int second) {
    WatermarkReset reset = new WatermarkReset();
    reset.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("orders").build());
    WatermarkResetStatus status = new WatermarkResetStatus();
    status.setPhase(phase);
    List<PhaseTransition> history = new ArrayList<>();
    PhaseHistory.enter(history, phase.name(), T0.plusSeconds(second), "entered");
    status.setHistory(history);
    reset.setStatus(status);
    return reset;
  }
}
