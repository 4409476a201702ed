package io.reducer.workloads.reducer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String INVALID_TEXT = "22P02";
  private static final String NO_HEAD_ROW = "reducer_outbox_head has no row";
  /** An outcome already recorded stays, but for a REJECTED one: decided again after a DLQ replay. */
  private static final String DEDUP_CONFLICT = "ON CONFLICT (action_id) DO UPDATE SET outcome = EXCLUDED.outcome, "
      + "processed_at = EXCLUDED.processed_at, expires_at = EXCLUDED.expires_at WHERE d.outcome = '" + REJECTED + "'";

  private final String read;
  private final String commit;
  private final String commitFirstSight;
  private final String insertGaveUp;
  /** The statement that puts back a head row deleted by hand, for the error that says so. */
  private final String restoreHead;

  CanonicalStore(String schema) {
    String state = CanonicalSchema.table(schema, CanonicalSchema.STATE);
    String history = CanonicalSchema.table(schema, CanonicalSchema.HISTORY);
    String dedup = CanonicalSchema.table(schema, CanonicalSchema.DEDUP);
    // The outcomes the dedup log holds for the batch's action ids and the rows of the batch's keys, in one round trip
    // and one snapshot. A dedup row has no version (workflow_state.version is NOT NULL).
    read = "SELECT action_id, outcome, NULL::bigint, NULL::text, NULL::text, NULL::text FROM " + dedup
        + " WHERE action_id = ANY(?::text[]) UNION ALL SELECT workflow_key, state, version, namespace, tag, last_action "
        + "FROM " + state + " WHERE workflow_key = ANY(?::text[])";
    // A whole attempt in one statement, so a transaction is at most two round trips and the commit whatever its
    // size (one, and no commit, when every row is remembered and nothing goes to the DLQ: the statement then runs
    // in auto-commit and is the transaction):
    //   v     every folded version, in order (a key's versions are consecutive and rising);
    //   k     each key once, sorted: the version it expects (0 = no row yet), by position in v its last version,
    //         and whether the expected version came from memory (StateCache) rather than from a read;
    //   upd   the existing keys still at their expected version, moved to their last version;
    //   ins   the new keys, inserted unless another writer created them meanwhile;
    //   lost  the keys neither wrote: another writer moved them, so nothing else of theirs is written;
    //   vw    the versions of the keys that won, numbered in order;
    //   h, c  a STATE_COMMITTED history row per version that won, a STATE_CONFLICT row per key that lost a race
    //         (not for a remembered row found old: the caller writes that key again at once from a fresh read);
    //   d     the outcomes: APPLIED for the versions that won, REJECTED for refusals of keys that did not lose.
    //         Only a REJECTED outcome is overwritten (an action decided again after a DLQ replay); a count short
    //         of the rows given tells the caller that another process recorded one of them meanwhile. The
    //         first-sight variant is a plain insert: its caller did not read the outcomes, and the primary key's
    //         unique violation tells it that an action was recorded before (ON CONFLICT's speculative insertion
    //         cost a third more per row, and that path is the one taken for nearly every action);
    //   head  the sequence numbers, taken last: its condition reads h and d, so every other row is written before
    //         the head's row lock, which serializes writers until they commit, is taken;
    //   o     the outbox rows, with the sequence numbers in v's order.
    commit = "WITH v AS (SELECT * FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], "
        + "?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS v(workflow_key, version, state, previous_state, "
        + "namespace, tag, trigger, action_id, correlation_id, n)), "
        + "k AS (SELECT k.workflow_key, k.expected, v.version, v.state, v.namespace, v.tag, v.trigger, v.action_id, "
        + "v.correlation_id, k.remembered, k.i FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::boolean[]) "
        + "WITH ORDINALITY AS k(workflow_key, expected, last, remembered, i) JOIN v ON v.n = k.last ORDER BY k.i), "
        + "upd AS (UPDATE " + state + " AS t SET version = k.version, state = k.state, namespace = k.namespace, "
        + "tag = k.tag, last_action = k.trigger, correlation_id = k.correlation_id, "
        + "provenance = jsonb_build_object('action_id', k.action_id), updated_at = ?::timestamptz FROM k "
        + "WHERE k.expected > 0 AND t.workflow_key = k.workflow_key AND t.version = k.expected RETURNING t.workflow_key), "
        + "ins AS (INSERT INTO " + state + " (workflow_key, version, state, namespace, tag, last_action, correlation_id, "
        + "provenance, updated_at) SELECT k.workflow_key, k.version, k.state, k.namespace, k.tag, k.trigger, "
        + "k.correlation_id, jsonb_build_object('action_id', k.action_id), ?::timestamptz FROM k WHERE k.expected = 0 "
        + "ORDER BY k.i ON CONFLICT (workflow_key) DO NOTHING RETURNING workflow_key), "
        + "won AS (SELECT workflow_key FROM upd UNION ALL SELECT workflow_key FROM ins), "
        + "lost AS (SELECT k.workflow_key, k.expected, k.remembered FROM k "
        + "WHERE k.workflow_key NOT IN (SELECT workflow_key FROM won)), "
        + "vw AS (SELECT v.*, row_number() OVER (ORDER BY v.n) AS rank FROM v "
        + "WHERE v.workflow_key IN (SELECT workflow_key FROM won)), "
        + "h AS (INSERT INTO " + history + " (workflow_key, version, event_type, state, previous_state, namespace, tag, "
        + "trigger, action_id, correlation_id, provenance, \"timestamp\", updated_at) SELECT workflow_key, version, '"
        + STATE_COMMITTED + "', state, previous_state, namespace, tag, trigger, action_id, correlation_id, "
        + "jsonb_build_object('action_id', action_id, 'correlation_id', correlation_id), ?::timestamptz, "
        + "?::timestamptz FROM vw RETURNING 1), "
        + "c AS (INSERT INTO " + history + " (workflow_key, version, event_type, provenance) SELECT v.workflow_key, "
        + "v.version, '" + STATE_CONFLICT + "', jsonb_build_object('action_id', v.action_id) FROM v JOIN lost "
        + "ON lost.workflow_key = v.workflow_key AND v.version = lost.expected + 1 AND NOT lost.remembered "
        + "ON CONFLICT DO NOTHING), "
        + "d AS (INSERT INTO " + dedup + " AS d (action_id, workflow_key, outcome, processed_at, expires_at) "
        + "SELECT u.action_id, u.workflow_key, u.outcome, ?::timestamptz, ?::timestamptz FROM (SELECT action_id, "
        + "workflow_key, '" + APPLIED + "' AS outcome FROM vw UNION ALL SELECT r.action_id, r.workflow_key, '"
        + REJECTED + "' FROM unnest(?::text[], ?::text[]) AS r(action_id, workflow_key) "
        + "WHERE r.workflow_key NOT IN (SELECT workflow_key FROM lost)) AS u "
        + DEDUP_CONFLICT + " RETURNING 1), "
        + "head AS (UPDATE " + CanonicalSchema.table(schema, CanonicalSchema.OUTBOX_HEAD)
        + " SET last_sequence = last_sequence + (SELECT count(*) FROM vw) WHERE id = 1 AND EXISTS (SELECT 1 FROM vw) "
        + "AND (SELECT count(*) FROM h) + (SELECT count(*) FROM d) >= 0 "
        + "RETURNING last_sequence), "
        + "o AS (INSERT INTO " + CanonicalSchema.table(schema, CanonicalSchema.OUTBOX) + " (sequence, workflow_key, "
        + "version, state, namespace, tag, last_action, correlation_id, committed_at) SELECT head.last_sequence - "
        + "(SELECT count(*) FROM vw) + vw.rank, vw.workflow_key, vw.version, vw.state, vw.namespace, vw.tag, "
        + "vw.trigger, vw.correlation_id, ?::timestamptz FROM vw, head) "
        + "SELECT (SELECT count(*) FROM d), (SELECT count(*) FROM vw), "
        + "(SELECT last_sequence FROM head), (SELECT array_agg(workflow_key) FROM lost), "
        // Without the head's row the versions would commit without outbox rows, and a self-committing statement
        // cannot be rolled back afterwards: the statement fails instead, by casting this text to an integer.
        + "(SELECT '" + NO_HEAD_ROW + "'::text WHERE EXISTS (SELECT 1 FROM vw) "
        + "AND NOT EXISTS (SELECT 1 FROM head))::int";
    restoreHead = restoreHeadStatement(schema);
    commitFirstSight = commit.replace(" " + DEDUP_CONFLICT, "");
    if (commitFirstSight.equals(commit)) {
      throw new IllegalStateException("the first-sight statement must differ from the one that read the outcomes");
    }
    insertGaveUp = "INSERT INTO " + CanonicalSchema.table(schema, CanonicalSchema.GAVE_UP) + " (action_id, "
        + "workflow_key, trigger, attempts, last_error, correlation_id) SELECT u.action_id, u.workflow_key, u.trigger, "
        + "?, ?, u.correlation_id FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) "
        + "AS u(action_id, workflow_key, trigger, correlation_id)";
  }

  /** What {@link #read} found: the recorded outcome per action id, and the committed row per key. */
  record Snapshot(Map<String, String> outcomes, Map<String, WorkflowState> states) {
  }

  /**
   * The outcomes the dedup log holds for these action ids (ids without one are absent) and the committed rows of
   * these keys (keys without a row are absent), in one statement.
   */
  Snapshot read(Connection connection, Collection<String> actionIds, Collection<String> keys) throws SQLException {
    Map<String, String> outcomes = new HashMap<>();
    Map<String, WorkflowState> states = new HashMap<>();
    try (PreparedStatement query = connection.prepareStatement(read)) {
      query.setArray(1, connection.createArrayOf("text", actionIds.toArray()));
      query.setArray(2, connection.createArrayOf("text", keys.toArray()));
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          long version = rows.getLong(3);
          if (rows.wasNull()) {
            outcomes.put(rows.getString(1), rows.getString(2));
          } else {
            states.put(rows.getString(1), new WorkflowState(rows.getString(1), version, rows.getString(2),
                rows.getString(4), rows.getString(5), rows.getString(6)));
          }
        }
      }
    }
    return new Snapshot(outcomes, states);
  }

  /**
   * What {@link #commit} wrote.
   *
   * @param lost the keys another writer moved meanwhile: nothing of them was written but, for a key whose expected
   *     version was read and not remembered, a STATE_CONFLICT row
   * @param outcomes dedup rows written; fewer than the versions of the other keys plus their refusals means another
   *     process recorded one of these actions meanwhile, and the caller must roll back
   */
  record Written(Set<String> lost, int outcomes, List<OutboxRow> outbox) {
  }

  /**
   * Writes an attempt in one statement: each key's last version if its row is still at the expected version (or,
   * for expected 0, still absent), and for the keys that won their history rows, outbox rows (the next sequence
   * numbers, in list order) and APPLIED dedup rows; REJECTED dedup rows for {@code rejected} ({action id, key} pairs)
   * whose key did not lose; a STATE_CONFLICT history row for each key that lost. Keys are written in sorted order
   * so that two reducers lock rows in the same order and do not deadlock.
   *
   * @param outcomesRead the caller read the dedup log for these actions: a REJECTED outcome is then overwritten
   *     (the action was decided again after a DLQ replay). Without it, no recorded outcome is, and an action
   *     recorded before fails the statement
   * @throws OutcomeRaceException without {@code outcomesRead}, an action was recorded before: the transaction is
   *     aborted, roll it back
   */
  Written commit(Connection connection, List<KeyCommit> commits, List<String[]> rejected, Instant at, Duration ttl,
      boolean outcomesRead) throws SQLException, OutcomeRaceException {
    // PostgreSQL keeps microseconds: the outbox rows handed to the relay must say the same time as the table.
    Instant committedAt = at.truncatedTo(ChronoUnit.MICROS);
    List<KeyCommit> sorted = commits.stream().sorted((a, b) -> a.workflowKey().compareTo(b.workflowKey())).toList();
    List<VersionCommit> versions = new ArrayList<>();
    Long[] last = new Long[sorted.size()];
    for (int i = 0; i < last.length; i++) {
      versions.addAll(sorted.get(i).versions());
      last[i] = (long) versions.size();
    }
    try (PreparedStatement statement = connection.prepareStatement(outcomesRead ? commit : commitFirstSight)) {
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
      statement.setArray(i++, texts(connection, sorted, KeyCommit::workflowKey));
      statement.setArray(i++, longs(connection, sorted, KeyCommit::expectedVersion));
      statement.setArray(i++, connection.createArrayOf("bigint", last));
      statement.setArray(i++, connection.createArrayOf("boolean",
          sorted.stream().map(KeyCommit::expectedRemembered).toArray()));
      OffsetDateTime time = time(committedAt);
      OffsetDateTime expires = time(committedAt.plus(ttl));
      for (int t = 0; t < 4; t++) {
        statement.setObject(i++, time);
      }
      statement.setObject(i++, time);
      statement.setObject(i++, expires);
      statement.setArray(i++, texts(connection, rejected, r -> r[0]));
      statement.setArray(i++, texts(connection, rejected, r -> r[1]));
      statement.setObject(i, time);
      try (ResultSet row = executeWrite(statement, outcomesRead)) {
        row.next();
        int outcomes = (int) row.getLong(1);
        long committed = row.getLong(2);
        long head = row.getLong(3);
        if (committed > 0 && row.wasNull()) {
          throw noHeadRow();
        }
        java.sql.Array lostKeys = row.getArray(4);
        Set<String> lost = lostKeys == null ? Set.of() : Set.of((String[]) lostKeys.getArray());
        // The outbox rows as the statement wrote them (vw: the versions of the keys that won, in v's order, numbered
        // up to the head), so the relay can publish them without reading them back.
        List<OutboxRow> outbox = new ArrayList<>((int) committed);
        long sequence = head - committed;
        for (VersionCommit version : versions) {
          if (!lost.contains(version.workflowKey())) {
            outbox.add(new OutboxRow(++sequence, version.workflowKey(), version.version(), version.state(),
                version.namespace(), version.tag(), version.trigger(), version.correlationId(), committedAt));
          }
        }
        if (outbox.size() != committed) {
          throw new SQLException("the outbox statement wrote " + committed + " rows where " + outbox.size()
              + " were expected", "XX000");
        }
        return new Written(lost, outcomes, outbox);
      }
    }
  }

  /**
   * Runs the write statement. At first sight a unique violation is the dedup log's primary key meeting an action
   * recorded before (the other keys are the history's, which only the winner of a version writes, and the outbox's,
   * numbered under the head's lock); should it be another, the attempt that reads the outcomes meets it again.
   */
  private ResultSet executeWrite(PreparedStatement statement, boolean outcomesRead)
      throws SQLException, OutcomeRaceException {
    try {
      return statement.executeQuery();
    } catch (SQLException e) {
      if (!outcomesRead && UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw new OutcomeRaceException();
      }
      if (INVALID_TEXT.equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains(NO_HEAD_ROW)) {
        throw noHeadRow();
      }
      throw e;
    }
  }

  /**
   * Puts back a head row deleted by hand: the highest sequence taken is the outbox's highest or, once cleaned up,
   * the one below the cursor.
   */
  static String restoreHeadStatement(String schema) {
    return "INSERT INTO " + CanonicalSchema.table(schema, CanonicalSchema.OUTBOX_HEAD) + " (id, last_sequence) "
        + "SELECT 1, greatest((SELECT coalesce(max(sequence), 0) FROM "
        + CanonicalSchema.table(schema, CanonicalSchema.OUTBOX) + "), (SELECT next_sequence - 1 FROM "
        + CanonicalSchema.table(schema, CanonicalSchema.OUTBOX_CURSOR) + "))";
  }

  private SQLException noHeadRow() {
    return new SQLException(CanonicalSchema.OUTBOX_HEAD + " has no row (deleted by hand?), so no version can be "
        + "numbered for the outbox and nothing was written; put it back with: " + restoreHead, "55000");
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
