package io.reducer.controller.postgres;

import io.reducer.workloads.materializer.Identifiers;
import io.reducer.workloads.materializer.ProjectionSchema;
import io.reducer.workloads.materializer.ProjectionTables;
import io.reducer.workloads.materializer.TableOwner;
import io.reducer.workloads.materializer.Watermark;
import io.reducer.workloads.reducer.CanonicalSchema;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The operator's reads of a pipeline database: projection watermarks, the owners of projection tables and stale
 * rows. Each covers every projection of a pipeline in one or two statements, so a probe takes the same round trips
 * however many projections there are. The watermark and owner tables are the workloads' (ProjectionSchema, ProjectionTables), whose rules this
 * reads with.
 */
public final class ProjectionDatabase {

  private static final String WATERMARKS = ProjectionSchema.WATERMARKS;
  private static final String CANONICAL = CanonicalSchema.STATE;

  private final String schema;
  private final String namespace;
  private final String target;

  /**
   * @param namespace the Kubernetes namespace of the projections read (the pipeline's): part of the watermark key
   * @param target where the database is, for messages (host:port/database)
   */
  public ProjectionDatabase(String schema, String namespace, String target) {
    Identifiers.quote(schema);
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
      String table = Identifiers.qualified(schema, WATERMARKS);
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
    return staleRows(connection, List.of(projectionTable)).get(projectionTable);
  }

  /**
   * {@link #staleRows(Connection, String)} of every given table, in two statements however many there are: which
   * of them exist, then one count per existing table, all in one {@code UNION ALL}. The database still compares
   * each table with workflow_state; what no longer grows with the projections is the round trips and connection
   * checks of a probe.
   *
   * @return a value for every given table, empty for those that do not exist (or all, without workflow_state)
   */
  public Map<String, OptionalLong> staleRows(Connection connection, Collection<String> projectionTables)
      throws DatabaseFailure {
    Map<String, OptionalLong> result = new LinkedHashMap<>();
    projectionTables.forEach(t -> result.put(t, OptionalLong.empty()));
    if (result.isEmpty()) {
      return result;
    }
    List<String> existing;
    try {
      existing = existingTables(connection, result.keySet());
    } catch (SQLException e) {
      throw DatabaseFailure.of(e, target, "looking up the projection tables");
    }
    if (!existing.remove(CANONICAL) || existing.isEmpty()) {
      return result;
    }
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < existing.size(); i++) {
      sql.append(i == 0 ? "" : " UNION ALL ").append("SELECT ").append(i).append(", count(*) FROM ")
          .append(Identifiers.qualified(schema, CANONICAL)).append(" c LEFT JOIN ")
          .append(Identifiers.qualified(schema, existing.get(i)))
          .append(" p ON p.workflow_key = c.workflow_key WHERE c.version > COALESCE(p.version, 0)");
    }
    try (PreparedStatement statement = connection.prepareStatement(sql.toString());
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        result.put(existing.get(rows.getInt(1)), OptionalLong.of(rows.getLong(2)));
      }
      return result;
    } catch (SQLException e) {
      throw DatabaseFailure.of(e, target, "comparing " + (existing.size() == 1 ? existing.get(0)
          : existing.size() + " projection tables") + " with " + CANONICAL);
    }
  }

  /** Which of {@code tables} and workflow_state exist in the schema, in one statement. */
  private List<String> existingTables(Connection connection, Collection<String> tables) throws SQLException {
    List<String> names = new ArrayList<>(tables);
    names.add(CANONICAL);
    String[] qualified = names.stream().map(t -> Identifiers.qualified(schema, t)).toArray(String[]::new);
    List<String> existing = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT i FROM unnest(?::text[]) WITH ORDINALITY AS t(name, i) WHERE to_regclass(name) IS NOT NULL")) {
      statement.setArray(1, connection.createArrayOf("text", qualified));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          existing.add(names.get(rows.getInt(1) - 1));
        }
      }
    }
    return existing;
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
      statement.setString(1, Identifiers.qualified(schema, table));
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
