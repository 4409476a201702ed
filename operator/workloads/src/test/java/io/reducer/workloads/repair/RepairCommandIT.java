package io.reducer.workloads.repair;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reducer.testsupport.postgres.PostgresServer;
import io.reducer.workloads.CliRun;
import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.materializer.ProjectionSchema;
import io.reducer.workloads.reducer.CanonicalSchema;

/**
 * {@code workloads repair} against a real PostgreSQL: the canonical store and a projection that drifted from it (rows
 * missing, behind, ahead, or wrong at the same version).
 */
class RepairCommandIT {

  private static PostgresServer postgres;
  @TempDir
  Path directory;

  @BeforeAll
  static void startPostgres() throws SQLException {
    postgres = PostgresServer.start();
    try (Connection connection = postgres.connect()) {
      connection.setAutoCommit(false);
      CanonicalSchema.create(connection, "public");
      ProjectionSchema.create(connection, "public", "workflow_projection");
      connection.commit();
    }
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  /**
   * Canonical: wf-000 .. wf-024 at version 3 (state DONE). Projection: wf-000 .. wf-009 missing, wf-010 .. wf-014
   * at version 1, wf-015 .. wf-019 at version 3 but state WRONG, wf-020 .. wf-023 at version 5 (a materializer is
   * ahead of this snapshot), wf-024 current.
   */
  @BeforeEach
  void drift() throws SQLException {
    execute("TRUNCATE workflow_state, workflow_projection",
        "INSERT INTO workflow_state (workflow_key, version, state, namespace, last_action, correlation_id) "
            + "SELECT 'wf-' || lpad(i::text, 3, '0'), 3, 'DONE', 'orders', 'finish', 'c-' || i "
            + "FROM generate_series(0, 24) i",
        "INSERT INTO workflow_projection (workflow_key, version, state) "
            + "SELECT 'wf-' || lpad(i::text, 3, '0'), 1, 'OPEN' FROM generate_series(10, 14) i",
        "INSERT INTO workflow_projection (workflow_key, version, state) "
            + "SELECT 'wf-' || lpad(i::text, 3, '0'), 3, 'WRONG' FROM generate_series(15, 19) i",
        "INSERT INTO workflow_projection (workflow_key, version, state) "
            + "SELECT 'wf-' || lpad(i::text, 3, '0'), 5, 'LATER' FROM generate_series(20, 23) i",
        "INSERT INTO workflow_projection (workflow_key, version, state) VALUES ('wf-024', 3, 'DONE')");
  }

  @Test
  void staleRowsAreWrittenFromTheCanonicalStoreInPagesAndNoRowMovesBack() throws Exception {
    CliRun run = repair("--page-size", "4");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    RepairResult result = RepairResult.parse(run.terminationLog());
    assertThat(result.result()).isEqualTo(RepairResult.Outcome.Completed);
    assertThat(result.examined()).isEqualTo(15);
    assertThat(result.written()).isEqualTo(15);
    assertThat(result.pages()).isEqualTo(4);
    assertThat(run.out()).contains("repair: Completed: wrote 15 of 15 canonical row(s) behind in "
        + "public.workflow_projection in 4 page(s)");
    Map<String, String> rows = projection();
    assertThat(rows).hasSize(25);
    for (int i = 0; i < 15; i++) {
      assertThat(rows).containsEntry(key(i), "3 DONE");
    }
    assertThat(rows).as("same version, not stale: left alone").containsEntry(key(15), "3 WRONG");
    assertThat(rows).as("newer than canonical: never moved back").containsEntry(key(20), "5 LATER");
    assertThat(staleCount()).as("the runbooks' consistency query").isZero();
    try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT namespace, last_action, correlation_id, committed_at IS NOT NULL "
            + "FROM workflow_projection WHERE workflow_key = 'wf-003'")) {
      row.next();
      assertThat(List.of(row.getString(1), row.getString(2), row.getString(3), row.getString(4)))
          .containsExactly("orders", "finish", "c-3", "t");
    }

    RepairResult again = RepairResult.parse(repair().terminationLog());
    assertThat(again.examined()).as("a second run finds nothing behind").isZero();
    assertThat(again.written()).isZero();
  }

  @Test
  void scopeAllAlsoRewritesRowsAtTheSameVersionAndStillNeverMovesOneBack() throws Exception {
    RepairResult result = RepairResult.parse(repair("--scope", "all", "--page-size", "7").terminationLog());

    assertThat(result.examined()).isEqualTo(25);
    assertThat(result.written()).as("all but the four that are newer").isEqualTo(21);
    Map<String, String> rows = projection();
    assertThat(rows).containsEntry(key(15), "3 DONE").containsEntry(key(24), "3 DONE")
        .containsEntry(key(23), "5 LATER");
  }

  @Test
  void aDryRunCountsWhatTheRepairWouldWriteAndWritesNothing() throws Exception {
    CliRun run = repair("--scope", "all", "--dry-run", "true", "--page-size", "7");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    RepairResult result = RepairResult.parse(run.terminationLog());
    assertThat(result.dryRun()).isTrue();
    assertThat(result.examined()).isEqualTo(25);
    assertThat(result.written()).as("what a real run writes: all but the four that are newer").isEqualTo(21);
    assertThat(run.out()).contains("dry run, nothing written: would write 21 of 25 canonical row(s)");
    assertThat(staleCount()).as("nothing written").isEqualTo(15);
    assertThat(projection()).containsEntry(key(15), "3 WRONG").doesNotContainKey(key(0));
  }

  @Test
  void oneKeyRepairsOnlyThatKey() throws Exception {
    RepairResult result = RepairResult.parse(repair("--key", "wf-011").terminationLog());

    assertThat(result.examined()).isEqualTo(1);
    assertThat(result.key()).isEqualTo("wf-011");
    Map<String, String> rows = projection();
    assertThat(rows).containsEntry(key(11), "3 DONE").containsEntry(key(12), "1 OPEN").doesNotContainKey(key(0));
  }

  @Test
  void aMissingTableIsRefusedWithTheFixAndWritesNothing() throws Exception {
    CliRun run = repair("--table", "no_such_projection");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    RepairResult result = RepairResult.parse(run.terminationLog());
    assertThat(result.result()).isEqualTo(RepairResult.Outcome.Refused);
    assertThat(run.err()).contains("no table public.no_such_projection").contains("fix --schema or --table");
    assertThat(projection()).containsEntry(key(11), "1 OPEN");

    CliRun badScope = repair("--scope", "everything");
    assertThat(badScope.exitCode()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    assertThat(badScope.err()).contains("invalid --scope 'everything': use one of stale, all");
  }

  private CliRun repair(String... options) throws Exception {
    List<String> command = new ArrayList<>(List.of("repair", "--jdbc-url", postgres.jdbcUrl()));
    command.addAll(List.of(options));
    return CliRun.run(directory, Map.of("PGUSER", postgres.user(), "PGPASSWORD", postgres.password()), command);
  }

  private static String key(int i) {
    return String.format("wf-%03d", i);
  }

  /** Every projection row as "version state", by key. */
  private static Map<String, String> projection() throws SQLException {
    Map<String, String> rows = new LinkedHashMap<>();
    try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT workflow_key, version, state FROM workflow_projection "
            + "ORDER BY workflow_key")) {
      while (row.next()) {
        rows.put(row.getString(1), row.getLong(2) + " " + row.getString(3));
      }
    }
    return rows;
  }

  private static long staleCount() throws SQLException {
    try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT count(*) FROM workflow_state c LEFT JOIN workflow_projection "
            + "p ON p.workflow_key = c.workflow_key WHERE c.version > COALESCE(p.version, 0)")) {
      row.next();
      return row.getLong(1);
    }
  }

  private static void execute(String... statements) throws SQLException {
    try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
