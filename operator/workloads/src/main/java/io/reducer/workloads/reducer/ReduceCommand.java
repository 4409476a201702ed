package io.reducer.workloads.reducer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.health.ConsumerLoopStatus;
import io.reducer.workloads.kafka.KafkaStartupCheck.RequiredTopic;
import io.reducer.workloads.kafka.KafkaStartupCheck;
import io.reducer.workloads.materializer.ProjectionSchema;
import io.reducer.workloads.postgres.Database;
import io.reducer.workloads.reducer.spi.Reducer;

/**
 * {@code workloads reduce}: check the configuration, the broker and the database, create the canonical store
 * tables, then fold actions into workflow_state until stopped, with the outbox relay beside the poll loop.
 */
public final class ReduceCommand {

  private static final Logger LOG = LoggerFactory.getLogger(ReduceCommand.class);
  /** Kubernetes waits 30 s by default between SIGTERM and SIGKILL; finish well before. */
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);

  private ReduceCommand() {
  }

  public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.contains("--help") || args.contains("-h")) {
      out.print(ReducerConfig.usage());
      return ExitCodes.OK;
    }
    ReducerProcess process;
    try {
      ReducerConfig config = ReducerConfig.parse(args, env);
      process = prepare(config, processName(config, env));
    } catch (ReducerConfigException e) {
      err.println("reduce: configuration error: " + e.getMessage());
      return ExitCodes.BAD_CONFIGURATION;
    }
    Thread hook = new Thread(() -> {
      LOG.info("SIGTERM: stopping after the in-flight batch");
      process.stop();
      try {
        if (process.awaitStopped(SHUTDOWN_GRACE)) {
          // Without this the JVM reports 143 (killed by SIGTERM) even though the shutdown was clean.
          Runtime.getRuntime().halt(process.exitCode());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "reducer-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    int code = process.run();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook already runs and waits for us
    }
    return code;
  }

  /**
   * Checks the configuration against the broker and the database, creates the tables and returns a reducer ready
   * to {@link ReducerProcess#run()}, with its HTTP endpoints started when a port is configured.
   */
  public static ReducerProcess prepare(ReducerConfig config, String processName) throws ReducerConfigException {
    return prepare(config, processName, null);
  }

  /** {@link #prepare(ReducerConfig, String)} with a probe that sees where each action's time goes (a benchmark). */
  static ReducerProcess prepare(ReducerConfig config, String processName, ReducerProbe probe)
      throws ReducerConfigException {
    Reducer reducer = ReducerFactory.create(config);
    KafkaStartupCheck.requireTopics(config.kafkaSecurity().clientProperties(config.bootstrapServers()),
        config.bootstrapServers(), List.of(
            new RequiredTopic(config.actionsTopic(), "--actions-topic (REDUCER_ACTIONS_TOPIC)"),
            new RequiredTopic(config.stateCommittedTopic(), "--state-committed-topic (REDUCER_STATE_COMMITTED_TOPIC)"),
            new RequiredTopic(config.dlqTopic(), "--dlq-topic (REDUCER_DLQ_TOPIC)")),
        ReducerConfigException::new);
    Database database = new Database(config.jdbcUrl(), config.dbUser(), config.dbPassword(), "reducer");
    Database relayDatabase = new Database(config.jdbcUrl(), config.dbUser(), config.dbPassword(), "reducer-outbox");
    Database maintenanceDatabase = new Database(config.jdbcUrl(), config.dbUser(), config.dbPassword(),
        "reducer-maintenance");
    try {
      createSchema(config, database);
    } catch (ReducerConfigException e) {
      database.close();
      throw e;
    }
    ReducerMetrics metrics = new ReducerMetrics(config.pipeline());
    ConsumerLoopStatus status = new ConsumerLoopStatus();
    Housekeeping housekeeping = new Housekeeping(config.schema(), config.outboxRetention(), metrics);
    StatsReporter stats = new StatsReporter(config.schema(), config.pipeline(), processName, metrics);
    OutboxRelay relay = config.outboxRelay() ? new OutboxRelay(config, relayDatabase, metrics, processName, probe)
        : null;
    Maintenance maintenance = new Maintenance(maintenanceDatabase, metrics, housekeeping,
        new TableStatistics(config.schema()), stats, probe);
    AutoCloseable http = () -> { };
    if (config.httpPort() >= 0) {
      try {
        ReducerHttp endpoints = new ReducerHttp(config.httpPort(), status, database, metrics, housekeeping,
            config.outboxRelay());
        http = endpoints;
        // Printed on stdout on purpose: with port 0 this is how a caller learns the port.
        System.out.println("reducer http port: " + endpoints.port());
        System.out.flush();
      } catch (IOException e) {
        database.close();
        metrics.close();
        throw new ReducerConfigException("cannot listen on HTTP port " + config.httpPort()
            + ": pick a free one with --http-port (REDUCER_HTTP_PORT) (" + e.getMessage() + ")", e);
      }
    }
    CanonicalStore store = new CanonicalStore(config.schema());
    StateCache cache = new StateCache(config.stateCacheKeys());
    ActionBatchProcessor processor = new ActionBatchProcessor(store, reducer, config.dedupTtl(), cache);
    BatchWriter writer = new BatchWriter(config, database, processor, store, cache, metrics, status,
        relay == null ? rows -> { } : relay::committed, probe);
    ReducerLoop loop = new ReducerLoop(config, writer, metrics, status, probe);
    LOG.info("reducer {} with {}", processName, ReducerFactory.describe(reducer));
    return new ReducerProcess(loop, relay, maintenance, metrics, http);
  }

  private static void createSchema(ReducerConfig config, Database database) throws ReducerConfigException {
    try {
      database.connection();
    } catch (SQLException e) {
      throw new ReducerConfigException("cannot connect to PostgreSQL at " + config.jdbcUrl() + " as '"
          + config.dbUser() + "': check --jdbc-url (REDUCER_JDBC_URL), --db-user (PGUSER), PGPASSWORD and that the "
          + "server is up (" + e.getMessage() + ")", e);
    }
    try {
      if (!ProjectionSchema.schemaExists(database.connection(), config.schema())) {
        throw new ReducerConfigException("schema '" + config.schema() + "' does not exist: create it (CREATE SCHEMA "
            + config.schema() + ") or fix --schema (REDUCER_SCHEMA)");
      }
      CanonicalSchema.create(database.connection(), config.schema());
      database.answered();
    } catch (SQLException e) {
      throw new ReducerConfigException("cannot create the canonical store tables in schema '" + config.schema()
          + "': grant CREATE on it to '" + config.dbUser() + "' or create the tables beforehand (" + e.getMessage()
          + ")", e);
    }
  }

  /** Unique per process: the pod name (HOSTNAME) where there is one, and the pid. */
  static String processName(ReducerConfig config, Map<String, String> env) {
    String host = env.get("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "unknown-host";
      }
    }
    return config.pipeline() + "/" + host + "/" + ProcessHandle.current().pid();
  }
}
