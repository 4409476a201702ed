package io.reducer.workloads.materializer;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Upserts a batch of projection rows in one statement: the columns travel as arrays and {@code unnest} turns
 * them back into rows, so a batch is one round trip whatever its size. A row is written only when the incoming
 * version is newer, which makes replays and out-of-order events harmless.
 */
final class ProjectionUpsert {

  private final String sql;

  ProjectionUpsert(String schema, String table) {
    sql = "INSERT INTO " + Identifiers.qualified(schema, table) + " AS t "
        + "(workflow_key, version, state, namespace, tag, last_action, correlation_id, committed_at, updated_at) "
        + "SELECT u.workflow_key, u.version, u.state, u.namespace, u.tag, u.last_action, u.correlation_id, "
        + "u.committed_at::timestamptz, now() "
        + "FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) "
        + "AS u(workflow_key, version, state, namespace, tag, last_action, correlation_id, committed_at) "
        + "ON CONFLICT (workflow_key) DO UPDATE SET "
        + "version = EXCLUDED.version, state = EXCLUDED.state, namespace = EXCLUDED.namespace, tag = EXCLUDED.tag, "
        + "last_action = EXCLUDED.last_action, correlation_id = EXCLUDED.correlation_id, "
        + "committed_at = EXCLUDED.committed_at, updated_at = now() "
        + "WHERE t.version < EXCLUDED.version "
        + "RETURNING t.workflow_key";
  }

  /** Returns the keys actually inserted or updated; the others already had this version or a newer one. */
  Set<String> apply(Connection connection, List<StateCommitted> rows) throws SQLException {
    int n = rows.size();
    String[] keys = new String[n];
    Long[] versions = new Long[n];
    String[] states = new String[n];
    String[] namespaces = new String[n];
    String[] tags = new String[n];
    String[] actions = new String[n];
    String[] correlations = new String[n];
    String[] committed = new String[n];
    for (int i = 0; i < n; i++) {
      StateCommitted row = rows.get(i);
      keys[i] = row.workflowKey();
      versions[i] = row.version();
      states[i] = row.state();
      namespaces[i] = row.namespace();
      tags[i] = row.tag();
      actions[i] = row.lastAction();
      correlations[i] = row.correlationId();
      committed[i] = row.committedAt() == null ? null : row.committedAt().toString();
    }
    try (PreparedStatement upsert = connection.prepareStatement(sql)) {
      Object[][] columns = {keys, states, namespaces, tags, actions, correlations, committed};
      upsert.setArray(1, connection.createArrayOf("text", keys));
      upsert.setArray(2, connection.createArrayOf("bigint", versions));
      for (int c = 1; c < columns.length; c++) {
        Array array = connection.createArrayOf("text", columns[c]);
        upsert.setArray(c + 2, array);
      }
      Set<String> applied = new HashSet<>();
      try (ResultSet result = upsert.executeQuery()) {
        while (result.next()) {
          applied.add(result.getString(1));
        }
      }
      return applied;
    }
  }
}
