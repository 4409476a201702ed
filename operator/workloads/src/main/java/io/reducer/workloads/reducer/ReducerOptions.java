package io.reducer.workloads.reducer;

import java.util.List;

import io.reducer.workloads.cli.CommandOptions.Option;
import io.reducer.workloads.cli.CommandOptions;
import io.reducer.workloads.materializer.Namespaces;

/**
 * The command line of {@code workloads reduce}: every flag, its environment variable and default. The operator builds
 * the reducer pod's environment from these same options.
 */
public final class ReducerOptions {

  public static final Option BOOTSTRAP_SERVERS =
      new Option("--bootstrap-servers", "KAFKA_BOOTSTRAP_SERVERS", null, "Kafka bootstrap servers");

  public static final Option ACTIONS_TOPIC =
      new Option("--actions-topic", "REDUCER_ACTIONS_TOPIC", null, "actions topic to read");

  public static final Option STATE_COMMITTED_TOPIC =
      new Option("--state-committed-topic", "REDUCER_STATE_COMMITTED_TOPIC", null,
          "topic the outbox relay publishes state-committed events to");

  public static final Option DLQ_TOPIC =
      new Option("--dlq-topic", "REDUCER_DLQ_TOPIC", null, "dead-letter topic for rejected and undecodable actions");

  public static final Option JDBC_URL =
      new Option("--jdbc-url", "REDUCER_JDBC_URL", null, "PostgreSQL JDBC URL of the canonical store");

  public static final Option DB_USER =
      new Option("--db-user", "PGUSER", null, "PostgreSQL user (password: PGPASSWORD, environment only)");

  public static final Option SCHEMA =
      new Option("--schema", "REDUCER_SCHEMA", "public", "schema of the canonical store tables");

  public static final Option PIPELINE =
      new Option("--pipeline", "REDUCER_PIPELINE", "reducer", "pipeline name, for the stats row and client ids");

  public static final Option GROUP =
      new Option("--group", "REDUCER_GROUP", "", "consumer group (default: " + ReducerGroups.DEFAULT_FORM + ")");

  public static final Option NAMESPACE =
      new Option("--namespace", "REDUCER_NAMESPACE", Namespaces.DEFAULT,
          "Kubernetes namespace of the pipeline: part of the default consumer group");

  public static final Option STATE_MACHINE =
      new Option("--state-machine", "REDUCER_STATE_MACHINE", "",
          "state machine JSON (default: the runbooks' PENDING/PROCESSING/COMPLETED/FAILED workflow)");

  public static final Option STATE_MACHINE_FILE =
      new Option("--state-machine-file", "REDUCER_STATE_MACHINE_FILE", "", "file holding the state machine JSON");

  public static final Option REDUCER_CLASS =
      new Option("--reducer-class", "REDUCER_CLASS", "",
          "class implementing io.reducer.workloads.reducer.spi.Reducer (default: the state machine)");

  public static final Option MAX_ATTEMPTS =
      new Option("--max-attempts", "REDUCER_MAX_ATTEMPTS", "3", "commit attempts per action before REDUCER_GAVE_UP");

  public static final Option BACKOFF_BASE_MS =
      new Option("--backoff-base-ms", "REDUCER_BACKOFF_BASE_MS", "10", "first conflict backoff in ms");

  public static final Option BACKOFF_CAP_MS =
      new Option("--backoff-cap-ms", "REDUCER_BACKOFF_CAP_MS", "250", "largest conflict backoff in ms");

  public static final Option DEDUP_TTL_SECONDS =
      new Option("--dedup-ttl-seconds", "REDUCER_DEDUP_TTL_SECONDS", "86400",
          "how long applied action ids are remembered");

  public static final Option MAX_RECORDS =
      new Option("--max-records", "REDUCER_MAX_RECORDS", "1000", "max actions per poll");

  public static final Option TRANSACTION_ACTIONS =
      new Option("--transaction-actions", "REDUCER_TRANSACTION_ACTIONS", "175",
          "max actions per canonical store transaction (bounds the commit latency)");

  public static final Option COMMIT_TARGET_MS =
      new Option("--commit-target-ms", "REDUCER_COMMIT_TARGET_MS", "8",
          "commit latency p95 to keep to: transactions take fewer actions than --transaction-actions while the"
              + " p95 of recent full ones is above it; 0 = always --transaction-actions");

  public static final Option STATE_CACHE_KEYS =
      new Option("--state-cache-keys", "REDUCER_STATE_CACHE_KEYS", "100000",
          "workflow rows remembered after their commit, so the next transaction of the same key need not read them"
              + " (least recently used out; 0 = off)");

  public static final Option POLL_TIMEOUT_MS =
      new Option("--poll-timeout-ms", "REDUCER_POLL_TIMEOUT_MS", "100", "poll timeout in ms");

  public static final Option SESSION_TIMEOUT_MS =
      new Option("--session-timeout-ms", "REDUCER_SESSION_TIMEOUT_MS", "10000", "consumer group session timeout in ms");

  public static final Option GROUP_INSTANCE_ID =
      new Option("--group-instance-id", "REDUCER_GROUP_INSTANCE_ID", "",
          "static group member id (Kafka group.instance.id; the operator passes the pod's name): a process"
              + " restarted under the same id takes its partitions back at once (default: a dynamic member)");

  public static final Option OUTBOX_RELAY =
      new Option("--outbox-relay", "REDUCER_OUTBOX_RELAY", "true",
          "run the outbox relay in this process (one process of a pipeline publishes at a time)");

  public static final Option OUTBOX_POLL_MS =
      new Option("--outbox-poll-ms", "REDUCER_OUTBOX_POLL_MS", "50",
          "how often the relay looks for commits of other processes, in ms");

  public static final Option OUTBOX_RETENTION_SECONDS =
      new Option("--outbox-retention-seconds", "REDUCER_OUTBOX_RETENTION_SECONDS", "3600",
          "how long published outbox rows are kept for diagnostics");

  public static final Option HTTP_PORT =
      new Option("--http-port", "REDUCER_HTTP_PORT", "8080", "HTTP port; 0 = any free port (printed), -1 = off");

  /** All of them, in the order of the usage text. */
  static final CommandOptions<ReducerConfigException> OPTIONS = new CommandOptions<>("usage: workloads reduce [options]",
      List.of(BOOTSTRAP_SERVERS, ACTIONS_TOPIC, STATE_COMMITTED_TOPIC, DLQ_TOPIC, JDBC_URL, DB_USER, SCHEMA,
          PIPELINE, NAMESPACE, GROUP, STATE_MACHINE, STATE_MACHINE_FILE, REDUCER_CLASS, MAX_ATTEMPTS, BACKOFF_BASE_MS,
          BACKOFF_CAP_MS, DEDUP_TTL_SECONDS, MAX_RECORDS, TRANSACTION_ACTIONS, COMMIT_TARGET_MS, STATE_CACHE_KEYS,
          POLL_TIMEOUT_MS, SESSION_TIMEOUT_MS, GROUP_INSTANCE_ID, OUTBOX_RELAY, OUTBOX_POLL_MS, OUTBOX_RETENTION_SECONDS, HTTP_PORT),
      ReducerConfigException::new);

  private ReducerOptions() {
  }

  /** Every option the command accepts. */
  public static List<Option> all() {
    return OPTIONS.options();
  }
}
