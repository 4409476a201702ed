package io.reducer.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reducer.api.v1alpha1.Projection;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcileMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ReconcileMetrics metrics = new ReconcileMetrics(registry);

  @Test
  void aQueuedReconciliationIsPendingUntilItsThreadIsDoneWithIt() {
    Projection projection = new Projection();
    for (int i = 0; i < 3; i++) {
      metrics.reconcileCustomResource(projection, null, Map.of());
    }
    metrics.reconciliationExecutionFinished(projection, Map.of());

    assertThat(registry.get("reducer_operator_reconciliations_total").tag("kind", "Projection").counter().count())
        .isEqualTo(3);
    assertThat(registry.get("reducer_operator_reconciliations_pending").tag("kind", "Projection").gauge().value())
        .isEqualTo(2);

    metrics.reconciliationExecutionFinished(projection, Map.of());
    metrics.reconciliationExecutionFinished(projection, Map.of());
    assertThat(registry.get("reducer_operator_reconciliations_pending").tag("kind", "Projection").gauge().value())
        .isZero();
  }
}
