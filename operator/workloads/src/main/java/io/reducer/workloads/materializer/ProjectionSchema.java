package io.reducer.workloads.materializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates the projection and watermark tables if they do not exist. Names keep the runbooks' diagnostic SQL
 * working; the updated_at index serves {@code SELECT ... FROM projection_watermarks ORDER BY updated_at}.
 */
public final class ProjectionSchema {

  public static final String WATERMARKS = "projection_watermarks";
  /**
   * Every event of a key rewrites its row, and only the primary key is indexed: with half of each page left
   * free the new version fits beside the old one (a HOT update), so the index is not touched and pruning reclaims
   * the old version in place. At the default 100 nearly every update moved the row to another page and added an
   * index entry; the benchmark measured 6.0 instead of 10.0 CPU microseconds of PostgreSQL per row.
   */
  static final int FILLFACTOR = 50;
  /** Serializes concurrent startups: CREATE TABLE IF NOT EXISTS races on the catalog otherwise. */
  private static final long DDL_LOCK = 0x7265647563657231L;

  private ProjectionSchema() {
  }

  public static boolean schemaExists(Connection connection, String schema) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
      query.setString(1, schema);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    } finally {
      connection.rollback();
    }
  }

  public static void create(Connection connection, String schema, String table) throws SQLException {
    String projection = Identifiers.qualified(schema, table);
    String watermarks = Identifiers.qualified(schema, WATERMARKS);
    try (Statement ddl = connection.createStatement()) {
      ddl.execute("SELECT pg_advisory_xact_lock(" + DDL_LOCK + ")");
      ddl.execute("CREATE TABLE IF NOT EXISTS " + projection + " ("
          + "workflow_key text PRIMARY KEY, "
          + "version bigint NOT NULL, "
          + "state text, "
          + "namespace text, "
          + "tag text, "
          + "last_action text, "
          + "correlation_id text, "
          + "committed_at timestamptz, "
          + "updated_at timestamptz NOT NULL DEFAULT now()) "
          + "WITH (fillfactor = " + FILLFACTOR + ")");
      ddl.execute("CREATE TABLE IF NOT EXISTS " + watermarks + " ("
          + "projection text NOT NULL, "
          + "partition int NOT NULL, "
          + "next_offset bigint NOT NULL, "
          + "epoch bigint NOT NULL DEFAULT 0, "
          + "last_event_time timestamptz, "
          + "updated_at timestamptz NOT NULL DEFAULT now(), "
          + "PRIMARY KEY (projection, partition))");
      ddl.execute("CREATE INDEX IF NOT EXISTS " + Identifiers.quote("projection_watermarks_updated_at_idx")
          + " ON " + watermarks + " (updated_at)");
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    }
  }
}
