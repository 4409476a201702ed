package io.reducer.controller.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The operator's reads of a pipeline database: projection watermarks and stale rows. One query covers every
 * projection of a pipeline, so a probe costs the same however many projections there are.
 */
public final class ProjectionDatabase {

  private static final String WATERMARKS = "projection_watermarks";
  private static final String CANONICAL = "workflow_state";

  private final String schema;
  private final String target;

  /** @param target where the database is, for messages (host:port/database) */
  public ProjectionDatabase(String schema, String target) {
    SqlIdentifiers.quote(schema);
    this.schema = schema;
    this.target = target;
  }

  /**
   * Watermarks of the given projections by projection and partition. A projection that has written none, or a
   * database where projection_watermarks does not exist yet, yields no entries rather than an error.
   */
  public Map<String, Map<Integer, Watermark>> watermarks(Connection connection, Collection<String> projections)
      throws DatabaseFailure {
    Map<String, Map<Integer, Watermark>> result = new HashMap<>();
    projections.forEach(p -> result.put(p, new TreeMap<>()));
    try {
      if (!tableExists(connection, WATERMARKS)) {
        return result;
      }
      String sql = "SELECT projection, partition, next_offset, epoch, last_event_time, updated_at FROM "
          + SqlIdentifiers.qualified(schema, WATERMARKS) + " WHERE projection = ANY(?)";
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        Array names = connection.createArrayOf("text", projections.toArray());
        statement.setArray(1, names);
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            Watermark watermark = new Watermark(rows.getInt(2), rows.getLong(3), rows.getLong(4),
                instant(rows.getTimestamp(5)), instant(rows.getTimestamp(6)));
            result.get(rows.getString(1)).put(watermark.partition(), watermark);
          }
        }
      }
      return result;
    } catch (SQLException e) {
      throw DatabaseFailure.of(e, target, "reading " + WATERMARKS);
    }
  }

  /**
   * Rows of the projection table whose version is behind the canonical workflow_state, as in the runbooks'
   * consistency query; empty when either table does not exist (nothing to compare).
   */
  public OptionalLong staleRows(Connection connection, String projectionTable) throws DatabaseFailure {
    try {
      if (!tableExists(connection, CANONICAL) || !tableExists(connection, projectionTable)) {
        return OptionalLong.empty();
      }
      String sql = "SELECT count(*) FROM " + SqlIdentifiers.qualified(schema, CANONICAL) + " c LEFT JOIN "
          + SqlIdentifiers.qualified(schema, projectionTable) + " p ON p.workflow_key = c.workflow_key"
          + " WHERE c.version > COALESCE(p.version, 0)";
      try (PreparedStatement statement = connection.prepareStatement(sql);
          ResultSet rows = statement.executeQuery()) {
        rows.next();
        return OptionalLong.of(rows.getLong(1));
      }
    } catch (SQLException e) {
      throw DatabaseFailure.of(e, target, "comparing " + projectionTable + " with " + CANONICAL);
    }
  }

  private boolean tableExists(Connection connection, String table) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      statement.setString(1, SqlIdentifiers.qualified(schema, table));
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getBoolean(1);
      }
    }
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
