package io.reducer.workloads.materializer;

/** The DLQ did not take a poison record; the batch is rolled back and retried, so nothing is skipped silently. */
final class DeadLetterException extends Exception {

  DeadLetterException(String message, Throwable cause) {
    super(message, cause);
  }
}
