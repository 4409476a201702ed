package io.reducer.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.common.HealthLevel;
import io.reducer.api.v1alpha1.pipeline.PipelineMetrics;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PipelineGaugesTest {

  @Test
  void publishesEachPipelinesFiguresWithAbsentOnesAsNaNAndDropsDeletedPipelines() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    PipelineGauges gauges = new PipelineGauges(registry);
    ReducerPipelineStatus status = new ReducerPipelineStatus();
    PipelineMetrics metrics = new PipelineMetrics();
    metrics.setConflictRatePercent(2.5);
    metrics.setDlqDepth(7L);
    status.setMetrics(metrics);
    status.setHealth(HealthLevel.Critical);

    gauges.update("shop", "orders", status);
    gauges.update("shop", "payments", new ReducerPipelineStatus());

    assertThat(value(registry, "reducer_pipeline_conflict_rate_percent", "orders")).isEqualTo(2.5);
    assertThat(value(registry, "reducer_pipeline_dlq_depth", "orders")).isEqualTo(7);
    assertThat(value(registry, "reducer_pipeline_success_rate_percent", "orders")).isNaN();
    assertThat(value(registry, "reducer_pipeline_outbox_lag_ms", "orders")).isNaN();
    assertThat(level(registry, "orders", HealthLevel.Critical)).isEqualTo(1);
    assertThat(level(registry, "orders", HealthLevel.Healthy)).isZero();
    // Not probed yet: Unknown, the same as a projection that was not measured.
    assertThat(level(registry, "payments", HealthLevel.Unknown)).isEqualTo(1);
    assertThat(level(registry, "payments", HealthLevel.Healthy)).isZero();

    gauges.retain(Set.of("shop/orders"));

    assertThat(registry.find("reducer_pipeline_health").tag("pipeline", "payments").gauge()).isNull();
    assertThat(registry.find("reducer_pipeline_health").tag("pipeline", "orders").gauge()).isNotNull();
  }

  private static double level(SimpleMeterRegistry registry, String pipeline, HealthLevel level) {
    return registry.find("reducer_pipeline_health").tag("pipeline", pipeline).tag("level", level.name()).gauge()
        .value();
  }

  private static double value(SimpleMeterRegistry registry, String name, String pipeline) {
    return registry.get(name).tag("namespace", "shop").tag("pipeline", pipeline).gauge().value();
  }
}
