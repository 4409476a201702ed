package io.reducer.controller.status;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** Why a reconciliation ended with an exception: the reason of the Reconciling condition it leaves in status. */
public enum ReconcileErrorReason implements FailureReason {
  /** The Kubernetes API refused the operator a request (403): its RBAC lacks a permission. */
  KubernetesApiForbidden,
  /** A request to the Kubernetes API failed: unreachable, overloaded, a conflict or another refusal. */
  KubernetesApiError,
  /** The reconciliation failed in the operator itself; the operator's log has the stack trace. */
  ReconcileFailed;

  /** A permission missing from the operator's RBAC. */
  @Override
  public boolean needsUser() {
    return this == KubernetesApiForbidden;
  }

  /** The reason of {@code error}, looking through the causes it wraps for the Kubernetes client's. */
  public static ReconcileErrorReason of(Throwable error) {
    KubernetesClientException api = apiError(error);
    if (api == null) {
      return ReconcileFailed;
    }
    return api.getCode() == 403 ? KubernetesApiForbidden : KubernetesApiError;
  }

  /** The Kubernetes client's exception among {@code error} and its causes, or null. */
  static KubernetesClientException apiError(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof KubernetesClientException api) {
        return api;
      }
    }
    return null;
  }

  /** Whether {@code reason} (a condition's) is one of these. */
  static boolean isOne(String reason) {
    for (ReconcileErrorReason r : values()) {
      if (r.name().equals(reason)) {
        return true;
      }
    }
    return false;
  }
}
