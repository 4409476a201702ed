package io.reducer.e2e.scenarios;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** What a projection holds in PostgreSQL: its rows, and its watermarks and epoch in projection_watermarks. */
public final class ReadModel {

  /** Opens a connection to the pipelines' database. */
  interface Connections {
    Connection open() throws SQLException;
  }

  private final Connections database;

  ReadModel(Connections database) {
    this.database = database;
  }

  /** Every row of {@code table} as key to {@code version:state}, the shape of {@link TopicModel}. */
  public Map<String, String> table(String table) throws SQLException {
    Map<String, String> rows = new HashMap<>();
    // The table name is a constant of the test, never user input; quoted all the same.
    try (Connection c = database.open(); PreparedStatement s = c.prepareStatement(
        "SELECT workflow_key, version, state FROM \"" + table + "\""); ResultSet r = s.executeQuery()) {
      while (r.next()) {
        rows.put(r.getString(1), r.getLong(2) + ":" + r.getString(3));
      }
    }
    return rows;
  }

  /** Records applied (or sent to the DLQ) so far: the sum of the projection's next offsets; -1 while unreadable. */
  public long applied(String projection) {
    try {
      return single("SELECT COALESCE(SUM(next_offset), 0) FROM projection_watermarks WHERE projection = ?",
          projection);
    } catch (SQLException e) {
      return -1;
    }
  }

  /** The projection's watermarks: next offset by partition. */
  public Map<Integer, Long> watermarks(String projection) throws SQLException {
    Map<Integer, Long> watermarks = new java.util.TreeMap<>();
    try (Connection c = database.open(); PreparedStatement s = c.prepareStatement(
        "SELECT partition, next_offset FROM projection_watermarks WHERE projection = ?")) {
      s.setString(1, projection);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          watermarks.put(r.getInt(1), r.getLong(2));
        }
      }
    }
    return watermarks;
  }

  /** The projection's fencing epoch (0 before any reset). */
  public long epoch(String projection) throws SQLException {
    return single("SELECT COALESCE(MAX(epoch), 0) FROM projection_watermarks WHERE projection = ?", projection);
  }

  /** Runs one statement of the scenario's own, e.g. to create a table the reducer would have created. */
  public void execute(String sql) throws SQLException {
    try (Connection c = database.open(); PreparedStatement s = c.prepareStatement(sql)) {
      s.execute();
    }
  }

  /** The runbooks' consistency query: rows of workflow_state that {@code table} misses or holds at an older version. */
  public long staleRows(String table) throws SQLException {
    try (Connection c = database.open(); PreparedStatement s = c.prepareStatement("SELECT count(*) FROM "
        + "workflow_state c LEFT JOIN \"" + table + "\" p ON c.workflow_key = p.workflow_key "
        + "WHERE c.version > COALESCE(p.version, 0)"); ResultSet r = s.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }

  public boolean tableExists(String table) throws SQLException {
    try (Connection c = database.open(); PreparedStatement s = c.prepareStatement(
        "SELECT to_regclass(?) IS NOT NULL")) {
      s.setString(1, "public.\"" + table + "\"");
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getBoolean(1);
      }
    }
  }

  private long single(String sql, String parameter) throws SQLException {
    try (Connection c = database.open(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, parameter);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }
}
