package io.reducer.testsupport.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The check finds what a scrape lacks, a figure at zero and a memory gauge in the wrong unit. */
class ProcessMetricsCheckTest {

  @Test
  void aScrapeWithoutTheJvmMetersLacksEveryFamily() {
    assertThat(ProcessMetricsCheck.problems("# HELP outbox_backlog x\noutbox_backlog{pipeline=\"orders\"} 0.0\n"))
        .contains("jvm_memory_used_bytes{area=\"heap\"} is not exported", "reducer_memory_mb is not exported",
            "jvm_gc_memory_allocated_bytes_total is not exported")
        .hasSize(18);
  }

  @Test
  void zeroesAndAMemoryGaugeInKilobytesAreNotSane() {
    String scrape = "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"} 0.0\nreducer_memory_mb 204800.0\n";

    assertThat(ProcessMetricsCheck.problems(scrape)).anyMatch(p -> p.startsWith("jvm_memory_used_bytes is not above"))
        .contains("reducer_memory_mb is not in MiB: 204800.0");
  }

  @Test
  void samplesKeepLabelsWithSpacesAndReadInfinity() {
    assertThat(ProcessMetricsCheck.samples("jvm_memory_max_bytes{area=\"heap\",id=\"G1 Old Gen\"} 6.3E9\n"
        + "x_bucket{le=\"+Inf\"} +Inf\nup 1\n")).containsExactly(
            new ProcessMetricsCheck.Sample("jvm_memory_max_bytes", "area=\"heap\",id=\"G1 Old Gen\"", 6.3E9),
            new ProcessMetricsCheck.Sample("x_bucket", "le=\"+Inf\"", Double.POSITIVE_INFINITY),
            new ProcessMetricsCheck.Sample("up", "", 1.0));
  }
}
