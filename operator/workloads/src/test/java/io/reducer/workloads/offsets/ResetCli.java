package io.reducer.workloads.offsets;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.reducer.workloads.materializer.TestCluster;

/**
 * Runs {@code workloads offsets reset} in the test JVM with the arguments and environment a Job would give it, and
 * captures its output and the result it writes to its termination log.
 */
final class ResetCli {

  /** What one run printed and returned. */
  record Run(int exitCode, String out, String err, ResetResult result) {

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  private static final AtomicInteger RUNS = new AtomicInteger();

  private final TestCluster cluster;
  private final Path directory;

  ResetCli(TestCluster cluster, Path directory) {
    this.cluster = cluster;
    this.directory = directory;
  }

  /** The environment a reset Job gets for a topic, projection and table of the cluster. */
  Map<String, String> env(String topic, String projection, String table) {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", cluster.broker.bootstrapServers());
    env.put("RESET_TOPIC", topic);
    env.put("RESET_JDBC_URL", cluster.postgres.jdbcUrl());
    env.put("PGUSER", cluster.postgres.user());
    env.put("PGPASSWORD", cluster.postgres.password());
    env.put("RESET_TABLE", table);
    env.put("RESET_PROJECTION", projection);
    return env;
  }

  Run run(Map<String, String> env, String... args) throws Exception {
    return run(env, Clock.systemUTC(), args);
  }

  Run run(Map<String, String> env, Clock clock, String... args) throws Exception {
    Path terminationLog = directory.resolve("termination-" + RUNS.incrementAndGet() + ".log");
    List<String> all = new ArrayList<>(List.of("reset", "--termination-log", terminationLog.toString()));
    all.addAll(List.of(args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = OffsetsCommand.run(all, env, outStream, errStream, clock);
    }
    ResetResult result = Files.exists(terminationLog) ? ResetResult.parse(Files.readString(terminationLog)) : null;
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), result);
  }
}
