package io.reducer.controller.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.api.v1alpha1.common.HealthLevel;
import io.reducer.api.v1alpha1.projection.PartitionLag;
import io.reducer.api.v1alpha1.projection.ProjectionHealthThresholds;
import io.reducer.controller.kafka.TopicOffsets;
import io.reducer.controller.projection.ProjectionHealth;
import io.reducer.workloads.materializer.Watermark;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LagCalculatorTest {

  private static final Instant NOW = Instant.parse("2025-10-21T12:00:00Z");
  private static final Duration STALLED_AFTER = Duration.ofSeconds(60);

  @Test
  void lagIsLogEndMinusWatermarkPerPartitionAndSummed() {
    TopicOffsets offsets = new TopicOffsets("state", new long[] {0, 0, 0}, new long[] {100, 50, 10});
    Map<Integer, Watermark> watermarks = Map.of(
        0, wm(0, 100, 1, NOW.minusMillis(30), NOW),
        1, wm(1, 40, 1, NOW.minusMillis(250), NOW),
        2, wm(2, 10, 1, NOW.minusSeconds(3600), NOW.minusSeconds(3600)));

    ProjectionMeasurement m = LagCalculator.measure(offsets, watermarks, List.of(), null, STALLED_AFTER, NOW);

    assertThat(m.partitions()).extracting(PartitionLag::getLag).containsExactly(0L, 10L, 0L);
    assertThat(m.consumerLag()).isEqualTo(10L);
    // Caught-up partitions have no watermark lag however old their last event is.
    assertThat(m.partitions()).extracting(PartitionLag::getWatermarkLagMs).containsExactly(0L, 250L, 0L);
    assertThat(m.watermarkLagMs()).isEqualTo(250L);
    assertThat(m.epoch()).isEqualTo(1L);
    assertThat(m.stalledPartitions()).isEmpty();
  }

  @Test
  void withoutWatermarksTheWholeRetainedLogIsLagAndWatermarkLagIsUnknownNotZero() {
    TopicOffsets offsets = new TopicOffsets("state", new long[] {5, 0}, new long[] {25, 0});

    ProjectionMeasurement m = LagCalculator.measure(offsets, Map.of(), List.of(), null, STALLED_AFTER, NOW);

    assertThat(m.consumerLag()).isEqualTo(20L);
    assertThat(m.partitions().get(0).getWatermark()).isNull();
    assertThat(m.watermarkLagMs()).isNull();
    assertThat(m.epoch()).isNull();
    assertThat(ProjectionHealth.classify(m, new ProjectionHealthThresholds())).isEqualTo(HealthLevel.Unknown);
  }

  @Test
  void aWatermarkBelowTheLogStartCountsFromTheLogStart() {
    TopicOffsets offsets = new TopicOffsets("state", new long[] {1000}, new long[] {1200});

    ProjectionMeasurement m = LagCalculator.measure(offsets, Map.of(0, wm(0, 10, 1, NOW, NOW)), List.of(), null,
        STALLED_AFTER, NOW);

    assertThat(m.consumerLag()).isEqualTo(200L);
  }

  @Test
  void aLaggingPartitionWhoseWatermarkHasNotMovedIsStalledAndCritical() {
    TopicOffsets offsets = new TopicOffsets("state", new long[] {0, 0}, new long[] {10, 10});
    Map<Integer, Watermark> watermarks = Map.of(
        0, wm(0, 5, 1, NOW.minusSeconds(120), NOW.minusSeconds(61)),
        1, wm(1, 10, 1, NOW.minusSeconds(120), NOW.minusSeconds(600)));

    ProjectionMeasurement m = LagCalculator.measure(offsets, watermarks, List.of(), null, STALLED_AFTER, NOW);

    assertThat(m.stalledPartitions()).containsExactly(0);
    assertThat(ProjectionHealth.classify(m, new ProjectionHealthThresholds())).isEqualTo(HealthLevel.Critical);
  }

  @Test
  void aWatermarkGoingBackWithinAnEpochIsARegressionButAResetIsNot() {
    TopicOffsets offsets = new TopicOffsets("state", new long[] {0}, new long[] {100});
    PartitionLag before = new PartitionLag();
    before.setPartition(0);
    before.setWatermark(90L);

    ProjectionMeasurement sameEpoch = LagCalculator.measure(offsets, Map.of(0, wm(0, 80, 3, NOW, NOW)),
        List.of(before), 3L, STALLED_AFTER, NOW);
    ProjectionMeasurement afterReset = LagCalculator.measure(offsets, Map.of(0, wm(0, 0, 4, NOW, NOW)),
        List.of(before), 3L, STALLED_AFTER, NOW);

    assertThat(sameEpoch.regressions()).isEqualTo(1);
    assertThat(afterReset.regressions()).isZero();
  }

  @Test
  void healthFollowsTheRunbookThresholds() {
    TopicOffsets offsets = new TopicOffsets("state", new long[] {0}, new long[] {20_000});
    ProjectionMeasurement behind = LagCalculator.measure(offsets, Map.of(0, wm(0, 5_000, 1, NOW.minusMillis(120), NOW)),
        List.of(), null, STALLED_AFTER, NOW);

    // 15,000 records behind (warning at 10,000) and 120 ms (warning at 100 ms).
    assertThat(ProjectionHealth.classify(behind, new ProjectionHealthThresholds())).isEqualTo(HealthLevel.Warning);
  }

  private static Watermark wm(int partition, long next, long epoch, Instant lastEvent, Instant updated) {
    return new Watermark(partition, next, epoch, lastEvent, updated);
  }
}
