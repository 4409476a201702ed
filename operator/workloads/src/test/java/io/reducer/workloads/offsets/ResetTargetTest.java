package io.reducer.workloads.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ResetTargetTest {

  @Test
  void typesHaveTheCustomResourceNamesAndParseBothSpellings() {
    // Same constants as io.reducer.api.v1alpha1.reset.ResetTargetType, so the operator maps them by name.
    assertThat(Arrays.stream(ResetTargetType.values()).map(Enum::name))
        .containsExactly("EARLIEST", "LATEST", "OFFSET", "TIMESTAMP", "SHIFT_BY", "BY_DURATION");
    assertThat(ResetTargetType.parse("shift-by")).isEqualTo(ResetTargetType.SHIFT_BY);
    assertThat(ResetTargetType.parse("shiftBy")).isEqualTo(ResetTargetType.SHIFT_BY);
    assertThat(ResetTargetType.parse(" By-Duration ")).isEqualTo(ResetTargetType.BY_DURATION);
    assertThat(ResetTargetType.parse("byDuration")).isEqualTo(ResetTargetType.BY_DURATION);
    assertThat(ResetTargetType.parse("earliest")).isEqualTo(ResetTargetType.EARLIEST);
    assertThat(ResetTargetType.parse("to-earliest")).isNull();
  }

  @Test
  void eachTypeTakesOnlyItsOwnValue() {
    assertThatThrownBy(() -> new ResetTarget(ResetTargetType.EARLIEST, null, null, 3L, null))
        .hasMessageContaining("shiftBy only goes with its own target type");
    assertThatThrownBy(() -> new ResetTarget(ResetTargetType.TIMESTAMP, null, null, null, null))
        .hasMessageContaining("target timestamp needs a value");
    assertThatThrownBy(() -> ResetTarget.offsets(Map.of())).hasMessageContaining("at least one partition");
    Map<Integer, Long> negative = new HashMap<>();
    negative.put(-1, 3L);
    assertThatThrownBy(() -> ResetTarget.offsets(negative)).hasMessageContaining("partition (from 0)");
    assertThatThrownBy(() -> ResetTarget.byDuration(Duration.ofHours(-1))).hasMessageContaining("negative");
  }

  @Test
  void describesItselfInTheCliTerms() {
    assertThat(ResetTarget.offsets(Map.of(1, 340L, 0, 120L)).describe()).isEqualTo("offset 0=120,1=340");
    assertThat(ResetTarget.shiftBy(-100).describe()).isEqualTo("shift-by -100");
    assertThat(ResetTarget.byDuration(Duration.ofHours(1)).describe()).isEqualTo("by-duration PT1H");
    assertThat(ResetTarget.timestamp(Instant.parse("2026-01-01T00:00:00Z")).describe())
        .isEqualTo("timestamp 2026-01-01T00:00:00Z");
    assertThat(ResetTarget.latest().describe()).isEqualTo("latest");
  }
}
