package io.reducer.workloads.materializer;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.reducer.workloads.metrics.ProcessMetrics;

/**
 * The materializer's meters, named after the runbooks. Prometheus names: counters get {@code _total}, the
 * timer {@code _seconds}; all carry a {@code projection} tag. The JVM and process meters of {@link ProcessMetrics}
 * (without the tag) are in the same registry; {@link #close()} stops their GC notifications.
 */
public final class MaterializerMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ProcessMetrics process = ProcessMetrics.bindTo(registry);
  private final Counter materialized;
  private final Counter failed;
  private final Counter regressions;
  private final Counter duplicates;
  private final Counter epochMismatchDropped;
  private final DistributionSummary batchSize;
  private final Timer batchDuration;
  private final AtomicReference<Instant> lastEventTime = new AtomicReference<>();

  public MaterializerMetrics(String projection) {
    materialized = Counter.builder("projection.materializer.projections.materialized")
        .description("projection rows inserted or updated").tag("projection", projection).register(registry);
    failed = Counter.builder("projection.materializer.projections.failed")
        .description("poison records sent to the DLQ").tag("projection", projection).register(registry);
    regressions = Counter.builder("projection.materializer.wm.regressions")
        .description("watermarks found lower than this process last saw them").tag("projection", projection)
        .register(registry);
    duplicates = Counter.builder("projection.materializer.duplicate.events.skipped")
        .description("events not applied because the row already had this version or a newer one")
        .tag("projection", projection).register(registry);
    epochMismatchDropped = Counter.builder("epoch.mismatch.dropped")
        .description("records dropped because the watermark epoch changed (zombie fenced)")
        .tag("projection", projection).register(registry);
    batchSize = DistributionSummary.builder("projection.materializer.batch.size")
        .description("records per partition batch").tag("projection", projection).register(registry);
    batchDuration = Timer.builder("projection.materializer.batch.duration")
        .description("time to apply one partition batch, commit included").tag("projection", projection)
        .publishPercentiles(0.5, 0.95, 0.99).register(registry);
    Gauge.builder("projection.materializer.wm.lag.ms", this, MaterializerMetrics::watermarkLagMillis)
        .description("now minus committed_at of the newest applied event").tag("projection", projection)
        .register(registry);
  }

  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    process.close();
  }

  public double materialized() {
    return materialized.count();
  }

  public double failed() {
    return failed.count();
  }

  public double duplicates() {
    return duplicates.count();
  }

  public double epochMismatchDropped() {
    return epochMismatchDropped.count();
  }

  public double regressions() {
    return regressions.count();
  }

  void batchCommitted(BatchOutcome outcome, Duration took) {
    materialized.increment(outcome.applied());
    duplicates.increment(outcome.duplicates());
    failed.increment(outcome.deadLetters());
    batchSize.record(outcome.records());
    batchDuration.record(took);
    Instant newest = outcome.newestEventTime();
    if (newest != null) {
      lastEventTime.accumulateAndGet(newest, (a, b) -> a == null || b.isAfter(a) ? b : a);
    }
  }

  void fenced(long droppedRecords) {
    epochMismatchDropped.increment(droppedRecords);
  }

  void regression() {
    regressions.increment();
  }

  private double watermarkLagMillis() {
    Instant last = lastEventTime.get();
    return last == null ? Double.NaN : Math.max(0, Duration.between(last, Instant.now()).toMillis());
  }
}
