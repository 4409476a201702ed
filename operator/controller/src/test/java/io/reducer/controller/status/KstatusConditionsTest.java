package io.reducer.controller.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KstatusConditionsTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void aStuckResourceIsNotReadyAndStalledAndNoLongerReconciling() {
    List<Condition> conditions = new ArrayList<>();
    KstatusConditions kstatus = KstatusConditions.on(conditions, 3, NOW);
    kstatus.ready(ConditionStatus.False, "MaterializersNotReady", "1 of 3 ready")
        .reconciling("MaterializersNotReady", "1 of 3 ready");

    kstatus.stuck("SecretNotFound", "create Secret orders/pg");

    assertThat(conditions).extracting(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
        .containsExactly("Ready=False/SecretNotFound", "Stalled=True/SecretNotFound");
    assertThat(conditions).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(3));
  }

  @Test
  void reconcilingAndStalledArePresentOnlyWhileTrue() {
    List<Condition> conditions = new ArrayList<>();
    KstatusConditions.on(conditions, 1, NOW).reconciling("ProbePending", "waiting").stalled("Refused", "fix it");
    KstatusConditions.on(conditions, 1, NOW).reconciling(null, null).notStalled()
        .ready(ConditionStatus.True, "MaterializersReady", "3 ready");

    assertThat(conditions).extracting(Condition::getType).containsExactly("Ready");
  }
}
