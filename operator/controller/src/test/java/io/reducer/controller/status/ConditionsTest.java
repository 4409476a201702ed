package io.reducer.controller.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.api.v1alpha1.common.Bounds;
import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

  private static final Instant T1 = Instant.parse("2025-10-21T12:00:00.123Z");
  private static final Instant T2 = Instant.parse("2025-10-21T12:05:00Z");

  @Test
  void newConditionGetsItsTransitionTimeAndGeneration() {
    List<Condition> conditions = new ArrayList<>();

    boolean changed = Conditions.set(conditions, "Ready", ConditionStatus.True, "Reconciled", "ok", 3, T1);

    assertThat(changed).isTrue();
    assertThat(conditions).singleElement().satisfies(c -> {
      assertThat(c.getLastTransitionTime()).isEqualTo("2025-10-21T12:00:00Z");
      assertThat(c.getObservedGeneration()).isEqualTo(3L);
    });
  }

  @Test
  void sameObservationAgainIsNoChangeAndKeepsTheTransitionTime() {
    List<Condition> conditions = new ArrayList<>();
    Conditions.set(conditions, "Ready", ConditionStatus.True, "Reconciled", "ok", 3, T1);

    boolean changed = Conditions.set(conditions, "Ready", ConditionStatus.True, "Reconciled", "ok", 3, T2);

    assertThat(changed).as("nothing to write").isFalse();
    assertThat(conditions.get(0).getLastTransitionTime()).isEqualTo("2025-10-21T12:00:00Z");
  }

  @Test
  void newMessageOrGenerationIsAChangeButNotATransition() {
    List<Condition> conditions = new ArrayList<>();
    Conditions.set(conditions, "Degraded", ConditionStatus.True, "KafkaUnreachable", "broker down", 3, T1);

    assertThat(Conditions.set(conditions, "Degraded", ConditionStatus.True, "KafkaUnreachable", "still down", 4, T2))
        .isTrue();
    assertThat(conditions.get(0).getLastTransitionTime()).isEqualTo("2025-10-21T12:00:00Z");
    assertThat(conditions.get(0).getObservedGeneration()).isEqualTo(4L);
  }

  @Test
  void statusFlipMovesTheTransitionTime() {
    List<Condition> conditions = new ArrayList<>();
    Conditions.set(conditions, "Ready", ConditionStatus.True, "Reconciled", "ok", 3, T1);

    Conditions.set(conditions, "Ready", ConditionStatus.False, "PipelineNotFound", "no pipeline workflows", 3, T2);

    assertThat(conditions).singleElement().satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo(ConditionStatus.False);
      assertThat(c.getLastTransitionTime()).isEqualTo("2025-10-21T12:05:00Z");
    });
  }

  @Test
  void removingAnAbnormalConditionReportsWhetherItWasThere() {
    List<Condition> conditions = new ArrayList<>();
    Conditions.set(conditions, "Reconciling", ConditionStatus.True, "Scaling", "3 -> 6", 1, T1);

    assertThat(Conditions.remove(conditions, "Reconciling")).isTrue();
    assertThat(Conditions.remove(conditions, "Reconciling")).isFalse();
    assertThat(conditions).isEmpty();
  }

  @Test
  void aMessageLongerThanTheSchemaAllowsIsCutSoTheStatusWriteIsNotRefused() {
    List<Condition> conditions = new ArrayList<>();
    String brokerMessage = "x".repeat(Bounds.CONDITION_MESSAGE * 2);
    Conditions.set(conditions, "Ready", ConditionStatus.False, "KafkaUnreachable", brokerMessage, 1, T1);

    boolean changed = Conditions.set(conditions, "Ready", ConditionStatus.False, "KafkaUnreachable", brokerMessage, 1,
        T2);

    assertThat(conditions.get(0).getMessage()).hasSize(Bounds.CONDITION_MESSAGE).endsWith("...");
    assertThat(changed).as("the same long message again is no change").isFalse();
  }
}
