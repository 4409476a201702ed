package io.reducer.controller.pipeline;

import io.reducer.controller.status.FailureReason;

/** The outcome of checking one connection of a pipeline: a condition reason and a message that says what to do. */
public final class ConnectionCheck {

  private final boolean ok;
  private final String reason;
  private final String message;
  private final boolean needsUser;

  private ConnectionCheck(boolean ok, String reason, String message, boolean needsUser) {
    this.ok = ok;
    this.reason = reason;
    this.message = message;
    this.needsUser = needsUser;
  }

  public static ConnectionCheck ok(String reason, String message) {
    return new ConnectionCheck(true, reason, message, false);
  }

  /** A failed call to an outside system; whether it needs the user is the reason's to say. */
  public static ConnectionCheck failed(FailureReason reason, String message) {
    return new ConnectionCheck(false, reason.name(), message, reason.needsUser());
  }

  /**
   * A failure of the pipeline's own making (a refused spec, a schema or topic state) under a reason of its own.
   *
   * @param needsUser only a change by the user fixes it (see {@link FailureReason#needsUser()}), not a retry
   */
  public static ConnectionCheck failed(String reason, String message, boolean needsUser) {
    return new ConnectionCheck(false, reason, message, needsUser);
  }

  public boolean ok() {
    return ok;
  }

  public String reason() {
    return reason;
  }

  public String message() {
    return message;
  }

  public boolean needsUser() {
    return needsUser;
  }
}
