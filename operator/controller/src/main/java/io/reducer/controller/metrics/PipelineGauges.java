package io.reducer.controller.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.common.HealthLevel;
import io.reducer.api.v1alpha1.pipeline.PipelineMetrics;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-pipeline gauges from the health probe's status, so one scrape of the operator lets Prometheus alert on every
 * pipeline's conflict rate, outbox and DLQ without scraping the reducers. A value that could not be measured is NaN,
 * never zero. {@code reducer_pipeline_health{level=...}} has the shape of the projections' health gauge: 1 for the
 * pipeline's current level, 0 for the others (Unknown before the first probe), so the same alert rules fit both.
 */
public final class PipelineGauges {

  private static final String PREFIX = "reducer_pipeline_";

  private final MeterRegistry registry;
  private final Map<String, Values> byPipeline = new ConcurrentHashMap<>();

  public PipelineGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Publishes the figures of a status. */
  public void update(String namespace, String name, ReducerPipelineStatus status) {
    Values values = byPipeline.computeIfAbsent(namespace + "/" + name, k -> register(namespace, name));
    PipelineMetrics metrics = status.getMetrics() == null ? new PipelineMetrics() : status.getMetrics();
    values.conflictRatePercent = number(metrics.getConflictRatePercent());
    values.successRatePercent = number(metrics.getSuccessRatePercent());
    values.commitLatencyP95Ms = number(metrics.getCommitLatencyP95Ms());
    values.outboxBacklog = number(metrics.getOutboxBacklog());
    values.outboxLagMs = number(metrics.getOutboxLagMs());
    values.outboxSequenceGaps = number(metrics.getOutboxSequenceGaps());
    values.dlqDepth = number(metrics.getDlqDepth());
    values.health = status.getHealth() == null ? HealthLevel.Unknown : status.getHealth();
  }

  /** Removes the gauges of pipelines not in {@code present} (namespace/name keys). */
  public void retain(Set<String> present) {
    Set.copyOf(byPipeline.keySet()).stream().filter(k -> !present.contains(k)).forEach(k -> {
      int slash = k.indexOf('/');
      remove(k.substring(0, slash), k.substring(slash + 1));
    });
  }

  /** Removes the gauges of a deleted pipeline. */
  public void remove(String namespace, String name) {
    if (byPipeline.remove(namespace + "/" + name) != null) {
      registry.getMeters().stream()
          .filter(m -> m.getId().getName().startsWith(PREFIX)
              && namespace.equals(m.getId().getTag("namespace")) && name.equals(m.getId().getTag("pipeline")))
          .forEach(registry::remove);
    }
  }

  private Values register(String namespace, String name) {
    Values values = new Values();
    Tags tags = Tags.of("namespace", namespace, "pipeline", name);
    Gauge.builder(PREFIX + "conflict_rate_percent", values, v -> v.conflictRatePercent)
        .description("Commits that hit a version conflict over the reducers' latest stats window, percent")
        .tags(tags).register(registry);
    Gauge.builder(PREFIX + "success_rate_percent", values, v -> v.successRatePercent)
        .description("Actions applied out of applied plus given up over the reducers' latest window, percent")
        .tags(tags).register(registry);
    Gauge.builder(PREFIX + "commit_p95_ms", values, v -> v.commitLatencyP95Ms)
        .description("Largest commit latency p95 over the running reducers, in milliseconds").tags(tags)
        .register(registry);
    Gauge.builder(PREFIX + "outbox_backlog", values, v -> v.outboxBacklog)
        .description("Outbox rows not yet published (head minus cursor plus one)").tags(tags).register(registry);
    Gauge.builder(PREFIX + "outbox_lag_ms", values, v -> v.outboxLagMs)
        .description("Age of the oldest unpublished outbox row, in milliseconds").tags(tags).register(registry);
    Gauge.builder(PREFIX + "outbox_sequence_gaps", values, v -> v.outboxSequenceGaps)
        .description("Outbox sequence gaps the relay is stopped at").tags(tags).register(registry);
    Gauge.builder(PREFIX + "dlq_depth", values, v -> v.dlqDepth)
        .description("Records in the dead-letter topic").tags(tags).register(registry);
    for (HealthLevel level : HealthLevel.values()) {
      Gauge.builder(PREFIX + "health", values, v -> v.health == level ? 1 : 0)
          .description("1 for the pipeline's current health level, 0 for the others")
          .tags(tags.and("level", level.name())).register(registry);
    }
    return values;
  }

  private static double number(Number value) {
    return value == null ? Double.NaN : value.doubleValue();
  }

  private static final class Values {
    private volatile double conflictRatePercent = Double.NaN;
    private volatile double successRatePercent = Double.NaN;
    private volatile double commitLatencyP95Ms = Double.NaN;
    private volatile double outboxBacklog = Double.NaN;
    private volatile double outboxLagMs = Double.NaN;
    private volatile double outboxSequenceGaps = Double.NaN;
    private volatile double dlqDepth = Double.NaN;
    private volatile HealthLevel health = HealthLevel.Unknown;
  }
}
