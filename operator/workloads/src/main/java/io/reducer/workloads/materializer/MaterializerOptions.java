package io.reducer.workloads.materializer;

import java.util.List;

import io.reducer.workloads.cli.CommandOptions.Option;
import io.reducer.workloads.cli.CommandOptions;
import io.reducer.workloads.cli.ConfigException;

/**
 * The command line of {@code workloads materialize}: every flag, its environment variable and default. The operator
 * builds the materializer pod's environment from these same options, so a name is spelled once.
 */
public final class MaterializerOptions {

  public static final Option BOOTSTRAP_SERVERS = new Option("--bootstrap-servers", "KAFKA_BOOTSTRAP_SERVERS", null,
      "Kafka bootstrap servers");
  public static final Option TOPIC = new Option("--topic", "MATERIALIZER_TOPIC", null, "state-committed topic to read");
  public static final Option DLQ_TOPIC = new Option("--dlq-topic", "MATERIALIZER_DLQ_TOPIC", null,
      "dead-letter topic for poison records");
  public static final Option JDBC_URL = new Option("--jdbc-url", "MATERIALIZER_JDBC_URL", null, "PostgreSQL JDBC URL");
  public static final Option DB_USER = new Option("--db-user", "PGUSER", null,
      "PostgreSQL user (password: PGPASSWORD, environment only)");
  public static final Option TABLE = new Option("--table", "MATERIALIZER_TABLE", "workflow_projection",
      "projection table");
  public static final Option SCHEMA = new Option("--schema", "MATERIALIZER_SCHEMA", "public",
      "schema of the projection and watermark tables");
  public static final Option PROJECTION = new Option("--projection", "MATERIALIZER_PROJECTION", "",
      "projection name in projection_watermarks (default: the table)");
  public static final Option NAMESPACE = new Option("--namespace", "MATERIALIZER_NAMESPACE", Namespaces.DEFAULT,
      "Kubernetes namespace of the projection: part of the watermark key and of the table's owner");
  public static final Option PROJECTION_UID = new Option("--projection-uid", "MATERIALIZER_PROJECTION_UID", "",
      "uid of the Projection, recorded with the table's owner (information only)");
  public static final Option GROUP = new Option("--group", "MATERIALIZER_GROUP", "",
      "consumer group (default: " + ProjectionGroups.DEFAULT_FORM + ")");
  public static final Option MAX_RECORDS = new Option("--max-records", "MATERIALIZER_MAX_RECORDS", "500",
      "max records per poll");
  public static final Option POLL_TIMEOUT_MS = new Option("--poll-timeout-ms", "MATERIALIZER_POLL_TIMEOUT_MS", "100",
      "poll timeout in ms");
  public static final Option SESSION_TIMEOUT_MS = new Option("--session-timeout-ms",
      "MATERIALIZER_SESSION_TIMEOUT_MS", "10000",
      "consumer group session timeout in ms (how fast a crashed instance's partitions move)");
  public static final Option GROUP_INSTANCE_ID = new Option("--group-instance-id", "MATERIALIZER_GROUP_INSTANCE_ID",
      "", "static group member id (Kafka group.instance.id; the operator passes the pod's name): a process restarted"
          + " under the same id takes its partitions back at once (default: a dynamic member)");
  public static final Option IDLE_TRANSACTION_TIMEOUT_MS = new Option("--idle-transaction-timeout-ms",
      "MATERIALIZER_IDLE_TRANSACTION_TIMEOUT_MS", "45000",
      "PostgreSQL ends a session of this process idle inside a transaction this long (a frozen process or a lost"
          + " node), releasing its row locks; above the DLQ's 30 s delivery timeout");
  /** Upper bound of {@link #WRITERS}: each writer is a connection, and two cores gain nothing beyond a few. */
  public static final int MAX_WRITERS = 8;
  public static final Option WRITERS = new Option("--writers", "MATERIALIZER_WRITERS", "2",
      "PostgreSQL connections that write a large poll's partition batches in parallel, each in its own transaction"
          + " (1-" + MAX_WRITERS + "; small polls use one); the process holds this many connections");
  /** Upper bound of {@link #FETCH_WAIT_MS}: Kafka's own fetch wait, beyond which the lag it adds is the point. */
  public static final int MAX_FETCH_WAIT_MS = 500;
  public static final Option FETCH_WAIT_MS = new Option("--fetch-wait-ms", "MATERIALIZER_FETCH_WAIT_MS", "5",
      "while records flow, the shortest time between polls, so that each fetch carries what arrived meanwhile (0-"
          + MAX_FETCH_WAIT_MS + "; 0 = poll again at once): fewer, larger polls and transactions under steady"
          + " traffic, at most this much added lag; an idle materializer waits on the broker as Kafka's consumer does");
  public static final Option HTTP_PORT = new Option("--http-port", "MATERIALIZER_HTTP_PORT", "8080",
      "HTTP port; 0 = any free port (printed), -1 = off");

  /** All of them, in the order of the usage text. */
  static final CommandOptions<ConfigException> OPTIONS = new CommandOptions<>("usage: workloads materialize [options]",
      List.of(BOOTSTRAP_SERVERS, TOPIC, DLQ_TOPIC, JDBC_URL, DB_USER, TABLE, SCHEMA, PROJECTION, NAMESPACE,
          PROJECTION_UID, GROUP, MAX_RECORDS, POLL_TIMEOUT_MS, SESSION_TIMEOUT_MS, GROUP_INSTANCE_ID,
          IDLE_TRANSACTION_TIMEOUT_MS, WRITERS, FETCH_WAIT_MS, HTTP_PORT),
      ConfigException::new);

  private MaterializerOptions() {
  }

  /** Every option the command accepts. */
  public static List<Option> all() {
    return OPTIONS.options();
  }
}
