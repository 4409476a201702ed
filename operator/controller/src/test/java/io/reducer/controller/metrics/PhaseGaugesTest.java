package io.reducer.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PhaseGaugesTest {

  @Test
  void oneGaugePerPhaseReadsTheCachedPhaseAndDeletedResourcesAreDropped() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    PhaseGauges<WatermarkResetPhase> gauges = PhaseGauges.resets(registry);
    Map<String, WatermarkResetPhase> cache = new HashMap<>();
    gauges.readFrom((namespace, name) -> cache.get(namespace + "/" + name));
    cache.put("shop/rewind", WatermarkResetPhase.Quiescing);

    gauges.track("shop", "rewind");
    gauges.track("shop", "rewind");
    gauges.track("shop", "fresh");

    assertThat(registry.find("reducer_watermark_reset_phase").tag("watermarkreset", "rewind").gauges())
        .hasSize(WatermarkResetPhase.values().length);
    assertThat(phase(registry, "rewind", WatermarkResetPhase.Quiescing)).isEqualTo(1);
    assertThat(phase(registry, "rewind", WatermarkResetPhase.Planned)).isZero();
    // No status yet: no phase is 1.
    assertThat(registry.find("reducer_watermark_reset_phase").tag("watermarkreset", "fresh").gauges())
        .allSatisfy(g -> assertThat(g.value()).isZero());

    cache.put("shop/rewind", WatermarkResetPhase.Resetting);

    assertThat(phase(registry, "rewind", WatermarkResetPhase.Quiescing)).isZero();
    assertThat(phase(registry, "rewind", WatermarkResetPhase.Resetting)).isEqualTo(1);

    // Deleted: reads 0 at once, and its gauges go at the next reconciliation.
    cache.remove("shop/rewind");
    assertThat(phase(registry, "rewind", WatermarkResetPhase.Resetting)).isZero();
    gauges.retain(Set.of("shop/fresh"));

    assertThat(registry.find("reducer_watermark_reset_phase").tag("watermarkreset", "rewind").gauges()).isEmpty();
    assertThat(registry.find("reducer_watermark_reset_phase").tag("watermarkreset", "fresh").gauges()).isNotEmpty();
  }

  private static double phase(SimpleMeterRegistry registry, String name, WatermarkResetPhase phase) {
    return registry.get("reducer_watermark_reset_phase").tag("namespace", "shop").tag("watermarkreset", name)
        .tag("phase", phase.name()).gauge().value();
  }
}
