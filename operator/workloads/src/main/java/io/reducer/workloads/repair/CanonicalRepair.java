package io.reducer.workloads.repair;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import io.reducer.workloads.materializer.Identifiers;
import io.reducer.workloads.reducer.CanonicalSchema;

/**
 * Writes canonical rows (workflow_state) into a projection table, in pages ordered by workflow key, each page one
 * statement in its own short transaction, so the live materializers keep writing meanwhile. The row guard is the
 * materializer's, widened to equal versions for {@link RepairScope#ALL}: a row never moves to an older version,
 * whichever of the repair and a materializer writes last. The canonical commit time stands for committed_at.
 */
final class CanonicalRepair {

  /** What a run did. */
  record Outcome(long examined, long written, long pages) {
  }

  private final String sql;
  private final String key;
  private final int pageSize;

  /** @param dryRun count the rows the guard would let through instead of writing them */
  CanonicalRepair(String schema, String table, RepairScope scope, String key, int pageSize, boolean dryRun) {
    String projection = Identifiers.qualified(schema, table);
    String canonical = Identifiers.qualified(schema, CanonicalSchema.STATE);
    this.key = key;
    this.pageSize = pageSize;
    String guard = scope == RepairScope.STALE ? "<" : "<=";
    // The page is chosen first (keyset on workflow_key), then written: the outer SELECT reports how far it got even
    // when every row of the page was already current.
    sql = "WITH page AS (SELECT c.workflow_key, c.version, c.state, c.namespace, c.tag, c.last_action, "
        + "c.correlation_id, c.updated_at FROM " + canonical + " c "
        + (scope == RepairScope.STALE ? "LEFT JOIN " + projection + " p ON p.workflow_key = c.workflow_key " : "")
        + "WHERE c.workflow_key > ? "
        + (scope == RepairScope.STALE ? "AND c.version > COALESCE(p.version, 0) " : "")
        + (key == null ? "" : "AND c.workflow_key = ? ")
        + "ORDER BY c.workflow_key LIMIT ?), "
        + (dryRun ? "written AS (SELECT 1 FROM page LEFT JOIN " + projection + " t ON t.workflow_key = "
            + "page.workflow_key WHERE t.version IS NULL OR t.version " + guard + " page.version) "
            : "written AS (INSERT INTO " + projection + " AS t "
            + "(workflow_key, version, state, namespace, tag, last_action, correlation_id, committed_at, updated_at) "
            + "SELECT workflow_key, version, state, namespace, tag, last_action, correlation_id, updated_at, now() "
            + "FROM page ON CONFLICT (workflow_key) DO UPDATE SET "
            + "version = EXCLUDED.version, state = EXCLUDED.state, namespace = EXCLUDED.namespace, tag = EXCLUDED.tag, "
            + "last_action = EXCLUDED.last_action, correlation_id = EXCLUDED.correlation_id, "
            + "committed_at = EXCLUDED.committed_at, updated_at = now() "
            + "WHERE t.version " + guard + " EXCLUDED.version RETURNING 1) ")
        + "SELECT (SELECT max(workflow_key) FROM page), (SELECT count(*) FROM page), (SELECT count(*) FROM written)";
  }

  /** Runs every page; a failure leaves the pages before it written, and running again goes on from the start. */
  Outcome run(Connection connection) throws SQLException {
    connection.setAutoCommit(true);
    long examined = 0;
    long written = 0;
    long pages = 0;
    String after = "";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      while (true) {
        int i = 1;
        statement.setString(i++, after);
        if (key != null) {
          statement.setString(i++, key);
        }
        statement.setInt(i, pageSize);
        try (ResultSet rows = statement.executeQuery()) {
          rows.next();
          long read = rows.getLong(2);
          if (read == 0) {
            return new Outcome(examined, written, pages);
          }
          after = rows.getString(1);
          examined += read;
          written += rows.getLong(3);
          pages++;
          if (read < pageSize) {
            return new Outcome(examined, written, pages);
          }
        }
      }
    }
  }

  /** The first of the two tables that does not exist, or null when both do. */
  static String missingTable(Connection connection, String schema, String table) throws SQLException {
    for (String name : new String[] {CanonicalSchema.STATE, table}) {
      try (PreparedStatement statement = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
        statement.setString(1, Identifiers.qualified(schema, name));
        try (ResultSet rows = statement.executeQuery()) {
          rows.next();
          if (!rows.getBoolean(1)) {
            return name;
          }
        }
      }
    }
    return null;
  }
}
