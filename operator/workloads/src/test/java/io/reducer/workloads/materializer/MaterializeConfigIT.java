package io.reducer.workloads.materializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.Main;

/** Startup errors: exit code 2 and a message that says what to fix, before anything is consumed. */
class MaterializeConfigIT {

  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = new TestCluster();
    cluster.createTopics("present", 1);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void missingTopic() {
    Result result = run(cluster.env("absent", "absent", "absent_projection"));
    assertThat(result.code).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    assertThat(result.err).contains("topic 'absent' does not exist").contains("create it").contains("--topic");
  }

  @Test
  void badTableName() {
    Map<String, String> env = cluster.env("present", "present", "present_projection");
    env.put("MATERIALIZER_TABLE", "Projection; DROP TABLE projection_watermarks");
    Result result = run(env);
    assertThat(result.code).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    assertThat(result.err).contains("invalid --table").contains("^[a-z_][a-z0-9_]{0,62}$")
        .contains("MATERIALIZER_TABLE");
  }

  @Test
  void unresolvableBroker() {
    Map<String, String> env = cluster.env("present", "present", "present_projection");
    env.put("KAFKA_BOOTSTRAP_SERVERS", "kafka.invalid:9092");
    Result result = run(env);
    assertThat(result.code).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    assertThat(result.err).contains("KAFKA_BOOTSTRAP_SERVERS");
  }

  @Test
  void unreachableDatabase() throws Exception {
    Map<String, String> env = cluster.env("present", "present", "present_projection");
    env.put("MATERIALIZER_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + closedPort() + "/postgres");
    Result result = run(env);
    assertThat(result.code).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    assertThat(result.err).contains("cannot connect to PostgreSQL").contains("--jdbc-url");
  }

  @Test
  void unknownCommandAndHelp() {
    assertThat(run(List.of("frobnicate"), Map.of()).code).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    Result help = run(List.of("materialize", "--help"), Map.of());
    assertThat(help.code).isEqualTo(ExitCodes.OK);
    assertThat(help.out).contains("--bootstrap-servers").contains("PGPASSWORD");
  }

  /** A port nobody listens on: bound once by the OS, then released. */
  private static int closedPort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Result run(Map<String, String> env) {
    return run(List.of("materialize"), env);
  }

  private static Result run(List<String> args, Map<String, String> env) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(new ArrayList<>(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private record Result(int code, String out, String err) {
  }
}
