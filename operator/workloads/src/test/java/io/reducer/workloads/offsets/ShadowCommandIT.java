package io.reducer.workloads.offsets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reducer.testsupport.postgres.PostgresServer;
import io.reducer.workloads.CliRun;
import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.materializer.ProjectionSchema;

/**
 * {@code workloads offsets shadow} as a Job runs it: each step's outcome is in the exit code and in the JSON of the
 * termination log, and a retried step reports its work as already done.
 */
class ShadowCommandIT {

  private static PostgresServer postgres;
  @TempDir
  Path directory;

  @BeforeAll
  static void startPostgres() throws SQLException {
    postgres = PostgresServer.start();
    try (Connection connection = postgres.connect()) {
      connection.setAutoCommit(false);
      ProjectionSchema.create(connection, "public", "workflow_projection");
    }
    execute("INSERT INTO workflow_projection (workflow_key, version) VALUES ('k', 1)",
        "INSERT INTO projection_watermarks (namespace, projection, partition, next_offset, epoch) "
            + "VALUES ('orders', 'wp', 0, 10, 2)");
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void createCutoverAndRetriesReportTheirOutcomeInTheExitCodeAndTheTerminationLog() throws Exception {
    CliRun created = shadow("create");
    CliRun again = shadow("create");

    assertThat(created.exitCode()).as(created.toString()).isEqualTo(ExitCodes.OK);
    ShadowResult result = ShadowResult.parse(created.terminationLog());
    assertThat(result.result()).isEqualTo(ShadowResult.Outcome.Completed);
    assertThat(result.shadowTable()).isEqualTo("workflow_projection_shadow_a1");
    assertThat(result.shadowProjection()).isEqualTo("wp#shadow-a1");
    assertThat(result.shadowGroup()).isEqualTo("reducer-materializer-wp-shadow-a1");
    assertThat(created.out()).contains("--table workflow_projection_shadow_a1 --projection 'wp#shadow-a1'");
    assertThat(ShadowResult.parse(again.terminationLog()).result()).isEqualTo(ShadowResult.Outcome.Unchanged);

    execute("INSERT INTO workflow_projection_shadow_a1 (workflow_key, version) VALUES ('k', 2)",
        "INSERT INTO projection_watermarks (namespace, projection, partition, next_offset, epoch) "
            + "VALUES ('orders', 'wp#shadow-a1', 0, 9, 0)");
    CliRun behind = shadow("cutover");

    assertThat(behind.exitCode()).as(behind.toString()).isEqualTo(ExitCodes.NOT_READY);
    assertThat(ShadowResult.parse(behind.terminationLog()).message()).contains("0: shadow at 9, live at 10");

    execute("UPDATE projection_watermarks SET next_offset = 10 WHERE projection = 'wp#shadow-a1'");
    CliRun cutover = shadow("cutover", "--keep-previous", "true");
    CliRun retried = shadow("cutover", "--keep-previous", "true");

    assertThat(cutover.exitCode()).as(cutover.toString()).isEqualTo(ExitCodes.OK);
    ShadowResult cut = ShadowResult.parse(cutover.terminationLog());
    assertThat(cut.result()).isEqualTo(ShadowResult.Outcome.Completed);
    assertThat(cut.newEpoch()).isEqualTo(3);
    assertThat(cut.partitions()).isEqualTo(1);
    assertThat(cut.previousTable()).isEqualTo("workflow_projection_prev_a1");
    assertThat(cut.lockMillis()).isNotNull().isLessThan(1000);
    assertThat(retried.exitCode()).isEqualTo(ExitCodes.OK);
    ShadowResult retry = ShadowResult.parse(retried.terminationLog());
    assertThat(retry.result()).isEqualTo(ShadowResult.Outcome.Unchanged);
    // A retry whose first run's answer was lost still reports what is in force, and no lock time of its own.
    assertThat(retry.newEpoch()).isEqualTo(3);
    assertThat(retry.previousTable()).isEqualTo("workflow_projection_prev_a1");
    assertThat(retry.lockMillis()).isNull();
    assertThat(retry.message()).contains("the live projection is at epoch 3", "workflow_projection_prev_a1 is kept");

    CliRun dropped = shadow("drop-previous");
    assertThat(ShadowResult.parse(dropped.terminationLog()).result()).isEqualTo(ShadowResult.Outcome.Completed);
    assertThat(ShadowResult.parse(shadow("discard").terminationLog()).result())
        .isEqualTo(ShadowResult.Outcome.Unchanged);
  }

  @Test
  void aBadRebuildIdIsAConfigurationErrorInTheTerminationLogToo() throws Exception {
    CliRun run = CliRun.run(directory, env(), List.of("offsets", "shadow", "create", "--jdbc-url", postgres.jdbcUrl(),
        "--rebuild-id", "Not-Valid"));

    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    assertThat(ShadowResult.parse(run.terminationLog()).message()).contains("invalid --rebuild-id 'Not-Valid'");
  }

  private CliRun shadow(String action, String... options) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("offsets", "shadow", action, "--jdbc-url",
        postgres.jdbcUrl(), "--namespace", "orders", "--projection", "wp", "--rebuild-id", "a1"));
    command.addAll(List.of(options));
    return CliRun.run(directory, env(), command);
  }

  private static Map<String, String> env() {
    return Map.of("PGUSER", postgres.user(), "PGPASSWORD", postgres.password());
  }

  private static void execute(String... statements) throws SQLException {
    try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
