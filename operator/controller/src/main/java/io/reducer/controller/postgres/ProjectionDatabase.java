package io.reducer.controller.postgres;

import io.reducer.workloads.materializer.ProjectionSchema;
import io.reducer.workloads.materializer.ProjectionTables;
import io.reducer.workloads.materializer.TableOwner;
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

import io.reducer.workloads.materializer.ProjectionSchema;
import io.reducer.workloads.materializer.ProjectionTables;
import io.reducer.workloads.materializer.TableOwner;

/**
 * The operator's reads of a pipeline database: projection watermarks, the owners of projection tables and stale
 * rows. One query covers every projection of a pipeline, so a probe costs the same however many projections there
 * are. The watermark and owner tables are the workloads' (ProjectionSchema, ProjectionTables), whose rules this
 * reads with.
 */
public final class ProjectionDatabase {

  private static final String WATERMARKS = "projection_watermarks";
  private static final String CANONICAL = "workflow_state";

  private final String schema;
  private final String namespace;
  private final String target;

  /**
   * @param namespace the Kubernetes namespace of the projections read (the pipeline's): part of the watermark key
   * @param target where the database is, for messages (host:port/database)
   */
  public ProjectionDatabase(String schema, String namespace, String target) {
    SqlIdentifiers.quote(schema);
    this.schema = schema;
    this.namespace = namespace;
    this.target = target;
  }

  /**
   * Watermarks of the given projections of the namespace by projection and partition. A projection that has written
   * none, or a database where projection_watermarks does not exist yet, yields no entries rather than an error. Rows
   * written before watermarks had a namespace count for a projection of the namespace that has none of its own: its
   * first materializer or reset adopts them (a watermark table of that earlier shape only has those).
   */
  public Map<String, Map<Integer, Watermark>> watermarks(Connection connection, Collection<String> projections)
      throws DatabaseFailure {
    Map<String, Map<Integer, Watermark>> result = new HashMap<>();
    projections.forEach(p -> result.put(p, new TreeMap<>()));
    try {
      if (!tableExists(connection, WATERMARKS)) {
        return result;
      }
      String table = SqlIdentifiers.qualified(schema, WATERMARKS);
      boolean namespaced = ProjectionSchema.watermarksHaveNamespace(connection, schema);
      String sql = "SELECT projection, partition, next_offset, epoch, last_event_time, updated_at FROM " + table
          + " w WHERE projection = ANY(?)" + (namespaced ? " AND (namespace = ? OR (namespace = '' AND NOT EXISTS "
          + "(SELECT 1 FROM " + table + " o WHERE o.namespace = ? AND o.projection = w.projection)))" : "");
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        Array names = connection.createArrayOf("text", projections.toArray());
        statement.setArray(1, names);
        if (namespaced) {
          statement.setString(2, namespace);
          statement.setString(3, namespace);
        }
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
   * The recorded owners of the given tables (the tables that have one); empty before any materializer of this
   * version claimed a table, when projection_tables does not exist yet.
   */
  public Map<String, TableOwner> tableOwners(Connection connection, Collection<String> tables) throws DatabaseFailure {
    try {
      return ProjectionTables.owners(connection, schema, tables);
    } catch (SQLException e) {
      throw DatabaseFailure.of(e, target, "reading " + ProjectionTables.TABLE);
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

  /** Whether the table exists in the schema. */
  public boolean exists(Connection connection, String table) throws DatabaseFailure {
    try {
      return tableExists(connection, table);
    } catch (SQLException e) {
      throw DatabaseFailure.of(e, target, "looking for table " + table);
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
