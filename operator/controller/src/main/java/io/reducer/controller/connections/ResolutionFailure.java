package io.reducer.controller.connections;

import io.reducer.controller.status.FailureReason;

/** Why a reference or a credential could not be resolved; reason and message go into a condition. */
public final class ResolutionFailure extends Exception {

  private static final long serialVersionUID = 1L;

  /** Condition reasons for resolution failures; each needs the user (a reference, a Secret, a key). */
  public enum Reason implements FailureReason {
    CrossNamespaceReference,
    PipelineNotFound,
    SecretNotFound,
    SecretKeyNotFound,
    /** Secret values the Kafka client cannot use, e.g. a key that is not PEM PKCS#8. */
    InvalidKafkaSecurity;

    @Override
    public boolean needsUser() {
      return true;
    }
  }

  private final Reason reason;

  public ResolutionFailure(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
