package io.reducer.workloads.trace;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.reducer.workloads.materializer.Identifiers;
import io.reducer.workloads.postgres.Database;
import io.reducer.workloads.reducer.CanonicalSchema;

/**
 * Reads the rows of the canonical store that carry the correlation id, within the window, from every table of
 * {@link CanonicalSchema} with a {@code correlation_id} column: {@code workflow_state_history} (reduced: one
 * {@code STATE_COMMITTED} row per version), {@code reducer_gaveup_log} (gave up), {@code reducer_outbox} (a version
 * waiting for, or past, the relay; published when its sequence is below the cursor) and {@code workflow_state}
 * (the current row, when the id's action was the last one). Then the projection table's rows of the workflows
 * found, which say whether their versions were materialized. A table that does not exist is noted and skipped. Reads
 * only, in a read-only transaction; every value is a bound parameter.
 */
final class StoreScanner {

  /** Rows read per table at most; an id on more is not a trace any more, and the note says so. */
  static final int MAX_ROWS = 1000;

  /** The rows found, the rows per table read (absent tables left out), notes, and the entry types searched. */
  record Result(List<TimelineEntry> entries, Map<String, Long> rows, List<String> notes, Set<String> searched) {
  }

  private final Connection connection;
  private final TraceConfig config;
  private final List<TimelineEntry> entries = new ArrayList<>();
  private final Map<String, Long> rows = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private final Set<String> searched = new HashSet<>();

  private StoreScanner(Connection connection, TraceConfig config) {
    this.connection = connection;
    this.config = config;
  }

  /**
   * @param keys workflow keys already found (on the topics), whose projection rows are read too
   */
  static Result scan(TraceConfig config, Collection<String> keys) throws TraceConfigException {
    try (Database database = new Database(config.jdbcUrl(), config.dbUser(), config.dbPassword(), "reducer-trace")) {
      Connection connection;
      try {
        connection = database.connection();
        connection.setReadOnly(true);
      } catch (SQLException e) {
        throw new TraceConfigException("cannot connect to PostgreSQL at " + config.jdbcUrl() + " as "
            + config.dbUser() + ": " + e.getMessage() + ": check " + TraceOptions.JDBC_URL_FLAG + " ("
            + TraceOptions.JDBC_URL_ENV + "), " + TraceOptions.DB_USER_ENV + " and " + TraceOptions.DB_PASSWORD_ENV,
            e);
      }
      StoreScanner scanner = new StoreScanner(connection, config);
      try {
        scanner.readAll(keys);
        connection.rollback();
      } catch (SQLException e) {
        throw new IllegalStateException("reading the canonical store failed: " + e.getMessage(), e);
      }
      return new Result(scanner.entries, scanner.rows, scanner.notes, scanner.searched);
    }
  }

  private void readAll(Collection<String> keys) throws SQLException {
    String schema = config.schema();
    String history = table(schema, CanonicalSchema.HISTORY, TimelineEntry.HISTORY);
    if (history != null) {
      query(history, "SELECT workflow_key, version, event_type, state, previous_state, trigger, action_id, "
          + "\"timestamp\" FROM " + sql(schema, CanonicalSchema.HISTORY) + " WHERE correlation_id = ?"
          + window("\"timestamp\"") + " ORDER BY \"timestamp\", workflow_key, version", row -> TimelineEntry.row(
              time(row, 8), history, TimelineEntry.HISTORY, row.getString(1), row.getLong(2), row.getString(6),
              row.getString(4), null,
              join(row.getString(3), row.getString(5) == null ? "new workflow" : "from " + row.getString(5),
                  row.getString(7) == null ? null : "action_id=" + row.getString(7)), "correlation_id", null));
    }
    String gaveUp = table(schema, CanonicalSchema.GAVE_UP, TimelineEntry.GAVE_UP);
    if (gaveUp != null) {
      query(gaveUp, "SELECT action_id, workflow_key, trigger, attempts, last_error, \"timestamp\" FROM "
          + sql(schema, CanonicalSchema.GAVE_UP)
          + " WHERE correlation_id = ?" + window("\"timestamp\"") + " ORDER BY \"timestamp\", id", row ->
          TimelineEntry.row(time(row, 6), gaveUp, TimelineEntry.GAVE_UP, row.getString(2), null, row.getString(3),
              null, "REDUCER_GAVE_UP", join("after " + row.getInt(4) + " attempts", row.getString(5),
                  "action_id=" + row.getString(1)), "correlation_id", null));
    }
    String outbox = table(schema, CanonicalSchema.OUTBOX, TimelineEntry.OUTBOX);
    if (outbox != null) {
      String cursor = exists(schema, CanonicalSchema.OUTBOX_CURSOR)
          ? "(SELECT next_sequence FROM " + sql(schema, CanonicalSchema.OUTBOX_CURSOR) + ")" : "NULL";
      query(outbox, "SELECT sequence, workflow_key, version, state, last_action, committed_at, " + cursor + " FROM "
          + sql(schema, CanonicalSchema.OUTBOX) + " WHERE correlation_id = ?" + window("committed_at")
          + " ORDER BY sequence", row -> {
            Long next = row.getObject(7) == null ? null : row.getLong(7);
            Boolean published = next == null ? null : row.getLong(1) < next;
            return TimelineEntry.row(time(row, 6), outbox, TimelineEntry.OUTBOX, row.getString(2), row.getLong(3),
                row.getString(5), row.getString(4), null, "sequence " + row.getLong(1) + (published == null ? ""
                    : published ? ", published" : ", not yet published (the relay's cursor is at " + next + ")"),
                "correlation_id", published);
          });
    }
    String state = table(schema, CanonicalSchema.STATE, TimelineEntry.STATE);
    if (state != null) {
      query(state, "SELECT workflow_key, version, state, last_action, updated_at FROM "
          + sql(schema, CanonicalSchema.STATE)
          + " WHERE correlation_id = ?" + window("updated_at") + " ORDER BY workflow_key", row -> TimelineEntry.row(
              time(row, 5), state, TimelineEntry.STATE, row.getString(1), row.getLong(2), row.getString(4),
              row.getString(3), null, "the workflow's current row", "correlation_id", null));
    }
    Set<String> workflows = new HashSet<>(keys);
    entries.forEach(entry -> workflows.add(entry.workflowKey()));
    workflows.remove(null);
    readProjection(workflows);
  }

  /** The projection rows of the workflows found, whatever their time or correlation id: they are the current ones. */
  private void readProjection(Set<String> workflows) throws SQLException {
    String projection = table(config.projectionSchema(), config.projectionTable(), TimelineEntry.PROJECTION);
    if (projection == null || workflows.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = connection.prepareStatement("SELECT workflow_key, version, state, last_action, "
        + "correlation_id, updated_at FROM " + sql(config.projectionSchema(), config.projectionTable())
        + " WHERE workflow_key = ANY (?) ORDER BY workflow_key")) {
      Array keys = connection.createArrayOf("text", workflows.toArray());
      statement.setArray(1, keys);
      collect(projection, statement, row -> TimelineEntry.row(time(row, 6), projection, TimelineEntry.PROJECTION,
          row.getString(1), row.getLong(2), row.getString(4), row.getString(3), null,
          "the workflow's projection row" + (config.correlationId().equals(row.getString(5)) ? ""
              : " (last changed by correlation id " + row.getString(5) + ")"), "workflow_key", null));
    }
  }

  private interface RowMapper {
    TimelineEntry map(ResultSet row) throws SQLException;
  }

  private void query(String table, String sql, RowMapper mapper) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql + " LIMIT " + (MAX_ROWS + 1))) {
      int i = 1;
      statement.setString(i++, config.correlationId());
      statement.setObject(i++, OffsetDateTime.ofInstant(config.window().since(), ZoneOffset.UTC));
      if (config.window().until() != null) {
        statement.setObject(i, OffsetDateTime.ofInstant(config.window().until(), ZoneOffset.UTC));
      }
      collect(table, statement, mapper);
    }
  }

  private void collect(String table, PreparedStatement statement, RowMapper mapper) throws SQLException {
    long count = 0;
    try (ResultSet row = statement.executeQuery()) {
      while (row.next()) {
        if (++count > MAX_ROWS) {
          notes.add("more than " + MAX_ROWS + " rows of " + table + " match; the first " + MAX_ROWS + " are shown");
          count = MAX_ROWS;
          break;
        }
        entries.add(mapper.map(row));
      }
    }
    rows.put(table, count);
  }

  /** The time bounds after {@code correlation_id = ?}: since, and until when the window has one. */
  private String window(String column) {
    return " AND " + column + " >= ?" + (config.window().until() == null ? "" : " AND " + column + " < ?");
  }

  /**
   * The name of a table to show ({@code schema.table}) when it exists, after noting that its type was searched; null,
   * and a note, when it does not.
   */
  private String table(String schema, String name, String type) throws SQLException {
    if (!exists(schema, name)) {
      notes.add("table " + schema + "." + name + " does not exist: " + type + " rows not checked");
      return null;
    }
    searched.add(type);
    return schema + "." + name;
  }

  /** The quoted name for SQL text. */
  private static String sql(String schema, String name) {
    return Identifiers.qualified(schema, name);
  }

  private boolean exists(String schema, String name) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      statement.setString(1, sql(schema, name));
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getBoolean(1);
      }
    }
  }

  private static Instant time(ResultSet row, int column) throws SQLException {
    return row.getObject(column, OffsetDateTime.class).toInstant();
  }

  private static String join(String... parts) {
    List<String> present = new ArrayList<>();
    for (String part : parts) {
      if (part != null && !part.isBlank()) {
        present.add(part);
      }
    }
    return present.isEmpty() ? null : String.join("; ", present);
  }
}
