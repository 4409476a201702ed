package io.reducer.controller.oneshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.api.v1alpha1.common.PhaseTransition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhaseHistoryTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.600Z");

  @Test
  void recordsEachPhaseOnceWithItsTimeAndReason() {
    List<PhaseTransition> history = new ArrayList<>();
    PhaseHistory.enter(history, "Pending", T0, null);
    PhaseHistory.enter(history, "Pending", T0.plusSeconds(5), "again");
    PhaseHistory.enter(history, "Quiescing", T0.plusSeconds(7), "waiting for 2 members");

    assertThat(history).extracting(PhaseTransition::getPhase).containsExactly("Pending", "Quiescing");
    assertThat(history.get(1).getTime()).isEqualTo("2026-01-01T00:00:07.600Z");
    assertThat(history.get(1).getMessage()).isEqualTo("waiting for 2 members");
    assertThat(PhaseHistory.entered(history, "Quiescing")).isEqualTo(Instant.parse("2026-01-01T00:00:07.600Z"));
    assertThat(PhaseHistory.entered(history, "Completed")).isNull();
  }

  @Test
  void longMessagesAreCutToWhatKubernetesKeeps() {
    List<PhaseTransition> history = new ArrayList<>();
    PhaseHistory.enter(history, "Failed", T0, "x".repeat(10_000));
    assertThat(history.get(0).getMessage()).hasSize(PhaseHistory.MAX_MESSAGE).endsWith("...");
  }
}
