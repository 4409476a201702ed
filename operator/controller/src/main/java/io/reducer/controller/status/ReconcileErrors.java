package io.reducer.controller.status;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.api.v1alpha1.common.ConditionedStatus;
import java.io.InterruptedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failed reconciliation in status, not only in the log: every reconciler's {@code updateErrorStatus} hands the
 * exception to {@link #report}, which sets Reconciling=True with a {@link ReconcileErrorReason} and what failed. The
 * framework retries as usual; the next reconciliation that writes status removes the condition again
 * ({@link StatusWriter} calls {@link #clear}), unless its decider sets Reconciling itself.
 */
public final class ReconcileErrors {

  private static final Logger LOG = LoggerFactory.getLogger(ReconcileErrors.class);

  private ReconcileErrors() {
  }

  /** Sets the Reconciling condition for {@code error} on {@code status}. */
  public static void record(ConditionedStatus status, Exception error, long generation, Instant now) {
    ReconcileErrorReason reason = ReconcileErrorReason.of(error);
    Conditions.set(status.getConditions(), ConditionTypes.RECONCILING, ConditionStatus.True, reason.name(),
        message(reason, error), generation, now);
  }

  /**
   * Removes a Reconciling condition an error left.
   *
   * @return true when there was one
   */
  public static boolean clear(List<Condition> conditions) {
    return conditions != null && conditions.removeIf(c -> ConditionTypes.RECONCILING.equals(c.getType())
        && ReconcileErrorReason.isOne(c.getReason()));
  }

  /**
   * Writes {@code error} into the status of {@code resource}; the framework retries the reconciliation as it would
   * without this hook. A status that cannot be written either is left to the log.
   */
  public static <S extends ConditionedStatus, P extends CustomResource<?, S>> ErrorStatusUpdateControl<P> report(
      P resource, Context<P> context, Exception error, Class<S> statusType, Supplier<S> empty, Instant now) {
    if (interrupted(error)) {
      // The operator is stopping (or handing over leadership): nothing failed, and the next leader reconciles anew.
      LOG.debug("reconciliation of {} {}/{} interrupted: {}", resource.getKind(),
          resource.getMetadata().getNamespace(), resource.getMetadata().getName(), error.toString());
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    S status = resource.getStatus() == null ? empty.get() : StatusWriter.copy(resource.getStatus(), statusType);
    if (status.getConditions() == null) {
      status.setConditions(new ArrayList<>());
    }
    Long generation = resource.getMetadata().getGeneration();
    record(status, error, generation == null ? 0 : generation, now);
    try {
      StatusWriter.writeKeepingErrors(resource, status, context);
    } catch (RuntimeException e) {
      // One line: the framework logs the reconciliation's own failure, with its stack trace, right after.
      LOG.warn("could not write the failed reconciliation of {} {}/{} into its status: {}", resource.getKind(),
          resource.getMetadata().getNamespace(), resource.getMetadata().getName(), rootCause(e));
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /** The innermost cause, as "Type: message", for a one-line log. */
  private static String rootCause(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == error ? error.toString() : error.getMessage() + " (" + root + ")";
  }

  /** Whether {@code error} comes from an interrupted thread: a request cut short by the operator's shutdown. */
  static boolean interrupted(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof InterruptedException || cause instanceof InterruptedIOException) {
        return true;
      }
    }
    return false;
  }

  private static String message(ReconcileErrorReason reason, Exception error) {
    KubernetesClientException api = ReconcileErrorReason.apiError(error);
    String detail = api == null ? error.getClass().getSimpleName() + ": " + error.getMessage()
        : api.getStatus() != null && api.getStatus().getMessage() != null ? api.getStatus().getMessage()
            : api.getMessage();
    return switch (reason) {
      case KubernetesApiForbidden -> "The Kubernetes API refused the operator a request (403: " + detail
          + "); grant the operator's service account the permission (its Role or ClusterRole)";
      case KubernetesApiError -> "A request to the Kubernetes API failed"
          + (api.getCode() > 0 ? " (" + api.getCode() + ")" : "") + ": " + detail + "; the operator retries";
      case ReconcileFailed -> "The reconciliation failed: " + detail
          + "; the operator retries and its log has the details";
    };
  }
}
