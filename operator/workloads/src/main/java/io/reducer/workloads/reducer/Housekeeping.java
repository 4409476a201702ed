package io.reducer.workloads.reducer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cleanups the runbooks ran from cron, done by the outbox relay's leader every half minute: expired
 * action_dedup_log rows, published outbox rows older than the retention, and stats rows of processes gone for a
 * day. Each deletes in chunks so that no statement holds locks for long.
 */
final class Housekeeping {

  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
  static final Duration INTERVAL = Duration.ofSeconds(30);
  private static final int CHUNK = 10_000;
  private static final int MAX_CHUNKS = 50;

  private final ReducerMetrics metrics;
  private final Duration outboxRetention;
  private final String deleteExpiredDedup;
  private final String deletePublishedOutbox;
  private final String deleteStaleStats;
  private long nextRunNanos = System.nanoTime();
  private volatile Instant lastCleanup;
  private volatile long lastDeleted = -1;

  Housekeeping(String schema, Duration outboxRetention, ReducerMetrics metrics) {
    this.metrics = metrics;
    this.outboxRetention = outboxRetention;
    String dedup = CanonicalSchema.table(schema, CanonicalSchema.DEDUP);
    String outbox = CanonicalSchema.table(schema, CanonicalSchema.OUTBOX);
    deleteExpiredDedup = "DELETE FROM " + dedup + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM " + dedup
        + " WHERE expires_at < now() LIMIT " + CHUNK + "))";
    // Of the oldest published rows, a chunk at a time, those past the retention. Sequence order is commit order, so
    // once a chunk holds a row within the retention the rest is younger: the loop stops there, and a cleanup reads
    // what it deletes plus one chunk, not every row kept for the retention (an hour of commits by default).
    deletePublishedOutbox = "DELETE FROM " + outbox + " WHERE sequence IN (SELECT sequence FROM (SELECT sequence, "
        + "committed_at FROM " + outbox + " WHERE sequence < (SELECT next_sequence FROM "
        + CanonicalSchema.table(schema, CanonicalSchema.OUTBOX_CURSOR) + " WHERE id = 1) ORDER BY sequence LIMIT "
        + CHUNK + ") AS oldest WHERE committed_at < ?)";
    deleteStaleStats = "DELETE FROM " + CanonicalSchema.table(schema, CanonicalSchema.STATS)
        + " WHERE updated_at < now() - interval '1 day'";
  }

  /** Returns whether it ran (it was due). */
  boolean runIfDue(Connection connection) throws SQLException {
    if (System.nanoTime() < nextRunNanos) {
      return false;
    }
    nextRunNanos = System.nanoTime() + INTERVAL.toNanos();
    long dedup = deleteInChunks(connection, deleteExpiredDedup, null);
    long outbox = deleteInChunks(connection, deletePublishedOutbox, Instant.now().minus(outboxRetention));
    try (PreparedStatement stats = connection.prepareStatement(deleteStaleStats)) {
      stats.executeUpdate();
    }
    connection.commit();
    metrics.dedupCleaned(dedup);
    lastCleanup = Instant.now();
    lastDeleted = dedup;
    if (dedup > 0 || outbox > 0) {
      LOG.info("cleanup: {} expired dedup rows and {} published outbox rows deleted", dedup, outbox);
    }
    return true;
  }

  /** When the dedup cleanup last ran in this process, or null. */
  Instant lastCleanup() {
    return lastCleanup;
  }

  /** Rows the last dedup cleanup deleted, or -1 before the first. */
  long lastDeleted() {
    return lastDeleted;
  }

  private static long deleteInChunks(Connection connection, String sql, Instant before) throws SQLException {
    long total = 0;
    for (int chunk = 0; chunk < MAX_CHUNKS; chunk++) {
      int deleted;
      try (PreparedStatement delete = connection.prepareStatement(sql)) {
        if (before != null) {
          delete.setObject(1, before.atOffset(ZoneOffset.UTC));
        }
        deleted = delete.executeUpdate();
      }
      connection.commit();
      total += deleted;
      if (deleted < CHUNK) {
        break;
      }
    }
    return total;
  }
}
