package io.reducer.workloads.materializer;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.health.ConsumerLoopStatus;
import io.reducer.workloads.postgres.Database;

/** {@code workloads materialize}: parse the configuration, check dependencies, run until stopped or fenced. */
public final class MaterializeCommand {

  private static final Logger LOG = LoggerFactory.getLogger(MaterializeCommand.class);
  /** Kubernetes waits 30 s by default between SIGTERM and SIGKILL; finish well before. */
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);

  private MaterializeCommand() {
  }

  public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.contains("--help") || args.contains("-h")) {
      out.print(MaterializerConfig.usage());
      return ExitCodes.OK;
    }
    Materializer materializer;
    try {
      materializer = prepare(MaterializerConfig.parse(args, env));
    } catch (ConfigException e) {
      err.println("materialize: configuration error: " + e.getMessage());
      return ExitCodes.BAD_CONFIGURATION;
    }
    Thread hook = new Thread(() -> {
      LOG.info("SIGTERM: stopping after the in-flight batch");
      materializer.stop();
      try {
        if (materializer.awaitStopped(SHUTDOWN_GRACE)) {
          // Without this the JVM reports 143 (killed by SIGTERM) even though the shutdown was clean.
          Runtime.getRuntime().halt(materializer.exitCode());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "materializer-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    int code = materializer.run();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook already runs and waits for us
    }
    return code;
  }

  /**
   * Checks the configuration against the broker and the database, creates the tables and returns a materializer
   * ready to {@link Materializer#run()}, with its HTTP endpoints started when a port is configured.
   */
  public static Materializer prepare(MaterializerConfig config) throws ConfigException {
    StartupChecks.kafka(config);
    Database database = config.database();
    try {
      StartupChecks.database(config, database);
    } catch (ConfigException e) {
      database.close();
      throw e;
    }
    MaterializerMetrics metrics = new MaterializerMetrics(config.projection());
    ConsumerLoopStatus status = new ConsumerLoopStatus();
    AutoCloseable http = () -> { };
    if (config.httpPort() >= 0) {
      try {
        HttpEndpoints endpoints = new HttpEndpoints(config.httpPort(), status, database, metrics);
        http = endpoints;
        // Printed on stdout on purpose: with port 0 this is how a caller learns the port.
        System.out.println("materializer http port: " + endpoints.port());
        System.out.flush();
      } catch (IOException e) {
        database.close();
        metrics.close();
        throw new ConfigException("cannot listen on HTTP port " + config.httpPort()
            + ": pick a free one with --http-port (MATERIALIZER_HTTP_PORT) (" + e.getMessage() + ")", e);
      }
    }
    Materializer materializer = new Materializer(config, database, metrics, status, http);
    return materializer;
  }
}
