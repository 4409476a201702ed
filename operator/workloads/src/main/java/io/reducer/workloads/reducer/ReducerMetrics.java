package io.reducer.workloads.reducer;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.reducer.workloads.metrics.ProcessMetrics;

/**
 * The reducer's meters, named after the runbooks (counters get {@code _total} in Prometheus), each with a
 * {@code pipeline} tag. The outbox gauges are NaN until this process's relay has measured them. The JVM and process
 * meters of {@link ProcessMetrics} (without the tag) are in the same registry; {@link #close()} stops their GC
 * notifications.
 */
public final class ReducerMetrics implements AutoCloseable {

  private static final int LATENCY_WINDOW = 2048;

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ProcessMetrics process = ProcessMetrics.bindTo(registry);
  private final String pipeline;
  private final Counter commits;
  private final Counter conflicts;
  private final DistributionSummary commitLatency;
  private final Counter successful;
  private final Counter conflictAttempts;
  private final DistributionSummary backoff;
  private final Counter gaveUp;
  private final Counter rejected;
  private final Counter duplicates;
  private final Counter dedupChecks;
  private final Counter dedupHits;
  private final Counter dedupRecords;
  private final Counter dedupRereads;
  private final Counter dedupCleanupDeleted;
  private final Counter transactionRetries;
  private final Counter stateCacheHits;
  private final Counter stateCacheStale;
  private final Counter published;
  private final Counter failed;
  private final AtomicLong backlog = new AtomicLong(-1);
  private final AtomicLong publishLagMs = new AtomicLong(-1);
  private final AtomicLong lastPublished = new AtomicLong(-1);
  private final AtomicLong gaps = new AtomicLong(-1);
  private final AtomicLong leader = new AtomicLong(0);
  private final AtomicLong transactionActions = new AtomicLong(-1);
  /** The latest commit latencies, for the p95 that the stats row carries. */
  private final double[] latencies = new double[LATENCY_WINDOW];
  private int latencyCount;

  public ReducerMetrics(String pipeline) {
    this.pipeline = pipeline;
    commits = counter("canonical.store.state.commits", "versions committed to workflow_state");
    conflicts = counter("canonical.store.state.conflicts",
        "actions whose optimistic commit found the row moved by another writer");
    commitLatency = DistributionSummary.builder("canonical.store.commit.latency.ms")
        .description("time of one canonical store transaction, commit included, in ms").tag("pipeline", pipeline)
        .publishPercentileHistogram().minimumExpectedValue(0.1).maximumExpectedValue(10_000.0).register(registry);
    successful = counter("reducer.successful.actions", "actions applied as a new version");
    conflictAttempts = counter("reducer.conflict.attempts", "commit attempts retried after a version conflict");
    backoff = DistributionSummary.builder("reducer.backoff.ms").description("backoff before a conflict retry, in ms")
        .tag("pipeline", pipeline).publishPercentileHistogram().minimumExpectedValue(1.0)
        .maximumExpectedValue(60_000.0).register(registry);
    gaveUp = counter("reducer.gave.up", "actions sent to the DLQ as REDUCER_GAVE_UP after their last attempt");
    rejected = counter("reducer.rejected.actions", "actions the reducer refused, and undecodable records");
    duplicates = counter("reducer.duplicate.actions", "actions skipped because they were processed before");
    dedupChecks = counter("action.dedup.checks", "action ids checked against action_dedup_log");
    dedupHits = counter("action.dedup.hits", "action ids found in action_dedup_log (duplicates)");
    dedupRecords = counter("action.dedup.records", "action ids recorded in action_dedup_log");
    dedupRereads = counter("action.dedup.rereads", "transactions attempted again reading action_dedup_log: "
        + "attempted without reading it, they met an action recorded before");
    dedupCleanupDeleted = counter("action.dedup.cleanup.deleted", "expired action_dedup_log rows deleted");
    transactionRetries = counter("reducer.transaction.retries",
        "batches rolled back and read again after a database or DLQ failure");
    stateCacheHits = counter("reducer.state.cache.hits",
        "keys whose workflow_state row came from memory instead of a read (--state-cache-keys)");
    stateCacheStale = counter("reducer.state.cache.stale",
        "actions of keys whose remembered row another writer had moved: written again at once from a fresh read");
    published = counter("outbox.published", "outbox rows published to the state-committed topic");
    gauge("outbox.backlog", "outbox rows committed and not yet published", backlog);
    gauge("outbox.publish.lag.ms", "now minus the commit time of the oldest unpublished row, 0 when caught up",
        publishLagMs);
    gauge("outbox.last.published.sequence", "highest outbox sequence published", lastPublished);
    gauge("outbox.sequence.gaps", "missing outbox sequence numbers the relay stopped at (never skipped)", gaps);
    Gauge.builder("outbox.relay.leader", leader, AtomicLong::get)
        .description("1 when this process is the pipeline's outbox relay").tag("pipeline", pipeline).register(registry);
    failed = counter("reducer.failed.actions", "actions rejected, undecodable or given up");
    gauge("reducer.transaction.actions", "most actions the next canonical store transaction may take: "
        + "--transaction-actions, fewer while the commit latency p95 is above --commit-target-ms", transactionActions);
  }

  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    process.close();
  }

  void attempt(AttemptResult result, int poison, double latencyMs) {
    commits.increment(result.applied());
    successful.increment(result.applied());
    conflicts.increment(result.conflicted().size());
    rejected.increment(result.letters().size() + poison);
    failed(result.letters().size() + poison);
    duplicates.increment(result.duplicates());
    commitLatency.record(latencyMs);
    synchronized (latencies) {
      latencies[latencyCount++ % LATENCY_WINDOW] = latencyMs;
    }
  }

  void dedupChecked(int checks, int hits, int recorded) {
    dedupChecks.increment(checks);
    dedupHits.increment(hits);
    dedupRecords.increment(recorded);
  }

  void transactionActions(int actions) {
    transactionActions.set(actions);
  }

  /** One attempt: keys whose row came from memory, and actions whose remembered row turned out old. */
  void stateCache(int hits, int staleActions) {
    stateCacheHits.increment(hits);
    stateCacheStale.increment(staleActions);
  }

  double stateCacheStale() {
    return stateCacheStale.count();
  }

  double stateCacheHits() {
    return stateCacheHits.count();
  }

  void dedupReread() {
    dedupRereads.increment();
  }

  void conflictRetry(int actions, long backoffMs) {
    conflictAttempts.increment(actions);
    backoff.record(backoffMs);
  }

  void gaveUp(int actions) {
    gaveUp.increment(actions);
    failed(actions);
  }

  void transactionRetry() {
    transactionRetries.increment();
  }

  void dedupCleaned(long deleted) {
    dedupCleanupDeleted.increment(deleted);
  }

  void outboxPublished(int rows, long lastSequence) {
    published.increment(rows);
    lastPublished.set(lastSequence);
  }

  void outboxState(long backlogRows, long lagMs, long gapCount) {
    backlog.set(backlogRows);
    publishLagMs.set(lagMs);
    gaps.set(gapCount);
  }

  void leader(boolean isLeader) {
    leader.set(isLeader ? 1 : 0);
  }

  boolean isLeader() {
    return leader.get() == 1;
  }

  long backlog() {
    return backlog.get();
  }

  long publishLagMs() {
    return publishLagMs.get();
  }

  long gaps() {
    return gaps.get();
  }

  long lastPublished() {
    return lastPublished.get();
  }

  double applied() {
    return successful.count();
  }

  double rejected() {
    return rejected.count();
  }

  double duplicates() {
    return duplicates.count();
  }

  double conflicts() {
    return conflicts.count();
  }

  double transactionRetries() {
    return transactionRetries.count();
  }

  double dedupRereads() {
    return dedupRereads.count();
  }

  double gaveUp() {
    return gaveUp.count();
  }

  /** p95 of the latest commit latencies in ms, or NaN before the first commit. */
  double commitP95Ms() {
    double[] copy;
    synchronized (latencies) {
      copy = Arrays.copyOf(latencies, Math.min(latencyCount, LATENCY_WINDOW));
    }
    if (copy.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(copy);
    return copy[(int) Math.ceil(copy.length * 0.95) - 1];
  }

  private void failed(int count) {
    failed.increment(count);
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).tag("pipeline", pipeline).register(registry);
  }

  private void gauge(String name, String description, AtomicLong value) {
    Gauge.builder(name, value, v -> v.get() < 0 ? Double.NaN : v.get()).description(description)
        .tag("pipeline", pipeline).register(registry);
  }
}
