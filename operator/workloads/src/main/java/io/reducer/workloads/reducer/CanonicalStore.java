package io.reducer.workloads.reducer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.reducer.workloads.reducer.spi.WorkflowState;

/**
 * Every statement the reducer runs against the canonical store. Each takes a whole batch as arrays that
 * {@code unnest} turns back into rows, so an attempt costs a fixed number of round trips whatever its size. Values
 * are always bound; identifiers come from the validated schema name.
 */
final class CanonicalStore {

  static final String APPLIED = "APPLIED";
  static final String REJECTED = "REJECTED";
  static final String STATE_COMMITTED = "STATE_COMMITTED";
  static final String STATE_CONFLICT = "STATE_CONFLICT";

  private final String dedupOutcomes;
  private final String readStates;
  private final String updateStates;
  private final String insertStates;
  private final String insertConflicts;
  private final String recordDedup;
  private final String insertGaveUp;
  private final String recordCommits;

  CanonicalStore(String schema) {
    String state = CanonicalSchema.table(schema, CanonicalSchema.STATE);
    String history = CanonicalSchema.table(schema, CanonicalSchema.HISTORY);
    String dedup = CanonicalSchema.table(schema, CanonicalSchema.DEDUP);
    dedupOutcomes = "SELECT action_id, outcome FROM " + dedup + " WHERE action_id = ANY(?::text[])";
    readStates = "SELECT workflow_key, version, state, namespace, tag, last_action FROM " + state
        + " WHERE workflow_key = ANY(?::text[])";
    String values = "unnest(?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], "
        + "?::text[], ?::text[]) AS u(workflow_key, expected, version, state, namespace, tag, last_action, "
        + "correlation_id, action_id)";
    updateStates = "UPDATE " + state + " AS t SET version = u.version, state = u.state, namespace = u.namespace, "
        + "tag = u.tag, last_action = u.last_action, correlation_id = u.correlation_id, "
        + "provenance = jsonb_build_object('action_id', u.action_id), updated_at = ?::timestamptz FROM " + values
        + " WHERE t.workflow_key = u.workflow_key AND t.version = u.expected RETURNING t.workflow_key";
    insertStates = "INSERT INTO " + state + " (workflow_key, version, state, namespace, tag, last_action, "
        + "correlation_id, provenance, updated_at) SELECT u.workflow_key, u.version, u.state, u.namespace, u.tag, "
        + "u.last_action, u.correlation_id, jsonb_build_object('action_id', u.action_id), ?::timestamptz FROM "
        + values + " ON CONFLICT (workflow_key) DO NOTHING RETURNING workflow_key";
    insertConflicts = "INSERT INTO " + history + " (workflow_key, version, event_type, provenance) "
        + "SELECT u.workflow_key, u.version, '" + STATE_CONFLICT + "', jsonb_build_object('action_id', u.action_id) "
        + "FROM unnest(?::text[], ?::bigint[], ?::text[]) AS u(workflow_key, version, action_id) "
        + "ON CONFLICT DO NOTHING";
    // A rejected action that comes back through a DLQ replay is decided again; nothing else overwrites an outcome.
    recordDedup = "INSERT INTO " + dedup + " AS d (action_id, workflow_key, outcome, processed_at, expires_at) "
        + "SELECT u.action_id, u.workflow_key, u.outcome, ?::timestamptz, ?::timestamptz "
        + "FROM unnest(?::text[], ?::text[], ?::text[]) AS u(action_id, workflow_key, outcome) "
        + "ON CONFLICT (action_id) DO UPDATE SET outcome = EXCLUDED.outcome, processed_at = EXCLUDED.processed_at, "
        + "expires_at = EXCLUDED.expires_at WHERE d.outcome = '" + REJECTED + "' RETURNING d.action_id";
    // History, outbox and dedup rows of a batch's versions from one set of arrays in one round trip. The head row is
    // updated in the same statement, after the state rows: its lock is the last one taken before the commit.
    recordCommits = "WITH v AS (SELECT * FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], "
        + "?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS v(workflow_key, version, state, previous_state, "
        + "namespace, tag, trigger, action_id, correlation_id, n)), "
        + "head AS (UPDATE " + CanonicalSchema.table(schema, CanonicalSchema.OUTBOX_HEAD)
        + " SET last_sequence = last_sequence + ? WHERE id = 1 RETURNING last_sequence), "
        + "h AS (INSERT INTO " + history + " (workflow_key, version, event_type, state, previous_state, namespace, tag, "
        + "trigger, action_id, correlation_id, provenance, \"timestamp\", updated_at) SELECT workflow_key, version, '"
        + STATE_COMMITTED + "', state, previous_state, namespace, tag, trigger, action_id, correlation_id, "
        + "jsonb_build_object('action_id', action_id, 'correlation_id', correlation_id), ?::timestamptz, "
        + "?::timestamptz FROM v), "
        + "o AS (INSERT INTO " + CanonicalSchema.table(schema, CanonicalSchema.OUTBOX) + " (sequence, workflow_key, "
        + "version, state, namespace, tag, last_action, correlation_id, committed_at) SELECT head.last_sequence - ? + v.n, "
        + "v.workflow_key, v.version, v.state, v.namespace, v.tag, v.trigger, v.correlation_id, ?::timestamptz "
        + "FROM v, head), "
        + "d AS (INSERT INTO " + dedup + " AS d (action_id, workflow_key, outcome, processed_at, expires_at) "
        + "SELECT * FROM (SELECT action_id, workflow_key, '" + APPLIED + "', ?::timestamptz, ?::timestamptz FROM v "
        + "UNION ALL SELECT r.action_id, r.workflow_key, '" + REJECTED + "', ?::timestamptz, ?::timestamptz "
        + "FROM unnest(?::text[], ?::text[]) AS r(action_id, workflow_key)) AS u "
        + "ON CONFLICT (action_id) DO UPDATE SET outcome = EXCLUDED.outcome, processed_at = EXCLUDED.processed_at, "
        + "expires_at = EXCLUDED.expires_at WHERE d.outcome = '" + REJECTED + "' RETURNING 1) "
        + "SELECT (SELECT count(*) FROM d), (SELECT last_sequence FROM head)";
    insertGaveUp = "INSERT INTO " + CanonicalSchema.table(schema, CanonicalSchema.GAVE_UP) + " (action_id, "
        + "workflow_key, trigger, attempts, last_error, correlation_id) SELECT u.action_id, u.workflow_key, u.trigger, "
        + "?, ?, u.correlation_id FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) "
        + "AS u(action_id, workflow_key, trigger, correlation_id)";
  }

  /** Outcome recorded per action id, for the ids that have one. */
  Map<String, String> dedupOutcomes(Connection connection, Collection<String> actionIds) throws SQLException {
    Map<String, String> outcomes = new HashMap<>();
    try (PreparedStatement query = connection.prepareStatement(dedupOutcomes)) {
      query.setArray(1, connection.createArrayOf("text", actionIds.toArray()));
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          outcomes.put(rows.getString(1), rows.getString(2));
        }
      }
    }
    return outcomes;
  }

  /** The committed rows of these keys; keys without a row are absent. */
  Map<String, WorkflowState> read(Connection connection, Collection<String> keys) throws SQLException {
    Map<String, WorkflowState> states = new HashMap<>();
    try (PreparedStatement query = connection.prepareStatement(readStates)) {
      query.setArray(1, connection.createArrayOf("text", keys.toArray()));
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          states.put(rows.getString(1), new WorkflowState(rows.getString(1), rows.getLong(2), rows.getString(3),
              rows.getString(4), rows.getString(5), rows.getString(6)));
        }
      }
    }
    return states;
  }

  /**
   * Writes each key's last version if its row is still at the expected version (or, for expected 0, still
   * absent); returns the keys written. Keys are written in sorted order so that two reducers lock rows in the same
   * order and do not deadlock.
   */
  Set<String> writeStates(Connection connection, List<KeyCommit> commits, Instant at) throws SQLException {
    Set<String> written = new HashSet<>();
    List<KeyCommit> sorted = commits.stream().sorted((a, b) -> a.workflowKey().compareTo(b.workflowKey())).toList();
    List<KeyCommit> existing = sorted.stream().filter(c -> c.expectedVersion() > 0).toList();
    List<KeyCommit> created = sorted.stream().filter(c -> c.expectedVersion() == 0).toList();
    if (!existing.isEmpty()) {
      written.addAll(writeStates(connection, updateStates, existing, at));
    }
    if (!created.isEmpty()) {
      written.addAll(writeStates(connection, insertStates, created, at));
    }
    return written;
  }

  private static Set<String> writeStates(Connection connection, String sql, List<KeyCommit> commits, Instant at)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setObject(1, time(at));
      int i = 2;
      statement.setArray(i++, texts(connection, commits, KeyCommit::workflowKey));
      statement.setArray(i++, longs(connection, commits, KeyCommit::expectedVersion));
      statement.setArray(i++, longs(connection, commits, c -> c.last().version()));
      statement.setArray(i++, texts(connection, commits, c -> c.last().state()));
      statement.setArray(i++, texts(connection, commits, c -> c.last().namespace()));
      statement.setArray(i++, texts(connection, commits, c -> c.last().tag()));
      statement.setArray(i++, texts(connection, commits, c -> c.last().trigger()));
      statement.setArray(i++, texts(connection, commits, c -> c.last().correlationId()));
      statement.setArray(i, texts(connection, commits, c -> c.last().actionId()));
      Set<String> written = new HashSet<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          written.add(rows.getString(1));
        }
      }
      return written;
    }
  }

  /** A STATE_CONFLICT history row for each key that lost the race for a version (one per key and version). */
  void conflicts(Connection connection, List<KeyCommit> lost) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(insertConflicts)) {
      insert.setArray(1, texts(connection, lost, KeyCommit::workflowKey));
      insert.setArray(2, longs(connection, lost, c -> c.expectedVersion() + 1));
      insert.setArray(3, texts(connection, lost, c -> c.versions().get(0).actionId()));
      insert.executeUpdate();
    }
  }

  /**
   * Records the outcome of each action; returns how many rows were written. Fewer than given means another
   * process recorded one of them meanwhile, and the caller must roll back.
   */
  int recordOutcomes(Connection connection, List<String[]> outcomes, Instant at, Duration ttl) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(recordDedup)) {
      insert.setObject(1, time(at));
      insert.setObject(2, time(at.plus(ttl)));
      insert.setArray(3, texts(connection, outcomes, o -> o[0]));
      insert.setArray(4, texts(connection, outcomes, o -> o[1]));
      insert.setArray(5, texts(connection, outcomes, o -> o[2]));
      int written = 0;
      try (ResultSet rows = insert.executeQuery()) {
        while (rows.next()) {
          written++;
        }
      }
      return written;
    }
  }

  /**
   * Writes, for the versions of the keys that won, their history rows, outbox rows (with the next sequence numbers,
   * in list order) and APPLIED dedup rows, and REJECTED dedup rows for {@code rejected} ({action id, key} pairs);
   * returns how many dedup rows were written. Fewer than given means another process recorded one of them
   * meanwhile, and the caller must roll back.
   */
  int recordCommits(Connection connection, List<VersionCommit> versions, List<String[]> rejected, Instant at,
      Duration ttl) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(recordCommits)) {
      int i = 1;
      statement.setArray(i++, texts(connection, versions, VersionCommit::workflowKey));
      statement.setArray(i++, longs(connection, versions, VersionCommit::version));
      statement.setArray(i++, texts(connection, versions, VersionCommit::state));
      statement.setArray(i++, texts(connection, versions, VersionCommit::previousState));
      statement.setArray(i++, texts(connection, versions, VersionCommit::namespace));
      statement.setArray(i++, texts(connection, versions, VersionCommit::tag));
      statement.setArray(i++, texts(connection, versions, VersionCommit::trigger));
      statement.setArray(i++, texts(connection, versions, VersionCommit::actionId));
      statement.setArray(i++, texts(connection, versions, VersionCommit::correlationId));
      statement.setLong(i++, versions.size());
      statement.setObject(i++, time(at));
      statement.setObject(i++, time(at));
      statement.setLong(i++, versions.size());
      statement.setObject(i++, time(at));
      for (int pair = 0; pair < 2; pair++) {
        statement.setObject(i++, time(at));
        statement.setObject(i++, time(at.plus(ttl)));
      }
      statement.setArray(i++, texts(connection, rejected, r -> r[0]));
      statement.setArray(i, texts(connection, rejected, r -> r[1]));
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        row.getLong(2);
        if (row.wasNull()) {
          throw new SQLException("the outbox head row is missing: was " + CanonicalSchema.OUTBOX_HEAD
              + " emptied by hand? Restart the reducer to recreate it", "55000");
        }
        return (int) row.getLong(1);
      }
    }
  }

  /** One reducer_gaveup_log row per action that used up its attempts. */
  void gaveUp(Connection connection, List<PendingAction> actions, int attempts, String lastError) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(insertGaveUp)) {
      insert.setInt(1, attempts);
      insert.setString(2, lastError);
      insert.setArray(3, texts(connection, actions, a -> a.action().actionId()));
      insert.setArray(4, texts(connection, actions, a -> a.action().workflowKey()));
      insert.setArray(5, texts(connection, actions, a -> a.action().action()));
      insert.setArray(6, texts(connection, actions, a -> a.action().correlationId()));
      insert.executeUpdate();
    }
  }

  private static OffsetDateTime time(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }

  private static <T> java.sql.Array texts(Connection connection, List<T> items, Function<T, String> field)
      throws SQLException {
    String[] values = new String[items.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = field.apply(items.get(i));
    }
    return connection.createArrayOf("text", values);
  }

  private static <T> java.sql.Array longs(Connection connection, List<T> items, Function<T, Long> field)
      throws SQLException {
    Long[] values = new Long[items.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = field.apply(items.get(i));
    }
    return connection.createArrayOf("bigint", values);
  }
}
