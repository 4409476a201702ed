package io.reducer.controller.app;

/** An invalid operator setting; the message names the flag, the environment variable and the fix. */
public final class OperatorConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  public OperatorConfigException(String message) {
    super(message);
  }
}
