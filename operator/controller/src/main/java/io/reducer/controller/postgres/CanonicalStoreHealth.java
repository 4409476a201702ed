package io.reducer.controller.postgres;

import io.reducer.workloads.materializer.Identifiers;
import io.reducer.workloads.reducer.CanonicalSchema;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * The health figures of one pipeline's canonical store, read with one SQL statement per probe: the reducers' rows of
 * reducer_stats (docs/reducer.md, "Stats for the operator"), the outbox head, cursor and gaps, the gave-up log and the
 * dedup log. The cost does not grow with the tables: every part is an index lookup, a catalog read or a scan of the
 * few stats and gap rows.
 */
public final class CanonicalStoreHealth {

  /** SQLSTATE undefined_table. */
  static final String UNDEFINED_TABLE = "42P01";

  private final String schema;
  private final String sql;

  public CanonicalStoreHealth(String schema) {
    Identifiers.quote(schema);
    this.schema = schema;
    String stats = Identifiers.qualified(schema, CanonicalSchema.STATS);
    String head = Identifiers.qualified(schema, CanonicalSchema.OUTBOX_HEAD);
    String cursor = Identifiers.qualified(schema, CanonicalSchema.OUTBOX_CURSOR);
    String outbox = Identifiers.qualified(schema, CanonicalSchema.OUTBOX);
    String gaps = Identifiers.qualified(schema, CanonicalSchema.OUTBOX_GAPS);
    String gaveUp = Identifiers.qualified(schema, CanonicalSchema.GAVE_UP);
    String dedup = Identifiers.qualified(schema, CanonicalSchema.DEDUP);
    sql = "WITH fresh AS ("
        // Rows of processes that stopped stay a day; only rows written within the freshness window count.
        + "SELECT count(*) AS processes, sum(window_applied) AS applied, sum(window_conflicts) AS conflicts, "
        + "sum(window_gave_up) AS gave_up, max(commit_p95_ms) AS commit_p95_ms FROM " + stats
        + " WHERE pipeline = ? AND updated_at > now() - ? * interval '1 millisecond'), "
        // Only the outbox leader cleans up; the latest cleanup of any process that led, however old its row.
        + "cleanup AS (SELECT dedup_cleanup_at, dedup_cleanup_deleted FROM " + stats
        + " WHERE pipeline = ? AND dedup_cleanup_at IS NOT NULL ORDER BY dedup_cleanup_at DESC LIMIT 1), "
        // The runbook's backlog (runs.lastSeq - run_outbox.nextSeq + 1); the oldest unpublished row is the first at
        // or after the cursor, as sequences are taken in commit order: one primary-key lookup.
        + "outbox AS (SELECT h.last_sequence - c.next_sequence + 1 AS backlog, "
        + "(SELECT o.committed_at FROM " + outbox + " o WHERE o.sequence >= c.next_sequence ORDER BY o.sequence "
        + "LIMIT 1) AS oldest, "
        // A recorded gap the relay got past (the row appeared) no longer blocks publishing.
        + "(SELECT count(*) FROM " + gaps + " g WHERE g.sequence >= c.next_sequence) AS gaps "
        + "FROM " + head + " h CROSS JOIN " + cursor + " c), "
        // action_dedup_log holds one row per action for the dedup TTL: millions of rows at full rate, too many to
        // count(*) every probe. The estimate is the planner's: rows per page at the last VACUUM/ANALYZE times the
        // pages now. Only while the table was never analyzed (reltuples < 0, or analyzed empty) is it counted
        // exactly; autovacuum analyzes it after its first 50 rows, so that count stays small.
        + "dedup AS (SELECT CASE WHEN c.reltuples < 0 OR c.relpages = 0 THEN (SELECT count(*) FROM " + dedup + ") "
        + "ELSE round(c.reltuples / c.relpages * (pg_relation_size(c.oid) / current_setting('block_size')::bigint))"
        + "::bigint END AS entries FROM pg_catalog.pg_class c WHERE c.oid = ?::regclass) "
        + "SELECT f.processes, f.applied, f.conflicts, f.gave_up, f.commit_p95_ms, greatest(o.backlog, 0) AS backlog, "
        + "CASE WHEN o.backlog <= 0 THEN 0 "
        + "ELSE greatest(0, floor(extract(epoch FROM now() - o.oldest) * 1000))::bigint END AS lag_ms, o.gaps, "
        + "(SELECT count(*) FROM " + gaveUp + " WHERE \"timestamp\" > now() - ? * interval '1 millisecond') "
        + "AS gave_up_logged, d.entries, cl.dedup_cleanup_at, cl.dedup_cleanup_deleted "
        + "FROM fresh f LEFT JOIN outbox o ON true LEFT JOIN dedup d ON true LEFT JOIN cleanup cl ON true";
  }

  /** The statement, for tests and EXPLAIN. */
  String sql() {
    return sql;
  }

  /**
   * Reads the figures of {@code pipeline} in one statement.
   *
   * @param pipeline the name the reducers report in reducer_stats.pipeline (their --pipeline option, which the
   *     operator sets to the ReducerPipeline's metadata.name)
   * @param freshness stats rows written longer ago are left out (their process stopped); three times the reducers'
   *     5 s stats interval is right
   * @param gaveUpWindow how far back reducer_gaveup_log rows are counted, e.g. the probe interval
   * @throws DatabaseFailure reason {@link DatabaseFailure.Reason#CanonicalStoreMissing} when the store's tables do
   *     not exist, otherwise by SQLSTATE
   */
  public Figures read(DatabasePool pool, String pipeline, Duration freshness, Duration gaveUpWindow)
      throws DatabaseFailure {
    String what = "reading the health of pipeline " + pipeline + " from the canonical store in schema " + schema;
    return pool.run(what, connection -> {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        statement.setString(1, pipeline);
        statement.setLong(2, freshness.toMillis());
        statement.setString(3, pipeline);
        statement.setString(4, Identifiers.qualified(schema, CanonicalSchema.DEDUP));
        statement.setLong(5, gaveUpWindow.toMillis());
        try (ResultSet row = statement.executeQuery()) {
          row.next();
          return figures(row);
        }
      } catch (SQLException e) {
        if (UNDEFINED_TABLE.equals(e.getSQLState())) {
          throw new DatabaseFailure(DatabaseFailure.Reason.CanonicalStoreMissing, what + " on " + pool.target()
              + ": the canonical store's tables do not exist in schema " + schema + " ("
              + firstLine(e.getMessage()) + "); the operator creates them once it can (see the SchemaReady "
              + "condition)", e);
        }
        throw DatabaseFailure.of(e, pool.target(), what);
      }
    });
  }

  private static Figures figures(ResultSet row) throws SQLException {
    int processes = row.getInt("processes");
    Double conflictRate = null;
    Double successRate = null;
    Double commitP95 = null;
    Long windowGaveUp = null;
    if (processes > 0) {
      long applied = row.getLong("applied");
      long conflicts = row.getLong("conflicts");
      long gaveUp = row.getLong("gave_up");
      windowGaveUp = gaveUp;
      // Reducers report but nothing was committed, conflicted or given up in the window: measured, not unknown.
      conflictRate = applied + conflicts == 0 ? 0.0 : 100.0 * conflicts / (applied + conflicts);
      successRate = applied + gaveUp == 0 ? 100.0 : 100.0 * applied / (applied + gaveUp);
      double p95 = row.getDouble("commit_p95_ms");
      commitP95 = row.wasNull() ? null : p95;
    }
    return new Figures(processes, conflictRate, successRate, commitP95, windowGaveUp, nullableLong(row, "backlog"),
        nullableLong(row, "lag_ms"), nullableLong(row, "gaps"), nullableLong(row, "gave_up_logged"),
        nullableLong(row, "entries"), instant(row.getTimestamp("dedup_cleanup_at")),
        nullableLong(row, "dedup_cleanup_deleted"));
  }

  private static Long nullableLong(ResultSet row, String column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? null : value;
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("").replaceFirst("^ERROR: ", "");
  }

  /**
   * What one read found. Values derived from reducer_stats are null when no reducer of the pipeline wrote its row
   * within the freshness window (none runs): unknown, never 0.
   *
   * @param reducersReporting processes whose stats row is fresh
   * @param conflictRatePercent conflicts / (applied + conflicts) over the reducers' latest windows; 0 when they
   *     committed nothing
   * @param successRatePercent applied / (applied + gave up) over the same windows; 100 when nothing was applied or
   *     given up
   * @param commitP95Ms the largest p95 the reducers report; null also before their first commit
   * @param windowGaveUp actions given up in the reducers' latest windows
   * @param outboxBacklog head minus cursor plus one, at least 0; null when the head or cursor row is missing
   * @param outboxLagMs age of the oldest unpublished outbox row; 0 when the backlog is 0, null when there is a
   *     backlog but no unpublished row (only with a gap)
   * @param outboxGaps recorded sequence gaps at or after the cursor: the relay is stopped at one
   * @param gaveUpLogged rows of reducer_gaveup_log within the gave-up window
   * @param dedupEntries estimated rows of action_dedup_log
   * @param dedupLastCleanup when the outbox leader last deleted expired dedup rows; null before the first cleanup
   * @param dedupLastCleanupDeleted rows that cleanup deleted
   */
  public record Figures(int reducersReporting, Double conflictRatePercent, Double successRatePercent,
      Double commitP95Ms, Long windowGaveUp, Long outboxBacklog, Long outboxLagMs, Long outboxGaps, Long gaveUpLogged,
      Long dedupEntries, Instant dedupLastCleanup, Long dedupLastCleanupDeleted) {
  }
}
