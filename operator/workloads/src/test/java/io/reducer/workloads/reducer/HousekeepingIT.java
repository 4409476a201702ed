package io.reducer.workloads.reducer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.reducer.testsupport.postgres.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The relay leader's cleanups against a real PostgreSQL: what they delete, what they keep, what they read. */
class HousekeepingIT {

  private static final Duration RETENTION = Duration.ofHours(1);
  private static PostgresServer postgres;

  @BeforeAll
  static void start() {
    postgres = PostgresServer.start();
  }

  @AfterAll
  static void stop() {
    postgres.close();
  }

  @Test
  void expiredDedupRowsAndPublishedOutboxRowsPastTheRetentionGoTheRestStays() throws Exception {
    try (Connection connection = store("kept")) {
      // Dedup: 25,000 expired (more than two chunks), 5,000 not.
      execute(connection, "INSERT INTO kept.action_dedup_log SELECT 'old-' || g, 'k', 'APPLIED', "
          + "now() - interval '2 days', now() - interval '1 day' FROM generate_series(1, 25000) g");
      execute(connection, "INSERT INTO kept.action_dedup_log SELECT 'new-' || g, 'k', 'APPLIED', now(), "
          + "now() + interval '1 day' FROM generate_series(1, 5000) g");
      // Outbox: 1-25,000 two hours old and published, 25,001-30,000 two hours old and not yet published (the relay
      // is behind), 30,001-40,000 a minute old.
      outbox(connection, "kept", 1, 30000, "2 hours");
      outbox(connection, "kept", 30001, 40000, "1 minute");
      execute(connection, "UPDATE kept.reducer_outbox_cursor SET next_sequence = 25001");
      connection.commit();

      try (ReducerMetrics metrics = new ReducerMetrics("kept")) {
      Housekeeping housekeeping = new Housekeeping("kept", RETENTION, metrics);
      assertThat(housekeeping.runIfDue(connection)).isTrue();

      assertThat(count(connection, "SELECT count(*) FROM kept.action_dedup_log")).isEqualTo(5000);
      assertThat(count(connection, "SELECT count(*) FROM kept.action_dedup_log WHERE action_id LIKE 'old-%'"))
          .isZero();
      assertThat(housekeeping.lastDeleted()).isEqualTo(25000);
      assertThat(count(connection, "SELECT min(sequence) FROM kept.reducer_outbox")).isEqualTo(25001);
      assertThat(count(connection, "SELECT count(*) FROM kept.reducer_outbox")).isEqualTo(15000);
      assertThat(housekeeping.runIfDue(connection)).as("not due again for %s", Housekeeping.INTERVAL).isFalse();
      }
    }
  }

  @Test
  void aCleanupReadsOneChunkOfThePublishedOutboxNotEveryRowKeptForTheRetention() throws Exception {
    try (Connection connection = store("young")) {
      // An hour's retention at a steady rate: every published row is younger than the retention.
      outbox(connection, "young", 1, 100000, "10 minutes");
      execute(connection, "UPDATE young.reducer_outbox_cursor SET next_sequence = 100001");
      connection.commit();
      execute(connection, "ANALYZE young.reducer_outbox");
      connection.commit();
      long before = outboxRowsRead(connection);

      try (ReducerMetrics metrics = new ReducerMetrics("young")) {
        assertThat(new Housekeeping("young", RETENTION, metrics).runIfDue(connection)).isTrue();
      }

      // One chunk (10,000 rows) and a few more; a scan of every published row would read 100,000.
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(outboxRowsRead(connection) - before).isBetween(10000L, 11000L));
      assertThat(count(connection, "SELECT count(*) FROM young.reducer_outbox")).isEqualTo(100000);
    }
  }

  /** A connection (not in auto-commit) to a new canonical store in {@code schema}. */
  private static Connection store(String schema) throws SQLException {
    Connection connection = postgres.connect();
    connection.setAutoCommit(false);
    execute(connection, "CREATE SCHEMA " + schema);
    connection.commit();
    CanonicalSchema.create(connection, schema);
    return connection;
  }

  private static void outbox(Connection connection, String schema, int from, int to, String age)
      throws SQLException {
    execute(connection, "INSERT INTO " + schema + ".reducer_outbox (sequence, workflow_key, version, state, "
        + "committed_at) SELECT g, 'wf-' || g, 1, 'OPEN', now() - interval '" + age + "' "
        + "FROM generate_series(" + from + ", " + to + ") g");
  }

  /** Rows of the outbox read so far, by sequential or index scans, as the cumulative statistics have them. */
  private static long outboxRowsRead(Connection connection) throws SQLException {
    // This session's own reads reach the statistics once flushed, at the end of a transaction at the earliest.
    execute(connection, "SELECT pg_stat_force_next_flush()");
    connection.commit();
    execute(connection, "SELECT pg_stat_clear_snapshot()");
    long read = count(connection, "SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) "
        + "FROM pg_stat_user_tables WHERE schemaname = 'young' AND relname = 'reducer_outbox'");
    connection.commit();
    return read;
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    }
  }
}
