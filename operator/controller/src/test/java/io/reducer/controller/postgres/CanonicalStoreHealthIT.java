package io.reducer.controller.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.reducer.testsupport.postgres.PostgresServer;
import io.reducer.workloads.reducer.CanonicalSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The canonical store's health query against a real PostgreSQL, with the runbooks' diagnostic SQL beside it. */
class CanonicalStoreHealthIT {

  private static final Duration FRESH = Duration.ofSeconds(15);
  private static final Duration HOUR = Duration.ofHours(1);

  private static PostgresServer postgres;
  private static DatabasePool pool;

  @BeforeAll
  static void startDatabase() {
    postgres = PostgresServer.start();
    pool = new DatabasePool(new DatabaseLogin(postgres.jdbcUrl(), postgres.user(), postgres.password(), "test"), 2,
        Duration.ofSeconds(10));
  }

  @AfterAll
  static void stopDatabase() {
    pool.close();
    postgres.close();
  }

  @Test
  void readsAPipelinesFiguresFromFreshStatsRowsTheOutboxAndTheLogsInOneStatement() throws Exception {
    createStore("busy");
    try (Connection connection = postgres.connect(); Statement sql = connection.createStatement()) {
      // Two running reducers of orders: 190 applied, 10 conflicts, 10 given up in their latest windows.
      stats(sql, "busy", "orders-0", "orders", "now() - interval '2 seconds'", 90, 10, 2, "4.5", true,
          "now() - interval '20 seconds'", 40L);
      stats(sql, "busy", "orders-1", "orders", "now()", 100, 0, 8, "7.25", false, null, null);
      // A stopped reducer of orders, and a reducer of another pipeline: both left out.
      stats(sql, "busy", "orders-old", "orders", "now() - interval '1 hour'", 0, 1000, 1000, "900", true,
          "now() - interval '2 hours'", 5L);
      stats(sql, "busy", "payments-0", "payments", "now()", 1, 500, 500, "800", true, "now()", 999L);
      // Published up to 4, head at 10, row 7 missing: backlog 6, the oldest unpublished row 5 is 2 s old.
      sql.execute("UPDATE busy.reducer_outbox_head SET last_sequence = 10");
      sql.execute("UPDATE busy.reducer_outbox_cursor SET next_sequence = 5");
      for (int s = 1; s <= 10; s++) {
        if (s != 7) {
          sql.execute("INSERT INTO busy.reducer_outbox (sequence, workflow_key, version, state, committed_at) VALUES ("
              + s + ", 'w" + s + "', 1, 'PENDING', now() - interval '" + (12 - s) + " seconds' + interval '5 seconds')");
        }
      }
      // Gap 7 blocks the relay; gap 2 was recorded once but the row appeared and the relay went past it.
      sql.execute("INSERT INTO busy.reducer_outbox_gaps (sequence, last_sequence) VALUES (7, 10), (2, 3)");
      sql.execute("INSERT INTO busy.action_dedup_log (action_id, workflow_key, outcome, expires_at) VALUES "
          + "('a1', 'w1', 'APPLIED', now() + interval '1 day'), ('a2', 'w2', 'APPLIED', now() + interval '1 day'), "
          + "('a3', 'w3', 'REJECTED', now() + interval '1 day')");
      sql.execute("INSERT INTO busy.reducer_gaveup_log (action_id, workflow_key, attempts, last_error, \"timestamp\") "
          + "VALUES ('g1', 'w1', 3, 'conflict', now() - interval '1 minute'), ('g2', 'w2', 3, 'conflict', now()), "
          + "('g3', 'w3', 3, 'conflict', now()), ('g0', 'w0', 3, 'conflict', now() - interval '2 hours')");
    }

    Instant before = Instant.now();
    CanonicalStoreHealth.Figures figures = new CanonicalStoreHealth("busy").read(pool, "orders", FRESH, HOUR);

    assertThat(figures.reducersReporting()).isEqualTo(2);
    assertThat(figures.conflictRatePercent()).isCloseTo(5.0, within(1e-9));
    assertThat(figures.successRatePercent()).isCloseTo(95.0, within(1e-9));
    assertThat(figures.commitP95Ms()).isEqualTo(7.25);
    assertThat(figures.windowGaveUp()).isEqualTo(10);
    assertThat(figures.outboxBacklog()).isEqualTo(6);
    assertThat(figures.outboxLagMs()).isBetween(2000L, 2000L + Duration.between(before, Instant.now()).toMillis()
        + 1000);
    assertThat(figures.outboxGaps()).isEqualTo(1);
    assertThat(figures.gaveUpLogged()).isEqualTo(3);
    assertThat(figures.dedupEntries()).isEqualTo(3);
    assertThat(figures.dedupLastCleanupDeleted()).isEqualTo(40);
    assertThat(figures.dedupLastCleanup()).isBetween(before.minusSeconds(25), before.minusSeconds(15));

    // The runbooks' and docs/reducer.md's diagnostic SQL, on the same data, gives the same answers.
    try (Connection connection = postgres.connect(); Statement sql = connection.createStatement()) {
      sql.execute("SET search_path TO busy");
      try (ResultSet row = sql.executeQuery("SELECT h.last_sequence - c.next_sequence + 1 AS backlog "
          + "FROM reducer_outbox_head h, reducer_outbox_cursor c")) {
        row.next();
        assertThat(row.getLong("backlog")).isEqualTo(figures.outboxBacklog());
      }
      List<String> gaveUp = new ArrayList<>();
      try (ResultSet rows = sql.executeQuery("SELECT workflow_key, action_id, attempts, last_error "
          + "FROM reducer_gaveup_log WHERE timestamp > NOW() - INTERVAL '1 hour' ORDER BY timestamp DESC")) {
        while (rows.next()) {
          gaveUp.add(rows.getString("action_id"));
        }
      }
      assertThat(gaveUp).hasSize(figures.gaveUpLogged().intValue()).containsExactlyInAnyOrder("g1", "g2", "g3");
      try (ResultSet row = sql.executeQuery("SELECT sum(window_conflicts)::float8 / nullif(sum(window_applied) + "
          + "sum(window_conflicts), 0) AS conflict_rate, sum(window_applied)::float8 / nullif(sum(window_applied) + "
          + "sum(window_gave_up), 0) AS success_rate, max(commit_p95_ms) AS commit_p95_ms, "
          + "(SELECT count(*) FROM reducer_outbox_gaps) AS gaps "
          + "FROM reducer_stats WHERE pipeline = 'orders' AND updated_at > now() - interval '15 seconds'")) {
        row.next();
        assertThat(row.getDouble("conflict_rate") * 100).isCloseTo(figures.conflictRatePercent(), within(1e-9));
        assertThat(row.getDouble("success_rate") * 100).isCloseTo(figures.successRatePercent(), within(1e-9));
        assertThat(row.getDouble("commit_p95_ms")).isEqualTo(figures.commitP95Ms());
        // The doc's query counts every recorded gap; ours only those the relay has not got past.
        assertThat(row.getLong("gaps")).isEqualTo(2);
      }
    }
  }

  @Test
  void anIdleReducerIsMeasuredAsNoConflictsAndFullSuccessButNoReducerMeansUnknown() throws Exception {
    createStore("idle");
    CanonicalStoreHealth health = new CanonicalStoreHealth("idle");

    CanonicalStoreHealth.Figures none = health.read(pool, "orders", FRESH, HOUR);
    assertThat(none.reducersReporting()).isZero();
    assertThat(none.conflictRatePercent()).isNull();
    assertThat(none.successRatePercent()).isNull();
    assertThat(none.commitP95Ms()).isNull();
    assertThat(none.windowGaveUp()).isNull();
    // The store itself is measured: an empty outbox, no gaps, nothing logged.
    assertThat(none.outboxBacklog()).isZero();
    assertThat(none.outboxLagMs()).isZero();
    assertThat(none.outboxGaps()).isZero();
    assertThat(none.gaveUpLogged()).isZero();
    assertThat(none.dedupEntries()).isZero();
    assertThat(none.dedupLastCleanup()).isNull();
    assertThat(none.dedupLastCleanupDeleted()).isNull();

    try (Connection connection = postgres.connect(); Statement sql = connection.createStatement()) {
      stats(sql, "idle", "orders-0", "orders", "now()", 0, 0, 0, null, true, null, null);
    }
    CanonicalStoreHealth.Figures idle = health.read(pool, "orders", FRESH, HOUR);
    assertThat(idle.reducersReporting()).isEqualTo(1);
    assertThat(idle.conflictRatePercent()).isZero();
    assertThat(idle.successRatePercent()).isEqualTo(100.0);
    assertThat(idle.commitP95Ms()).isNull();
    assertThat(idle.windowGaveUp()).isZero();
  }

  @Test
  void dedupEntriesAreEstimatedFromTheStatisticsOnceTheTableWasAnalyzed() throws Exception {
    createStore("dedup");
    try (Connection connection = postgres.connect(); Statement sql = connection.createStatement()) {
      insertDedup(sql, 0, 5000);
      sql.execute("ANALYZE dedup.action_dedup_log");
      insertDedup(sql, 5000, 5000);
    }
    // Rows per page at the ANALYZE times the pages now.
    assertThat(new CanonicalStoreHealth("dedup").read(pool, "orders", FRESH, HOUR).dedupEntries())
        .isBetween(9500L, 10500L);
  }

  @Test
  void aStoreWhoseTablesDoNotExistIsReportedAsSuchNotAsAStackTrace() throws Exception {
    try (Connection connection = postgres.connect(); Statement sql = connection.createStatement()) {
      sql.execute("CREATE SCHEMA empty");
    }
    for (String schema : List.of("empty", "no_such_schema")) {
      assertThatThrownBy(() -> new CanonicalStoreHealth(schema).read(pool, "orders", FRESH, HOUR))
          .isInstanceOfSatisfying(DatabaseFailure.class, e -> {
            assertThat(e.reason()).isEqualTo(DatabaseFailure.Reason.CanonicalStoreMissing);
            assertThat(e.getMessage()).contains("the canonical store's tables do not exist in schema " + schema)
                .contains("does not exist").doesNotContain("\n");
          });
    }
  }

  private static void createStore(String schema) throws Exception {
    try (Connection connection = postgres.connect()) {
      connection.createStatement().execute("CREATE SCHEMA " + schema);
      connection.setAutoCommit(false);
      CanonicalSchema.create(connection, schema);
    }
  }

  private static void insertDedup(Statement sql, int from, int count) throws Exception {
    sql.execute("INSERT INTO dedup.action_dedup_log (action_id, workflow_key, outcome, expires_at) "
        + "SELECT 'a' || n, 'w' || n, 'APPLIED', now() + interval '1 day' FROM generate_series(" + from + ", "
        + (from + count - 1) + ") n");
  }

  private static void stats(Statement sql, String schema, String process, String pipeline, String updatedAt,
      long applied, long conflicts, long gaveUp, String p95, boolean leader, String cleanupAt, Long deleted)
      throws Exception {
    sql.execute("INSERT INTO " + schema + ".reducer_stats (process, pipeline, started_at, updated_at, "
        + "actions_applied, actions_rejected, actions_duplicate, conflicts, gave_up, window_seconds, window_applied, "
        + "window_conflicts, window_gave_up, commit_p95_ms, outbox_leader, dedup_cleanup_at, dedup_cleanup_deleted) "
        + "VALUES ('" + process + "', '" + pipeline + "', now() - interval '1 day', " + updatedAt + ", "
        + applied * 10 + ", 0, 0, " + conflicts * 10 + ", " + gaveUp * 10 + ", 5, " + applied + ", " + conflicts
        + ", " + gaveUp + ", " + p95 + ", " + leader + ", " + cleanupAt + ", " + deleted + ")");
  }
}
