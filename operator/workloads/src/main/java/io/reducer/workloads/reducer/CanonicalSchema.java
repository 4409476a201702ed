package io.reducer.workloads.reducer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Function;

import io.reducer.workloads.materializer.Identifiers;

/**
 * The canonical store's tables, created if missing. Names and columns keep the runbooks' diagnostic SQL working
 * ({@code workflow_state}, {@code workflow_state_history} with {@code event_type}, {@code timestamp} and
 * {@code provenance->>'action_id'}, {@code action_dedup_log}, {@code reducer_gaveup_log}); the outbox tables map
 * the outbox runbook's vocabulary (docs/reducer.md, "The outbox").
 *
 * <p>Changes are forward-only migrations recorded in {@code reducer_schema_version}, so the reducer at its start
 * and the operator for a ReducerPipeline apply the same steps, each once, and a store at the current version needs
 * no DDL (nor the CREATE grant) at all.
 */
public final class CanonicalSchema {

  public static final String STATE = "workflow_state";
  public static final String HISTORY = "workflow_state_history";
  public static final String DEDUP = "action_dedup_log";
  public static final String GAVE_UP = "reducer_gaveup_log";
  public static final String OUTBOX = "reducer_outbox";
  public static final String OUTBOX_HEAD = "reducer_outbox_head";
  public static final String OUTBOX_CURSOR = "reducer_outbox_cursor";
  public static final String OUTBOX_GAPS = "reducer_outbox_gaps";
  public static final String STATS = "reducer_stats";
  /** One row per applied migration: (version, applied_at). */
  public static final String VERSION = "reducer_schema_version";
  /** Serializes concurrent startups of several reducers: CREATE TABLE IF NOT EXISTS races on the catalog. */
  private static final long DDL_LOCK = 0x7265647563657232L;

  /**
   * The migrations in order: entry n is version n + 1. Never change a released entry; append one. Version 1 is all
   * IF NOT EXISTS, so it also adopts stores created before versions were recorded.
   */
  private static final List<Function<String, List<String>>> MIGRATIONS = List.of(CanonicalSchema::version1);

  /** The version {@link #create} brings a store to. */
  public static final int CURRENT_VERSION = MIGRATIONS.size();

  /** Every table of the store at {@link #CURRENT_VERSION}, for checks that none is missing. */
  public static final List<String> TABLES = List.of(STATE, HISTORY, DEDUP, GAVE_UP, OUTBOX, OUTBOX_HEAD,
      OUTBOX_CURSOR, OUTBOX_GAPS, STATS, VERSION);

  private CanonicalSchema() {
  }

  /**
   * Brings the store in {@code schema} to {@link #CURRENT_VERSION}: applies, in one transaction, the migrations
   * above the recorded version and records each. Does nothing (and needs no CREATE grant) when the store is
   * current. The connection must not be in auto-commit mode; this commits.
   */
  public static void create(Connection connection, String schema) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      if (version(connection, schema) >= CURRENT_VERSION) {
        connection.commit();
        return;
      }
      statement.execute("SELECT pg_advisory_xact_lock(" + DDL_LOCK + ")");
      statement.execute("CREATE TABLE IF NOT EXISTS " + table(schema, VERSION) + " ("
          + "version int PRIMARY KEY, "
          + "applied_at timestamptz NOT NULL DEFAULT now())");
      // Again under the lock: another process may have migrated meanwhile.
      for (int version = version(connection, schema) + 1; version <= CURRENT_VERSION; version++) {
        for (String sql : MIGRATIONS.get(version - 1).apply(schema)) {
          statement.execute(sql);
        }
        try (PreparedStatement record = connection.prepareStatement("INSERT INTO " + table(schema, VERSION)
            + " (version) VALUES (?)")) {
          record.setInt(1, version);
          record.executeUpdate();
        }
      }
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    }
  }

  /** The highest version recorded in {@code schema}; 0 when none is, or when the version table does not exist. */
  public static int version(Connection connection, String schema) throws SQLException {
    try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      exists.setString(1, table(schema, VERSION));
      try (ResultSet rows = exists.executeQuery()) {
        rows.next();
        if (!rows.getBoolean(1)) {
          return 0;
        }
      }
    }
    try (Statement query = connection.createStatement();
        ResultSet rows = query.executeQuery("SELECT COALESCE(max(version), 0) FROM " + table(schema, VERSION))) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private static List<String> version1(String schema) {
    return List.of(
        // Every commit rewrites a key's row and only the primary key is indexed: half-empty pages keep the updates
        // HOT (in place, no index entry), as for the projection tables.
        "CREATE TABLE IF NOT EXISTS " + table(schema, STATE) + " ("
            + "workflow_key text PRIMARY KEY, "
            + "version bigint NOT NULL CHECK (version > 0), "
            + "state text NOT NULL, "
            + "namespace text, "
            + "tag text, "
            + "last_action text, "
            + "correlation_id text, "
            + "provenance jsonb, "
            + "updated_at timestamptz NOT NULL DEFAULT now()) WITH (fillfactor = 50)",
        "CREATE TABLE IF NOT EXISTS " + table(schema, HISTORY) + " ("
            + "workflow_key text NOT NULL, "
            + "version bigint NOT NULL, "
            + "event_type text NOT NULL, "
            + "state text, "
            + "previous_state text, "
            + "namespace text, "
            + "tag text, "
            + "trigger text, "
            + "action_id text, "
            + "correlation_id text, "
            + "provenance jsonb, "
            + "\"timestamp\" timestamptz NOT NULL DEFAULT now(), "
            + "updated_at timestamptz NOT NULL DEFAULT now(), "
            + "PRIMARY KEY (workflow_key, version, event_type))",
        "CREATE TABLE IF NOT EXISTS " + table(schema, DEDUP) + " ("
            + "action_id text PRIMARY KEY, "
            + "workflow_key text NOT NULL, "
            + "outcome text NOT NULL, "
            + "processed_at timestamptz NOT NULL DEFAULT now(), "
            + "expires_at timestamptz NOT NULL)",
        // Rows arrive in about expires_at order, so a BRIN index serves the cleanup's range scan at a fraction of a
        // B-tree's cost per insert (one insert per action).
        "CREATE INDEX IF NOT EXISTS " + Identifiers.quote("action_dedup_log_expires_at_idx") + " ON "
            + table(schema, DEDUP) + " USING brin (expires_at) WITH (autosummarize = on)",
        "CREATE TABLE IF NOT EXISTS " + table(schema, GAVE_UP) + " ("
            + "id bigserial PRIMARY KEY, "
            + "action_id text NOT NULL, "
            + "workflow_key text NOT NULL, "
            + "trigger text, "
            + "attempts int NOT NULL, "
            + "last_error text, "
            + "correlation_id text, "
            + "\"timestamp\" timestamptz NOT NULL DEFAULT now())",
        "CREATE INDEX IF NOT EXISTS " + Identifiers.quote("reducer_gaveup_log_timestamp_idx") + " ON "
            + table(schema, GAVE_UP) + " (\"timestamp\")",
        "CREATE TABLE IF NOT EXISTS " + table(schema, OUTBOX) + " ("
            + "sequence bigint PRIMARY KEY, "
            + "workflow_key text NOT NULL, "
            + "version bigint NOT NULL, "
            + "state text NOT NULL, "
            + "namespace text, "
            + "tag text, "
            + "last_action text, "
            + "correlation_id text, "
            + "committed_at timestamptz NOT NULL)",
        // The head is the runbooks' runs.lastSeq: sequence numbers are taken from it under its row lock at the end
        // of each commit, so they are gap-free and in commit order (a rolled-back transaction takes none).
        "CREATE TABLE IF NOT EXISTS " + table(schema, OUTBOX_HEAD) + " ("
            + "id int PRIMARY KEY CHECK (id = 1), "
            + "last_sequence bigint NOT NULL)",
        "INSERT INTO " + table(schema, OUTBOX_HEAD) + " (id, last_sequence) VALUES (1, 0) ON CONFLICT DO NOTHING",
        // The cursor is the runbooks' run_outbox.nextSeq: every sequence below it is published.
        "CREATE TABLE IF NOT EXISTS " + table(schema, OUTBOX_CURSOR) + " ("
            + "id int PRIMARY KEY CHECK (id = 1), "
            + "next_sequence bigint NOT NULL, "
            + "published_at timestamptz, "
            + "last_committed_at timestamptz, "
            + "publisher text, "
            + "updated_at timestamptz NOT NULL DEFAULT now())",
        "INSERT INTO " + table(schema, OUTBOX_CURSOR) + " (id, next_sequence) VALUES (1, 1) ON CONFLICT DO NOTHING",
        "CREATE TABLE IF NOT EXISTS " + table(schema, OUTBOX_GAPS) + " ("
            + "sequence bigint PRIMARY KEY, "
            + "last_sequence bigint NOT NULL, "
            + "detected_at timestamptz NOT NULL DEFAULT now(), "
            + "detected_by text)",
        "CREATE TABLE IF NOT EXISTS " + table(schema, STATS) + " ("
            + "process text PRIMARY KEY, "
            + "pipeline text NOT NULL, "
            + "started_at timestamptz NOT NULL, "
            + "updated_at timestamptz NOT NULL, "
            + "actions_applied bigint NOT NULL, "
            + "actions_rejected bigint NOT NULL, "
            + "actions_duplicate bigint NOT NULL, "
            + "conflicts bigint NOT NULL, "
            + "gave_up bigint NOT NULL, "
            + "window_seconds int NOT NULL, "
            + "window_applied bigint NOT NULL, "
            + "window_conflicts bigint NOT NULL, "
            + "window_gave_up bigint NOT NULL, "
            + "commit_p95_ms double precision, "
            + "outbox_leader boolean NOT NULL, "
            + "dedup_cleanup_at timestamptz, "
            + "dedup_cleanup_deleted bigint)");
  }

  static String table(String schema, String name) {
    return Identifiers.qualified(schema, name);
  }
}
