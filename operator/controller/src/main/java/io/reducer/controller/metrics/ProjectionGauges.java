package io.reducer.controller.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.reducer.api.v1alpha1.ProjectionStatus;
import io.reducer.api.v1alpha1.common.HealthLevel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-projection gauges, so one scrape of the operator lets Prometheus alert on every projection's lag without
 * scraping each materializer. A value that could not be measured is NaN, never zero.
 */
public final class ProjectionGauges {

  private final MeterRegistry registry;
  private final Map<String, Values> byProjection = new ConcurrentHashMap<>();

  public ProjectionGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Publishes the figures of a status. */
  public void update(String namespace, String name, ProjectionStatus status) {
    Values values = byProjection.computeIfAbsent(namespace + "/" + name, k -> register(namespace, name));
    values.consumerLag = number(status.getConsumerLag());
    values.watermarkLagMs = number(status.getWatermarkLagMs());
    values.partitions = number(status.getPartitions());
    values.replicas = number(status.getReplicas());
    values.readyReplicas = number(status.getReadyReplicas());
    values.staleRows = number(status.getStaleRows());
    values.health = status.getHealth() == null ? HealthLevel.Unknown : status.getHealth();
  }

  /** Removes the gauges of projections not in {@code present} (namespace/name keys). */
  public void retain(java.util.Set<String> present) {
    java.util.Set.copyOf(byProjection.keySet()).stream().filter(k -> !present.contains(k)).forEach(k -> {
      int slash = k.indexOf('/');
      remove(k.substring(0, slash), k.substring(slash + 1));
    });
  }

  /** Removes the gauges of a deleted projection. */
  public void remove(String namespace, String name) {
    if (byProjection.remove(namespace + "/" + name) != null) {
      registry.getMeters().stream()
          .filter(m -> m.getId().getName().startsWith("reducer_projection_")
              && namespace.equals(m.getId().getTag("namespace")) && name.equals(m.getId().getTag("projection")))
          .forEach(registry::remove);
    }
  }

  private Values register(String namespace, String name) {
    Values values = new Values();
    Tags tags = Tags.of("namespace", namespace, "projection", name);
    Gauge.builder("reducer_projection_consumer_lag", values, v -> v.consumerLag)
        .description("Records not yet applied (log-end offsets minus watermarks)").tags(tags).register(registry);
    Gauge.builder("reducer_projection_watermark_lag_ms", values, v -> v.watermarkLagMs)
        .description("Largest watermark lag over the partitions, in milliseconds").tags(tags).register(registry);
    Gauge.builder("reducer_projection_partitions", values, v -> v.partitions)
        .description("Partitions of the source topic").tags(tags).register(registry);
    Gauge.builder("reducer_projection_replicas", values, v -> v.replicas)
        .description("Materializer replicas wanted").tags(tags).register(registry);
    Gauge.builder("reducer_projection_ready_replicas", values, v -> v.readyReplicas)
        .description("Materializer pods ready").tags(tags).register(registry);
    Gauge.builder("reducer_projection_stale_rows", values, v -> v.staleRows)
        .description("Rows behind the canonical workflow_state").tags(tags).register(registry);
    for (HealthLevel level : HealthLevel.values()) {
      Gauge.builder("reducer_projection_health", values, v -> v.health == level ? 1 : 0)
          .description("1 for the projection's current health level, 0 for the others")
          .tags(tags.and("level", level.name())).register(registry);
    }
    return values;
  }

  private static double number(Number value) {
    return value == null ? Double.NaN : value.doubleValue();
  }

  private static final class Values {
    private volatile double consumerLag = Double.NaN;
    private volatile double watermarkLagMs = Double.NaN;
    private volatile double partitions = Double.NaN;
    private volatile double replicas = Double.NaN;
    private volatile double readyReplicas = Double.NaN;
    private volatile double staleRows = Double.NaN;
    private volatile HealthLevel health = HealthLevel.Unknown;
  }
}
