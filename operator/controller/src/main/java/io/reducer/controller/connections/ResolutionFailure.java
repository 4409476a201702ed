package io.reducer.controller.connections;

/** Why a reference or a credential could not be resolved; reason and message go into a condition. */
public final class ResolutionFailure extends Exception {

  private static final long serialVersionUID = 1L;

  /** Condition reasons for resolution failures. */
  public enum Reason {
    CrossNamespaceReference,
    PipelineNotFound,
    SecretNotFound,
    SecretKeyNotFound,
    /** Secret values the Kafka client cannot use, e.g. a key that is not PEM PKCS#8. */
    InvalidKafkaSecurity
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
