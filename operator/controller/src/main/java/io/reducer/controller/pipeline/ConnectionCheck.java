package io.reducer.controller.pipeline;

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

  /** @param needsUser only a change by the user fixes it (credentials, Secrets, references), not a retry */
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
