package io.reducer.workloads.materializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Upserts a batch of projection rows in one statement: the columns travel as arrays and {@code unnest} turns
 * them back into rows, so a batch is one round trip whatever its size. A row is written only when the incoming
 * version is newer, which makes replays and out-of-order events harmless.
 */
final class ProjectionUpsert {

  /**
   * committed_at travels as microseconds since PostgreSQL's epoch and is added to it as an interval of pure
   * time (no days, so no time zone rules apply): 6 % less PostgreSQL CPU per row than parsing text. The
   * interval product is computed in float8, exact below 2^53 microseconds (years 1715 to 2285); a time outside
   * that goes as text instead.
   */
  private static final String PG_EPOCH = "timestamptz '2000-01-01 00:00:00+00'";
  private static final long PG_EPOCH_SECONDS = 946_684_800L;
  private static final long EXACT_MICROS = 1L << 53;

  private final String sql;
  private final String guardedSql;

  ProjectionUpsert(String schema, String table) {
    String insert = "INSERT INTO " + Identifiers.qualified(schema, table) + " AS t "
        + "(workflow_key, version, state, namespace, tag, last_action, correlation_id, committed_at, updated_at) "
        + "SELECT u.workflow_key, u.version, u.state, u.namespace, u.tag, u.last_action, u.correlation_id, "
        + "COALESCE(" + PG_EPOCH + " + u.committed_us * interval '1 microsecond', u.committed_text::timestamptz), "
        + "now() "
        + "FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], "
        + "?::text[]) "
        + "AS u(workflow_key, version, state, namespace, tag, last_action, correlation_id, committed_us, "
        + "committed_text) ";
    String onConflict = "ON CONFLICT (workflow_key) DO UPDATE SET "
        + "version = EXCLUDED.version, state = EXCLUDED.state, namespace = EXCLUDED.namespace, tag = EXCLUDED.tag, "
        + "last_action = EXCLUDED.last_action, correlation_id = EXCLUDED.correlation_id, "
        + "committed_at = EXCLUDED.committed_at, updated_at = now() "
        + "WHERE t.version < EXCLUDED.version "
        + "RETURNING t.workflow_key";
    sql = insert + onConflict;
    // The watermarks of every partition of the transaction move first, each guarded by epoch and expected position
    // (and locked until commit); the rows are written only when every guard held. One round trip: the caller then
    // commits, or rolls back when a partition is missing from the second column.
    guardedSql = "WITH wm AS (UPDATE " + Identifiers.qualified(schema, ProjectionSchema.WATERMARKS) + " AS w "
        + "SET next_offset = m.next_offset, last_event_time = COALESCE(m.last_event_time::timestamptz, "
        + "w.last_event_time), updated_at = now() "
        + "FROM unnest(?::int[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[]) "
        + "AS m(partition, epoch, expected, next_offset, last_event_time) "
        + "WHERE w.namespace = ? AND w.projection = ? AND w.partition = m.partition AND w.epoch = m.epoch "
        + "AND w.next_offset = m.expected RETURNING w.partition), "
        + "up AS (" + insert + "WHERE (SELECT count(*) FROM wm) = ? " + onConflict + ") "
        + "SELECT workflow_key, NULL::int FROM up UNION ALL SELECT NULL, partition FROM wm";
  }

  /** A partition's watermark move inside a guarded upsert: from {@code expected} to {@code nextOffset}. */
  record Move(int partition, Watermark expected, long nextOffset, Instant lastEventTime) {
  }

  /** What a guarded upsert did: the keys inserted or updated, and the partitions whose guard held. */
  record Guarded(Set<String> applied, Set<Integer> moved) {
  }

  /**
   * Microseconds since 2000-01-01 UTC, the fraction rounded as PostgreSQL rounds the text it replaces
   * ({@code rint} of the fraction as a double), so both forms store the same value; null when not exact.
   */
  static Long exactMicros(Instant time) {
    long seconds = time.getEpochSecond() - PG_EPOCH_SECONDS;
    if (Math.abs(seconds) >= EXACT_MICROS / 1_000_000L - 1) {
      return null;
    }
    return seconds * 1_000_000L + (long) Math.rint(time.getNano() / 1e9 * 1e6);
  }

  /** Returns the keys actually inserted or updated; the others already had this version or a newer one. */
  Set<String> apply(Connection connection, List<StateCommitted> rows) throws SQLException {
    try (PreparedStatement upsert = connection.prepareStatement(sql)) {
      bindRows(connection, upsert, 1, rows);
      Set<String> applied = new HashSet<>();
      try (ResultSet result = upsert.executeQuery()) {
        while (result.next()) {
          applied.add(result.getString(1));
        }
      }
      return applied;
    }
  }

  /**
   * Moves the watermarks of several partitions and upserts their rows in one statement, inside the caller's
   * transaction. The rows are written only if every move's guard held (epoch and expected position); the caller
   * commits when {@link Guarded#moved} holds every partition, and rolls back otherwise. {@code rows} must not
   * hold a key twice.
   */
  Guarded applyGuarded(Connection connection, String namespace, String projection, List<Move> moves,
      List<StateCommitted> rows) throws SQLException {
    int m = moves.size();
    Integer[] partitions = new Integer[m];
    Long[] epochs = new Long[m];
    Long[] expected = new Long[m];
    Long[] next = new Long[m];
    String[] lastEventTimes = new String[m];
    for (int i = 0; i < m; i++) {
      Move move = moves.get(i);
      partitions[i] = move.partition();
      epochs[i] = move.expected().epoch();
      expected[i] = move.expected().nextOffset();
      next[i] = move.nextOffset();
      lastEventTimes[i] = move.lastEventTime() == null ? null : move.lastEventTime().toString();
    }
    try (PreparedStatement upsert = connection.prepareStatement(guardedSql)) {
      upsert.setArray(1, connection.createArrayOf("int4", partitions));
      upsert.setArray(2, connection.createArrayOf("bigint", epochs));
      upsert.setArray(3, connection.createArrayOf("bigint", expected));
      upsert.setArray(4, connection.createArrayOf("bigint", next));
      upsert.setArray(5, connection.createArrayOf("text", lastEventTimes));
      upsert.setString(6, namespace);
      upsert.setString(7, projection);
      int index = bindRows(connection, upsert, 8, rows);
      upsert.setLong(index, m);
      Set<String> applied = new HashSet<>();
      Set<Integer> moved = new HashSet<>();
      try (ResultSet result = upsert.executeQuery()) {
        while (result.next()) {
          String key = result.getString(1);
          if (key != null) {
            applied.add(key);
          } else {
            moved.add(result.getInt(2));
          }
        }
      }
      return new Guarded(applied, moved);
    }
  }

  /** Binds the nine column arrays of {@code rows} from parameter {@code first} on; returns the next index. */
  private static int bindRows(Connection connection, PreparedStatement statement, int first,
      List<StateCommitted> rows) throws SQLException {
    int n = rows.size();
    String[] keys = new String[n];
    Long[] versions = new Long[n];
    String[] states = new String[n];
    String[] namespaces = new String[n];
    String[] tags = new String[n];
    String[] actions = new String[n];
    String[] correlations = new String[n];
    Long[] committedMicros = new Long[n];
    String[] committedText = new String[n];
    for (int i = 0; i < n; i++) {
      StateCommitted row = rows.get(i);
      keys[i] = row.workflowKey();
      versions[i] = row.version();
      states[i] = row.state();
      namespaces[i] = row.namespace();
      tags[i] = row.tag();
      actions[i] = row.lastAction();
      correlations[i] = row.correlationId();
      committedMicros[i] = row.committedAt() == null ? null : exactMicros(row.committedAt());
      if (row.committedAt() != null && committedMicros[i] == null) {
        committedText[i] = row.committedAt().toString();
      }
    }
    Object[][] columns = {keys, states, namespaces, tags, actions, correlations};
    statement.setArray(first, connection.createArrayOf("text", keys));
    statement.setArray(first + 1, connection.createArrayOf("bigint", versions));
    for (int c = 1; c < columns.length; c++) {
      statement.setArray(first + c + 1, connection.createArrayOf("text", columns[c]));
    }
    statement.setArray(first + 7, connection.createArrayOf("bigint", committedMicros));
    statement.setArray(first + 8, connection.createArrayOf("text", committedText));
    return first + 9;
  }
}
