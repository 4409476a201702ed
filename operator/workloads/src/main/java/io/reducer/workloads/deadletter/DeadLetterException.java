package io.reducer.workloads.deadletter;

/** The DLQ did not take a poison record; the batch is rolled back and retried, so nothing is skipped silently. */
public final class DeadLetterException extends Exception {

  public DeadLetterException(String message, Throwable cause) {
    super(message, cause);
  }
}
