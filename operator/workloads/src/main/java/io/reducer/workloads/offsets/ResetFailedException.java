package io.reducer.workloads.offsets;

/** The reset stopped; the message says whether the database changed and what to do. */
final class ResetFailedException extends Exception {

  ResetFailedException(String message) {
    super(message);
  }

  ResetFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
