package io.reducer.controller.status;

/**
 * Why a call to an outside system failed or a spec could not be used, as the condition reason users see. Each kind of
 * failure (Kafka, PostgreSQL, resolving references and Secrets, probing) is an enum implementing this, so reasons
 * stay typed from where they are caught to where a condition is written.
 */
public interface FailureReason {

  /** The condition reason, e.g. KafkaUnreachable. */
  String name();

  /**
   * Only a change by the user fixes it (a Secret, a credential, a grant, a reference, a name), not a retry: the
   * resource is Stalled and its pods are left as they are, since they would fail the same way.
   */
  boolean needsUser();
}
