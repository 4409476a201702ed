package io.reducer.controller.metrics;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reconciliation metrics per kind, fed by the operator framework: {@code reducer_operator_reconciliations_total},
 * {@code reducer_operator_reconciliations_pending}, {@code reducer_operator_reconciliation_failures_total} (with the
 * exception class) and {@code reducer_operator_reconciliation_seconds}.
 *
 * <p>The framework reports a reconciliation when it hands it to its reconciliation threads, not when one of them
 * starts it: a restarted operator with 1,000 Projections counts 1,000 at once and then works through them. So
 * "every resource has been reconciled" is the total reaching their number and the pending gauge falling back.
 */
public final class ReconcileMetrics implements Metrics {

  private final MeterRegistry registry;
  private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();

  public ReconcileMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void reconcileCustomResource(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    Counter.builder("reducer_operator_reconciliations_total")
        .description("Reconciliations queued for the reconciliation threads (a retry counts again)")
        .tag("kind", resource.getKind()).register(registry).increment();
    pending(resource.getKind()).incrementAndGet();
  }

  /** Called once for every reconciliation queued, when its thread is done with it (run, skipped or failed). */
  @Override
  public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
    if (resource != null) {
      pending(resource.getKind()).decrementAndGet();
    }
  }

  private AtomicLong pending(String kind) {
    return pending.computeIfAbsent(kind, k -> {
      AtomicLong count = new AtomicLong();
      Gauge.builder("reducer_operator_reconciliations_pending", count, AtomicLong::get)
          .description("Reconciliations queued or running: above the reconciliation threads, resources wait")
          .tag("kind", k).register(registry);
      return count;
    });
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
