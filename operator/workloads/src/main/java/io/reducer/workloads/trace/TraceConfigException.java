package io.reducer.workloads.trace;

/**
 * A setting of {@code workloads trace} that cannot work: a bad flag, a topic or table name that does not exist, a
 * broker or database that cannot be reached. Exit code 2; the message names what to fix.
 */
final class TraceConfigException extends Exception {

  TraceConfigException(String message) {
    super(message);
  }

  TraceConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
