package io.reducer.controller.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * The phase of every one-shot resource as a gauge per phase, 1 for the phase it is in and 0 for the others, e.g.
 * {@code reducer_watermark_reset_phase{namespace, watermarkreset, phase="Quiescing"} 1}, so Prometheus can alert on
 * a reset or replay that stays in a phase ({@code == 1} with a {@code for}). The value is read from the informer
 * cache at scrape time: a deleted resource reads 0 until the next reconciliation drops its gauges.
 */
public final class PhaseGauges<E extends Enum<E>> {

  private final MeterRegistry registry;
  private final String metric;
  private final String label;
  private final E[] phases;
  private final Set<String> tracked = ConcurrentHashMap.newKeySet();
  private volatile BiFunction<String, String, E> currentPhase = (namespace, name) -> null;

  private PhaseGauges(MeterRegistry registry, String metric, String label, Class<E> phases) {
    this.registry = registry;
    this.metric = metric;
    this.label = label;
    this.phases = phases.getEnumConstants();
  }

  /** {@code reducer_watermark_reset_phase{namespace, watermarkreset, phase}}. */
  public static PhaseGauges<WatermarkResetPhase> resets(MeterRegistry registry) {
    return new PhaseGauges<>(registry, "reducer_watermark_reset_phase", "watermarkreset", WatermarkResetPhase.class);
  }

  /** {@code reducer_dlq_replay_phase{namespace, dlqreplay, phase}}. */
  public static PhaseGauges<DlqReplayPhase> replays(MeterRegistry registry) {
    return new PhaseGauges<>(registry, "reducer_dlq_replay_phase", "dlqreplay", DlqReplayPhase.class);
  }

  /** Where the gauges read a resource's phase (namespace, name; null: no such resource or no phase yet). */
  public void readFrom(BiFunction<String, String, E> phaseOf) {
    this.currentPhase = phaseOf;
  }

  /** Registers the gauges of a resource, once. */
  public void track(String namespace, String name) {
    if (tracked.add(namespace + "/" + name)) {
      Tags tags = Tags.of("namespace", namespace, label, name);
      for (E phase : phases) {
        Gauge.builder(metric, this, g -> g.currentPhase.apply(namespace, name) == phase ? 1 : 0)
            .description("1 for the phase the resource is in, 0 for the others").tags(tags.and("phase", phase.name()))
            .register(registry);
      }
    }
  }

  /** Removes the gauges of resources not in {@code present} (namespace/name keys). */
  public void retain(Set<String> present) {
    Set.copyOf(tracked).stream().filter(k -> !present.contains(k)).forEach(k -> {
      tracked.remove(k);
      int slash = k.indexOf('/');
      String namespace = k.substring(0, slash);
      String name = k.substring(slash + 1);
      registry.getMeters().stream()
          .filter(m -> m.getId().getName().equals(metric) && namespace.equals(m.getId().getTag("namespace"))
              && name.equals(m.getId().getTag(label)))
          .forEach(registry::remove);
    });
  }

}
