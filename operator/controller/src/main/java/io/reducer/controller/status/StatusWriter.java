package io.reducer.controller.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.reducer.api.v1alpha1.common.ConditionedStatus;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one place that writes status. It writes only when the new status differs from the one the resource
 * carries, as a JSON Patch of the differences, with optimistic locking: a 409 re-reads the resource and retries.
 * The retry carries over only the top-level status fields this reconciliation changed ({@link #changedFields}), so
 * a field another reconciler wrote meanwhile (a WatermarkReset recording {@code completedResets} on its
 * Projection) is kept, not reverted to what this one read. The written resource is cached so the next
 * reconciliation does not see the old status and write again. A write removes the condition a failed
 * reconciliation left ({@link ReconcileErrors}): the reconciliation that writes got through.
 */
public final class StatusWriter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusWriter() {
  }

  /** @return true when status was written */
  public static <S, P extends CustomResource<?, S>> boolean write(P resource, S desired, Context<P> context) {
    clearError(desired);
    return writeKeepingErrors(resource, desired, context);
  }

  /** {@link #write} for {@link ReconcileErrors}, which records the error this one clears. */
  static <S, P extends CustomResource<?, S>> boolean writeKeepingErrors(P resource, S desired, Context<P> context) {
    if (same(resource.getStatus(), desired)) {
      return false;
    }
    S observed = resource.getStatus();
    PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(resource, context, fresh -> {
      fresh.setStatus(changedFields(observed, desired, fresh.getStatus()));
      return fresh;
    });
    return true;
  }

  /**
   * Like {@link #write}, for a reconciler that takes several steps in one pass: returns the resource as it now is,
   * the written one when status changed.
   */
  public static <S, P extends CustomResource<?, S>> P writeAndGet(P resource, S desired, Context<P> context) {
    clearError(desired);
    if (same(resource.getStatus(), desired)) {
      return resource;
    }
    S observed = resource.getStatus();
    return PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(resource, context, fresh -> {
      fresh.setStatus(changedFields(observed, desired, fresh.getStatus()));
      return fresh;
    });
  }

  /**
   * {@code current} with the top-level fields that differ between {@code observed} and {@code desired} taken from
   * {@code desired}: what a reconciliation that read {@code observed} and decided {@code desired} means to change,
   * applied to the status as it is now. When {@code current} is {@code observed} (no one else wrote), the result is
   * {@code desired}.
   */
  @SuppressWarnings("unchecked")
  static <S> S changedFields(S observed, S desired, S current) {
    if (desired == null || current == null || current == observed) {
      return desired;
    }
    ObjectNode before = observed == null ? JSON.createObjectNode() : JSON.valueToTree(observed);
    ObjectNode after = JSON.valueToTree(desired);
    ObjectNode result = JSON.valueToTree(current);
    Set<String> fields = new TreeSet<>();
    before.fieldNames().forEachRemaining(fields::add);
    after.fieldNames().forEachRemaining(fields::add);
    for (String field : fields) {
      if (!Objects.equals(before.get(field), after.get(field))) {
        if (after.has(field)) {
          result.set(field, after.get(field));
        } else {
          result.remove(field);
        }
      }
    }
    return (S) JSON.convertValue(result, desired.getClass());
  }

  private static void clearError(Object desired) {
    if (desired instanceof ConditionedStatus status) {
      ReconcileErrors.clear(status.getConditions());
    }
  }

  /** A deep copy of a status, to change without touching the observed resource. */
  public static <S> S copy(S status, Class<S> type) {
    return JSON.convertValue(status, type);
  }

  /** Field-by-field equality of two statuses as they would be serialized. */
  public static boolean same(Object current, Object desired) {
    JsonNode a = current == null ? null : JSON.valueToTree(current);
    JsonNode b = desired == null ? null : JSON.valueToTree(desired);
    return a == null ? b == null : a.equals(b);
  }
}
