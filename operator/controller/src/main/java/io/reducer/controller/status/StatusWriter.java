package io.reducer.controller.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;

/**
 * The one place that writes status. It writes only when the new status differs from the one the resource
 * carries, as a JSON Patch of the differences (so concurrent writers of other fields are not overwritten),
 * with optimistic locking: a 409 re-reads the resource and retries. The written resource is cached so the
 * next reconciliation does not see the old status and write again.
 */
public final class StatusWriter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusWriter() {
  }

  /** @return true when status was written */
  public static <S, P extends CustomResource<?, S>> boolean write(P resource, S desired, Context<P> context) {
    if (same(resource.getStatus(), desired)) {
      return false;
    }
    PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(resource, context, fresh -> {
      fresh.setStatus(desired);
      return fresh;
    });
    return true;
  }

  /**
   * Like {@link #write}, for a reconciler that takes several steps in one pass: returns the resource as it now is,
   * the written one when status changed.
   */
  public static <S, P extends CustomResource<?, S>> P writeAndGet(P resource, S desired, Context<P> context) {
    if (same(resource.getStatus(), desired)) {
      return resource;
    }
    return PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(resource, context, fresh -> {
      fresh.setStatus(desired);
      return fresh;
    });
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
