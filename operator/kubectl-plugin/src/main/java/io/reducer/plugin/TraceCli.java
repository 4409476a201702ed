package io.reducer.plugin;

/**
 * The command line of the workloads CLI's {@code trace} command, which the trace Job runs. Kept in this one class so
 * that they can become the constants of io.reducer.workloads.trace.TraceOptions.
 */
final class TraceCli {

  static final String COMMAND = "trace";
  static final String CORRELATION_ID = "--correlation-id";
  static final String SINCE = "--since";
  static final String ACTIONS_TOPIC = "--actions-topic";
  static final String STATE_COMMITTED_TOPIC = "--state-committed-topic";
  static final String DLQ_TOPIC = "--dlq-topic";
  static final String JDBC_URL = "--jdbc-url";
  static final String OUTPUT = "-o";
  static final String JSON = "json";

  /** Exit code of a trace that found records of the correlation id. */
  static final int FOUND = 0;
  /** Exit code of a trace that found no record of the correlation id. */
  static final int NOT_FOUND = 5;

  private TraceCli() {
  }
}
