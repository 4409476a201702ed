package io.reducer.api.v1alpha1.common;

/** The three values a Kubernetes condition status can take. */
public enum ConditionStatus {
  True,
  False,
  /** The operator could not determine the condition, for example because a probe failed. */
  Unknown
}
