package io.reducer.workloads.offsets;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.reducer.workloads.materializer.Identifiers;
import io.reducer.workloads.materializer.ProjectionSchema;
import io.reducer.workloads.materializer.Watermark;

/**
 * The reset's SQL against projection_watermarks and the projection table, inside the caller's transaction.
 * Identifiers are validated and quoted; every value is bound.
 */
final class ProjectionPositions {

  /** A materializer's batch holds its watermark row for milliseconds; a longer wait means something is stuck. */
  static final String LOCK_TIMEOUT = "30s";

  private final String watermarks;
  private final String projectionTable;
  private final String schema;
  private final String namespace;
  private final String projection;

  ProjectionPositions(String schema, String table, String namespace, String projection) {
    this.watermarks = Identifiers.qualified(schema, ProjectionSchema.WATERMARKS);
    this.projectionTable = Identifiers.qualified(schema, table);
    this.schema = schema;
    this.namespace = namespace;
    this.projection = projection;
  }

  /** The watermark table exists, so there may be positions to read. */
  boolean watermarksExist(Connection connection) throws SQLException {
    return ProjectionSchema.exists(connection, watermarks);
  }

  /**
   * Reads the projection's rows. With {@code lock}, the rows stay locked until the transaction ends, so no
   * materializer advances them in between; with {@code lockTable} (rebuild) the projection table is locked first,
   * in the order a materializer's batch takes them (table, then watermark), so the two cannot deadlock.
   *
   * <p>The rows are the namespace's; when it has none, the rows written before watermarks had a namespace (which the
   * first materializer or reset of this projection adopts, so only a dry run still sees them here). A watermark table
   * of an earlier version (a dry run does not upgrade it) only has those.
   */
  WatermarkSnapshot read(Connection connection, boolean lock, boolean lockTable) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
      if (lockTable) {
        statement.execute("LOCK TABLE " + projectionTable + " IN ACCESS EXCLUSIVE MODE");
      }
    }
    Map<Integer, Watermark> found = new HashMap<>();
    boolean namespaced = ProjectionSchema.watermarksHaveNamespace(connection, schema);
    for (String rowsOf : namespaced ? List.of(namespace, "") : List.of("")) {
      try (PreparedStatement query = connection.prepareStatement("SELECT partition, next_offset, epoch FROM "
          + watermarks + " WHERE projection = ?" + (namespaced ? " AND namespace = ?" : "") + " ORDER BY partition"
          + (lock ? " FOR UPDATE" : ""))) {
        query.setString(1, projection);
        if (namespaced) {
          query.setString(2, rowsOf);
        }
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            found.put(rows.getInt(1), Watermark.position(rows.getInt(1), rows.getLong(2), rows.getLong(3)));
          }
        }
      }
      if (!found.isEmpty()) {
        break;
      }
    }
    return new WatermarkSnapshot(found);
  }

  /**
   * Moves the planned partitions to their new offsets (creating missing rows), puts every row of the projection
   * at the new epoch, and truncates the projection table when asked. The caller commits.
   */
  void write(Connection connection, List<PlannedPartition> plan, long newEpoch, boolean truncate)
      throws SQLException {
    Integer[] partitions = plan.stream().map(PlannedPartition::partition).toArray(Integer[]::new);
    Long[] offsets = plan.stream().map(PlannedPartition::newOffset).toArray(Long[]::new);
    Array partitionArray = connection.createArrayOf("integer", partitions);
    Array offsetArray = connection.createArrayOf("bigint", offsets);
    // last_event_time described the old position; the next batch sets it again.
    try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + watermarks
        + " (namespace, projection, partition, next_offset, epoch, last_event_time, updated_at) "
        + "SELECT ?, ?, t.p, t.o, ?, NULL, now() FROM unnest(?::int[], ?::bigint[]) AS t(p, o) "
        + "ON CONFLICT (namespace, projection, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, "
        + "epoch = EXCLUDED.epoch, last_event_time = NULL, updated_at = now()")) {
      upsert.setString(1, namespace);
      upsert.setString(2, projection);
      upsert.setLong(3, newEpoch);
      upsert.setArray(4, partitionArray);
      upsert.setArray(5, offsetArray);
      upsert.executeUpdate();
    }
    // The epoch belongs to the projection: a zombie must fail its guard on partitions outside the plan too.
    // (A row a live materializer inserts for a never-read partition while this runs keeps the old epoch; that
    // partition is outside the plan, and the group is empty, so only a process outside the group could do it.)
    try (PreparedStatement fence = connection.prepareStatement(
        "UPDATE " + watermarks + " SET epoch = ? WHERE namespace = ? AND projection = ? AND epoch <> ?")) {
      fence.setLong(1, newEpoch);
      fence.setString(2, namespace);
      fence.setString(3, projection);
      fence.setLong(4, newEpoch);
      fence.executeUpdate();
    }
    if (truncate) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("TRUNCATE " + projectionTable);
      }
    }
  }
}
