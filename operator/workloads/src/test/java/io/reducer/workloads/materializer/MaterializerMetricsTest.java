package io.reducer.workloads.materializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The per-partition watermark and lag gauges the runbooks graph, as the poll loop feeds them. */
class MaterializerMetricsTest {

  @Test
  void aPartitionLagsByItsOldestUnappliedRecordAndNotAtAllWhenCaughtUp() {
    try (MaterializerMetrics metrics = new MaterializerMetrics("orders")) {
      assertThat(value(metrics, "projection_materializer_max_lag_ms{projection=\"orders\"}")).isNaN();
      metrics.partitionLoaded(0, 100);
      metrics.partitionLoaded(1, 7);
      assertThat(value(metrics, offset(0))).isEqualTo(100);

      long now = System.currentTimeMillis();
      metrics.partitionRead(0, now - 60_000);
      metrics.partitionRead(0, now - 1_000); // a later poll of the same unapplied stretch: the oldest counts
      metrics.partitionBehind(0, 500);
      assertThat(value(metrics, lag(0))).isBetween(60_000.0, 120_000.0);
      assertThat(value(metrics, lag(1))).isZero(); // nothing behind
      assertThat(value(metrics, "projection_materializer_max_lag_ms{projection=\"orders\"}"))
          .isBetween(60_000.0, 120_000.0); // partition 0's

      // Applied up to a record written 5 s ago, more still behind: the wait is bounded by the applied record's age.
      metrics.partitionCommitted(0, 350, now - 5_000);
      assertThat(value(metrics, offset(0))).isEqualTo(350);
      assertThat(value(metrics, lag(0))).isBetween(5_000.0, 60_000.0);

      metrics.partitionCommitted(0, 600, now);
      metrics.partitionBehind(0, 0);
      assertThat(value(metrics, lag(0))).isZero();
      assertThat(value(metrics, "projection_materializer_max_lag_ms{projection=\"orders\"}")).isZero();

      metrics.partitionForgotten(0);
      assertThat(metrics.scrape()).doesNotContain("partition=\"0\"").contains(offset(1));
    }
  }

  private static String offset(int partition) {
    return "projection_materializer_watermark_offset{partition=\"" + partition + "\",projection=\"orders\"}";
  }

  private static String lag(int partition) {
    return "projection_materializer_consumer_lag_ms{partition=\"" + partition + "\",projection=\"orders\"}";
  }

  private static double value(MaterializerMetrics metrics, String series) {
    Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics.scrape());
    assertThat(matcher.find()).as(series + " in the scrape").isTrue();
    return Double.parseDouble(matcher.group(1));
  }
}
