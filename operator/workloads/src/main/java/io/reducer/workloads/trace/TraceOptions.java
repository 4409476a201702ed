package io.reducer.workloads.trace;

import java.util.ArrayList;
import java.util.List;

import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.cli.CommandOptions.Option;
import io.reducer.workloads.cli.CommandOptions;
import io.reducer.workloads.kafka.KafkaClientSecurity;

/**
 * The options of {@code workloads trace}: each a flag or, when the flag is absent, an environment variable. The names
 * are public so that whoever builds a pod for the command (the kubectl plugin's Job) sets the same variables this
 * command reads. The database password comes only from {@link #DB_PASSWORD_ENV} and Kafka security only from the
 * {@code KAFKA_*} variables of {@link KafkaClientSecurity}, never from a flag.
 */
public final class TraceOptions {

  /** The command word: {@code workloads trace}. */
  public static final String COMMAND = "trace";

  public static final String CORRELATION_ID_FLAG = "--correlation-id";
  public static final String CORRELATION_ID_ENV = "TRACE_CORRELATION_ID";
  public static final String BOOTSTRAP_SERVERS_FLAG = "--bootstrap-servers";
  public static final String BOOTSTRAP_SERVERS_ENV = "KAFKA_BOOTSTRAP_SERVERS";
  public static final String ACTIONS_TOPIC_FLAG = "--actions-topic";
  public static final String ACTIONS_TOPIC_ENV = "TRACE_ACTIONS_TOPIC";
  public static final String STATE_COMMITTED_TOPIC_FLAG = "--state-committed-topic";
  public static final String STATE_COMMITTED_TOPIC_ENV = "TRACE_STATE_COMMITTED_TOPIC";
  public static final String DLQ_TOPIC_FLAG = "--dlq-topic";
  public static final String DLQ_TOPIC_ENV = "TRACE_DLQ_TOPIC";
  /** Any further topics, comma-separated; the flag may be repeated. */
  public static final String TOPICS_FLAG = "--topic";
  public static final String TOPICS_ENV = "TRACE_TOPICS";
  /** A duration back from now ({@code 15m}, {@code 1h}, {@code 2d}) or an RFC 3339 timestamp. */
  public static final String SINCE_FLAG = "--since";
  public static final String SINCE_ENV = "TRACE_SINCE";
  public static final String DEFAULT_SINCE = "1h";
  /** Like {@link #SINCE_FLAG}; absent = now (the end offsets when the command starts). */
  public static final String UNTIL_FLAG = "--until";
  public static final String UNTIL_ENV = "TRACE_UNTIL";
  /** Optional: without it no table is read. */
  public static final String JDBC_URL_FLAG = "--jdbc-url";
  public static final String JDBC_URL_ENV = "TRACE_JDBC_URL";
  public static final String DB_USER_FLAG = "--db-user";
  public static final String DB_USER_ENV = "PGUSER";
  /** Environment only. */
  public static final String DB_PASSWORD_ENV = "PGPASSWORD";
  public static final String SCHEMA_FLAG = "--schema";
  public static final String SCHEMA_ENV = "TRACE_SCHEMA";
  /** {@code table} (in {@link #SCHEMA_FLAG}) or {@code schema.table}; tells whether a version was materialized. */
  public static final String PROJECTION_TABLE_FLAG = "--projection-table";
  public static final String PROJECTION_TABLE_ENV = "TRACE_PROJECTION_TABLE";
  public static final String DEFAULT_PROJECTION_TABLE = "workflow_projection";
  /** {@code text} (default) or {@code json}; {@code -o} is short for it. */
  public static final String OUTPUT_FLAG = "--output";
  public static final String OUTPUT_SHORT_FLAG = "-o";
  public static final String OUTPUT_ENV = "TRACE_OUTPUT";
  public static final String TERMINATION_LOG_FLAG = "--termination-log";
  public static final String TERMINATION_LOG_ENV = "TERMINATION_LOG";

  static final CommandOptions<TraceConfigException> OPTIONS = new CommandOptions<>(
      "usage: workloads trace --correlation-id <id> [options]\n\n"
          + "Finds every record and row that carries a correlation id within a time window, prints them as one\n"
          + "timeline and says which stages the action reached: received, reduced or rejected, published,\n"
          + "materialized. Reads only; joins no consumer group and commits nothing.", List.of(
          new Option(CORRELATION_ID_FLAG, CORRELATION_ID_ENV, null, "the correlation id to trace"),
          new Option(BOOTSTRAP_SERVERS_FLAG, BOOTSTRAP_SERVERS_ENV, null, "Kafka bootstrap servers"),
          new Option(ACTIONS_TOPIC_FLAG, ACTIONS_TOPIC_ENV, "", "the pipeline's actions topic"),
          new Option(STATE_COMMITTED_TOPIC_FLAG, STATE_COMMITTED_TOPIC_ENV, "", "the pipeline's state-committed topic"),
          new Option(DLQ_TOPIC_FLAG, DLQ_TOPIC_ENV, "", "the pipeline's dead-letter topic"),
          new Option(TOPICS_FLAG, TOPICS_ENV, "", "further topics, comma-separated (at least one topic in all)"),
          new Option(SINCE_FLAG, SINCE_ENV, DEFAULT_SINCE,
              "start of the window: a duration back from now (30s, 15m, 1h, 2d) or RFC 3339"),
          new Option(UNTIL_FLAG, UNTIL_ENV, "", "end of the window, same forms (default: now)"),
          new Option(JDBC_URL_FLAG, JDBC_URL_ENV, "",
              "canonical store, e.g. jdbc:postgresql://db:5432/orders (default: Kafka only)"),
          new Option(DB_USER_FLAG, DB_USER_ENV, "", "PostgreSQL user, with --jdbc-url (password: PGPASSWORD only)"),
          new Option(SCHEMA_FLAG, SCHEMA_ENV, "public", "schema of the canonical store tables"),
          new Option(PROJECTION_TABLE_FLAG, PROJECTION_TABLE_ENV, DEFAULT_PROJECTION_TABLE,
              "projection table ([schema.]table) that shows whether a version was materialized"),
          new Option(OUTPUT_FLAG, OUTPUT_ENV, "text", "text, or json: exactly one JSON document on stdout (-o json)"),
          new Option(TERMINATION_LOG_FLAG, TERMINATION_LOG_ENV, "",
              "file for the JSON result (default /dev/termination-log if it exists and is writable)")),
      TraceConfigException::new);

  private TraceOptions() {
  }

  public static String usage() {
    return OPTIONS.usage() + '\n' + KafkaClientSecurity.usage() + '\n'
        + "exit codes: " + ExitCodes.OK + " records found, " + ExitCodes.NOT_FOUND
        + " nothing carries the id in the window, " + ExitCodes.BAD_CONFIGURATION
        + " configuration error or unreachable broker or database, " + ExitCodes.FAILURE + " unexpected failure\n";
  }

  /**
   * The arguments with {@code -o json}, {@code -o=json} and {@code -ojson} written as {@code --output json}, and the
   * repeated {@code --topic} flags joined into one comma-separated value, which is how the option parser takes them.
   */
  static List<String> normalize(List<String> args) {
    List<String> normalized = new ArrayList<>();
    List<String> topics = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals(OUTPUT_SHORT_FLAG)) {
        normalized.add(OUTPUT_FLAG);
      } else if (arg.startsWith(OUTPUT_SHORT_FLAG) && !arg.startsWith("--")) {
        String value = arg.substring(OUTPUT_SHORT_FLAG.length());
        normalized.add(OUTPUT_FLAG + "=" + (value.startsWith("=") ? value.substring(1) : value));
      } else if (arg.equals(TOPICS_FLAG) && i + 1 < args.size()) {
        topics.add(args.get(++i));
      } else if (arg.startsWith(TOPICS_FLAG + "=")) {
        topics.add(arg.substring(TOPICS_FLAG.length() + 1));
      } else {
        normalized.add(arg);
      }
    }
    if (!topics.isEmpty()) {
      normalized.add(TOPICS_FLAG + "=" + String.join(",", topics));
    }
    return normalized;
  }
}
