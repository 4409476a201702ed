package io.reducer.api.v1alpha1.common;

/** How a one-shot operation proceeds once its plan or preview is in status. */
public enum Approval {
  /** Wait for the annotation reducer.io/approve: "true" on the resource. */
  Manual,
  /** Proceed as soon as the plan or preview is recorded. */
  Automatic;

  /** The annotation that approves a waiting operation. */
  public static final String ANNOTATION = "reducer.io/approve";
}
