package io.reducer.controller.metrics;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;

/**
 * Reconciliation metrics per kind, fed by the operator framework: {@code reducer_operator_reconciliations_total},
 * {@code reducer_operator_reconciliation_failures_total} (with the exception class) and
 * {@code reducer_operator_reconciliation_seconds}.
 */
public final class ReconcileMetrics implements Metrics {

  private final MeterRegistry registry;

  public ReconcileMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void reconcileCustomResource(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    Counter.builder("reducer_operator_reconciliations_total").description("Reconciliations started")
        .tag("kind", resource.getKind()).register(registry).increment();
  }

  @Override
  public void failedReconciliation(HasMetadata resource, Exception exception, Map<String, Object> metadata) {
    Counter.builder("reducer_operator_reconciliation_failures_total")
        .description("Reconciliations that ended with an exception (retried with backoff)")
        .tag("kind", resource.getKind()).tag("exception", exception.getClass().getSimpleName())
        .register(registry).increment();
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    Timer.Sample sample = Timer.start(registry);
    String outcome = "error";
    try {
      T result = execution.execute();
      outcome = "success";
      return result;
    } finally {
      sample.stop(Timer.builder("reducer_operator_reconciliation_seconds")
          .description("Time spent in one reconciliation or cleanup")
          .tag("controller", execution.controllerName()).tag("step", execution.name()).tag("outcome", outcome)
          .register(registry));
    }
  }
}
