package io.reducer.workloads.materializer;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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
  private final String projection;
  /** The partitions this process holds, with their per-partition gauges; written by the poll loop only. */
  private final Map<Integer, PartitionLag> partitions = new ConcurrentHashMap<>();

  public MaterializerMetrics(String projection) {
    this.projection = projection;
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
    Gauge.builder("projection.materializer.max.lag.ms", this, MaterializerMetrics::maxLagMillis)
        .description("the largest consumer lag in time of this process's partitions; NaN before any is known")
        .tag("projection", projection).register(registry);
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

  /**
   * A partition's position as the poll loop last saw it. Consumer lag in time: 0 when the watermark is at the log
   * end; else how long ago the oldest record read but not yet applied was written (its record timestamp), or,
   * when none is read, the newest applied one (the records behind it are younger, so this bounds their wait).
   */
  private static final class PartitionLag {
    final Gauge offset;
    final Gauge lag;
    volatile long nextOffset;
    volatile long behind;
    volatile long appliedTimestamp = -1;
    volatile long pendingTimestamp = -1;

    PartitionLag(MeterRegistry registry, String projection, int partition, long nextOffset) {
      this.nextOffset = nextOffset;
      String tag = Integer.toString(partition);
      offset = Gauge.builder("projection.materializer.watermark.offset", this, p -> p.nextOffset)
          .description("the partition's watermark: offset of the next record to apply (rate() is records/s)")
          .tags("projection", projection, "partition", tag).register(registry);
      lag = Gauge.builder("projection.materializer.consumer.lag.ms", this, PartitionLag::millis)
          .description("how long the partition's oldest unapplied record has waited; 0 when caught up")
          .tags("projection", projection, "partition", tag).register(registry);
    }

    double millis() {
      if (behind == 0) {
        return 0;
      }
      long since = pendingTimestamp >= 0 ? pendingTimestamp : appliedTimestamp;
      return since < 0 ? Double.NaN : Math.max(0, System.currentTimeMillis() - since);
    }
  }

  /** The poll loop holds the partition from {@code nextOffset} on: its gauges appear. */
  void partitionLoaded(int partition, long nextOffset) {
    partitions.computeIfAbsent(partition, p -> new PartitionLag(registry, projection, p, nextOffset)).nextOffset =
        nextOffset;
  }

  /** Revoked or lost: another process reports it now. */
  void partitionForgotten(int partition) {
    PartitionLag gone = partitions.remove(partition);
    if (gone != null) {
      registry.remove(gone.offset);
      registry.remove(gone.lag);
    }
  }

  /** Records of the partition were read and wait to be applied; the first one's record timestamp. */
  void partitionRead(int partition, long firstTimestamp) {
    PartitionLag lag = partitions.get(partition);
    if (lag != null && lag.pendingTimestamp < 0) {
      lag.pendingTimestamp = firstTimestamp;
    }
  }

  /** A batch committed: the watermark moved to {@code nextOffset}; the last applied record's timestamp. */
  void partitionCommitted(int partition, long nextOffset, long lastTimestamp) {
    PartitionLag lag = partitions.get(partition);
    if (lag != null) {
      lag.nextOffset = nextOffset;
      if (lastTimestamp >= 0) {
        lag.appliedTimestamp = lastTimestamp;
        lag.pendingTimestamp = -1;
      }
    }
  }

  /** Records between the watermark and the log end (the last stable offset) as the consumer last heard of it. */
  void partitionBehind(int partition, long records) {
    PartitionLag lag = partitions.get(partition);
    if (lag != null) {
      lag.behind = records;
    }
  }

  private double maxLagMillis() {
    double max = Double.NaN;
    for (PartitionLag lag : partitions.values()) {
      double millis = lag.millis();
      if (!Double.isNaN(millis) && (Double.isNaN(max) || millis > max)) {
        max = millis;
      }
    }
    return max;
  }

  private double watermarkLagMillis() {
    Instant last = lastEventTime.get();
    return last == null ? Double.NaN : Math.max(0, Duration.between(last, Instant.now()).toMillis());
  }
}
