package io.reducer.workloads.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.reducer.testsupport.metrics.ProcessMetricsCheck;
import io.reducer.workloads.materializer.MaterializerMetrics;
import io.reducer.workloads.reducer.ReducerMetrics;

/** The JVM and process meters, as the reducer's and the materializer's /metrics serve them. */
class ProcessMetricsTest {

  @Test
  void theReducerAndTheMaterializerExportTheJvmAndProcessMetersAndTheRunbooksMemoryGauge() {
    try (ReducerMetrics reducer = new ReducerMetrics("orders");
        MaterializerMetrics materializer = new MaterializerMetrics("orders")) {
      assertThat(ProcessMetricsCheck.problems(reducer.scrape())).isEmpty();
      assertThat(ProcessMetricsCheck.problems(materializer.scrape())).isEmpty();
    }
  }

  @Test
  void gcPausesAreCounted() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ProcessMetrics metrics = ProcessMetrics.bindTo(registry);
    try {
      System.gc();
      await().atMost(Duration.ofSeconds(10)).until(() -> ProcessMetricsCheck.samples(registry.scrape()).stream()
          .anyMatch(s -> s.name().equals("jvm_gc_pause_seconds_count") && s.value() > 0));
    } finally {
      metrics.close();
    }
  }

  @Test
  void bindingTwiceToOneRegistryAddsNothing() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ProcessMetrics first = ProcessMetrics.bindTo(registry);
    int meters = registry.getMeters().size();
    ProcessMetrics second = ProcessMetrics.bindTo(registry);
    second.close();
    first.close();

    assertThat(registry.getMeters()).hasSize(meters);
  }

  @Test
  void theMemoryGaugeIsTheResidentSetInMib() {
    assertThat(ProcessMetrics.residentMib("Name:\tjava\nVmHWM:\t  300000 kB\nVmRSS:\t  204800 kB\nThreads:\t42\n"))
        .isEqualTo(200.0);
    assertThat(ProcessMetrics.residentMib("Name:\tkthreadd\nThreads:\t1\n")).isNaN();
    assertThat(ProcessMetrics.residentMib()).as("this JVM's, from /proc/self/status").isBetween(1.0, 65_536.0);
  }
}
