package io.reducer.workloads.materializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;

/** Reads and advances rows of projection_watermarks; the guarded advance is what fences zombies. */
final class WatermarkStore {

  private final String table;
  private final String namespace;
  private final String projection;

  /** Rows are keyed by namespace and projection, so same-named projections of two namespaces never meet. */
  WatermarkStore(String schema, String namespace, String projection) {
    this.table = Identifiers.qualified(schema, ProjectionSchema.WATERMARKS);
    this.namespace = namespace;
    this.projection = projection;
  }

  /**
   * Returns the partition's watermark, creating it at {@code logStart} when missing: no row means nothing was
   * materialized yet, so reading starts at the beginning. A new partition joins the projection's current epoch.
   * Commits.
   */
  Watermark load(Connection connection, int partition, long logStart) throws SQLException {
    try {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO " + table + " (namespace, projection, partition, next_offset, epoch, updated_at) "
              + "SELECT ?, ?, ?, ?, COALESCE((SELECT max(epoch) FROM " + table
              + " WHERE namespace = ? AND projection = ?), 0), now() "
              + "ON CONFLICT (namespace, projection, partition) DO NOTHING")) {
        insert.setString(1, namespace);
        insert.setString(2, projection);
        insert.setInt(3, partition);
        insert.setLong(4, logStart);
        insert.setString(5, namespace);
        insert.setString(6, projection);
        insert.executeUpdate();
      }
      Watermark watermark = read(connection, partition);
      connection.commit();
      return watermark;
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    }
  }

  /** The row as this transaction sees it, or null when it was deleted. */
  Watermark read(Connection connection, int partition) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT next_offset, epoch FROM " + table + " WHERE namespace = ? AND projection = ? AND partition = ?")) {
      query.setString(1, namespace);
      query.setString(2, projection);
      query.setInt(3, partition);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Watermark.position(partition, rows.getLong(1), rows.getLong(2)) : null;
      }
    }
  }

  /**
   * Moves the watermark from {@code expected} to {@code newNext} inside the caller's transaction, only if
   * nobody else moved it and the epoch is still ours. The UPDATE also locks the row until commit, so a reset
   * or another instance waits for this batch rather than interleaving with it.
   */
  boolean advance(Connection connection, int partition, Watermark expected, long newNext, Instant lastEventTime)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE " + table + " SET next_offset = ?, last_event_time = COALESCE(?::timestamptz, last_event_time), updated_at = now() "
            + "WHERE namespace = ? AND projection = ? AND partition = ? AND epoch = ? AND next_offset = ?")) {
      update.setLong(1, newNext);
      update.setObject(2, lastEventTime == null ? null : lastEventTime.atOffset(ZoneOffset.UTC),
          Types.TIMESTAMP_WITH_TIMEZONE);
      update.setString(3, namespace);
      update.setString(4, projection);
      update.setInt(5, partition);
      update.setLong(6, expected.epoch());
      update.setLong(7, expected.nextOffset());
      return update.executeUpdate() == 1;
    }
  }
}
