package io.reducer.workloads.reducer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Keeps this process's row of reducer_stats fresh (every few seconds), so that the operator reads a pipeline's
 * conflict rate, success rate, commit p95, gave-up count and outbox state with one SQL query instead of scraping
 * every pod (docs/reducer.md, "Stats for the operator"). Totals are since the process started; the window
 * columns cover the time since the previous write.
 */
final class StatsReporter {

  static final Duration INTERVAL = Duration.ofSeconds(5);

  private final ReducerMetrics metrics;
  private final String pipeline;
  private final String process;
  private final Instant started = Instant.now();
  private final String upsert;
  private long nextWriteNanos = System.nanoTime();
  private long lastWriteNanos = System.nanoTime();
  private double lastApplied;
  private double lastConflicts;
  private double lastGaveUp;

  StatsReporter(String schema, String pipeline, String process, ReducerMetrics metrics) {
    this.pipeline = pipeline;
    this.process = process;
    this.metrics = metrics;
    upsert = "INSERT INTO " + CanonicalSchema.table(schema, CanonicalSchema.STATS) + " (process, pipeline, started_at, "
        + "updated_at, actions_applied, actions_rejected, actions_duplicate, conflicts, gave_up, window_seconds, "
        + "window_applied, window_conflicts, window_gave_up, commit_p95_ms, outbox_leader, dedup_cleanup_at, "
        + "dedup_cleanup_deleted) VALUES (?, ?, ?, now(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        + "ON CONFLICT (process) DO UPDATE SET updated_at = now(), actions_applied = EXCLUDED.actions_applied, "
        + "actions_rejected = EXCLUDED.actions_rejected, actions_duplicate = EXCLUDED.actions_duplicate, "
        + "conflicts = EXCLUDED.conflicts, gave_up = EXCLUDED.gave_up, window_seconds = EXCLUDED.window_seconds, "
        + "window_applied = EXCLUDED.window_applied, window_conflicts = EXCLUDED.window_conflicts, "
        + "window_gave_up = EXCLUDED.window_gave_up, commit_p95_ms = EXCLUDED.commit_p95_ms, "
        + "outbox_leader = EXCLUDED.outbox_leader, dedup_cleanup_at = EXCLUDED.dedup_cleanup_at, "
        + "dedup_cleanup_deleted = EXCLUDED.dedup_cleanup_deleted";
  }

  /** Returns whether it wrote (it was due). */
  boolean writeIfDue(Connection connection, boolean leader, Housekeeping housekeeping) throws SQLException {
    long now = System.nanoTime();
    if (now < nextWriteNanos) {
      return false;
    }
    double applied = metrics.applied();
    double conflicts = metrics.conflicts();
    double gaveUp = metrics.gaveUp();
    int windowSeconds = (int) Math.max(1, Math.round((now - lastWriteNanos) / 1e9));
    try (PreparedStatement statement = connection.prepareStatement(upsert)) {
      int i = 1;
      statement.setString(i++, process);
      statement.setString(i++, pipeline);
      statement.setObject(i++, started.atOffset(ZoneOffset.UTC));
      statement.setLong(i++, (long) applied);
      statement.setLong(i++, (long) metrics.rejected());
      statement.setLong(i++, (long) metrics.duplicates());
      statement.setLong(i++, (long) conflicts);
      statement.setLong(i++, (long) gaveUp);
      statement.setInt(i++, windowSeconds);
      statement.setLong(i++, (long) (applied - lastApplied));
      statement.setLong(i++, (long) (conflicts - lastConflicts));
      statement.setLong(i++, (long) (gaveUp - lastGaveUp));
      double p95 = metrics.commitP95Ms();
      if (Double.isNaN(p95)) {
        statement.setNull(i++, Types.DOUBLE);
      } else {
        statement.setDouble(i++, p95);
      }
      statement.setBoolean(i++, leader);
      Instant cleanup = housekeeping.lastCleanup();
      statement.setObject(i++, cleanup == null ? null : cleanup.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
      if (housekeeping.lastDeleted() < 0) {
        statement.setNull(i, Types.BIGINT);
      } else {
        statement.setLong(i, housekeeping.lastDeleted());
      }
      statement.executeUpdate();
    }
    connection.commit();
    lastApplied = applied;
    lastConflicts = conflicts;
    lastGaveUp = gaveUp;
    lastWriteNanos = now;
    nextWriteNanos = now + INTERVAL.toNanos();
    return true;
  }
}
