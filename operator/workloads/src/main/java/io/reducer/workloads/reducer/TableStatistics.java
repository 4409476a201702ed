package io.reducer.workloads.reducer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Analyzes the canonical store's growing tables as soon as they have grown tenfold since their statistics were
 * taken (from nothing: at 1,000 rows, then 10,000, 100,000, ...). A new pipeline's tables grow from empty to
 * hundreds of thousands of rows within a minute, before autovacuum's first analyze; PostgreSQL caches the plans of
 * the reducer's prepared statements, and a plan made for an empty table (a sequential scan of the dedup log for
 * each batch's lookup) stays until the table is analyzed, so the reducer got slower with every batch. Ten times the
 * rows is when a plan's shape can change; in between, autovacuum keeps the statistics as usual. Cheap: one catalog
 * query a second, and an ANALYZE a handful of times in a table's life. Without ownership of the tables (the
 * operator created them as another user) PostgreSQL skips the ANALYZE with a warning, and autovacuum's take over.
 */
final class TableStatistics {

  private static final Logger LOG = LoggerFactory.getLogger(TableStatistics.class);
  static final Duration INTERVAL = Duration.ofSeconds(1);
  static final long FIRST_ANALYZE_ROWS = 1_000;
  static final long GROWTH = 10;
  private static final List<String> TABLES = List.of(CanonicalSchema.STATE, CanonicalSchema.HISTORY,
      CanonicalSchema.DEDUP, CanonicalSchema.OUTBOX);

  private final String schema;
  private final String query;
  /** Live rows when each table was last analyzed from here: without ownership ANALYZE only warns, and is not repeated. */
  private final Map<String, Long> tried = new HashMap<>();
  private long nextCheckNanos = System.nanoTime();

  TableStatistics(String schema) {
    this.schema = schema;
    // reltuples is what the last ANALYZE (or VACUUM) saw, -1 before the first; n_live_tup is counted as rows are
    // written, about a second behind.
    query = "SELECT c.relname, c.reltuples, s.n_live_tup FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        + "JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE n.nspname = ? AND c.relname = ANY(?::text[])";
  }

  /** Analyzes the tables that have grown tenfold; returns their names. Commits. */
  List<String> analyzeIfDue(Connection connection) throws SQLException {
    if (System.nanoTime() < nextCheckNanos) {
      return List.of();
    }
    nextCheckNanos = System.nanoTime() + INTERVAL.toNanos();
    List<String> grown = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(query)) {
      statement.setString(1, schema);
      statement.setArray(2, connection.createArrayOf("text", TABLES.toArray()));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          String table = rows.getString(1);
          long live = rows.getLong(3);
          if (due(Math.max(rows.getDouble(2), tried.getOrDefault(table, -1L)), live)) {
            grown.add(table);
            tried.put(table, live);
          }
        }
      }
    }
    connection.commit();
    for (String table : grown) {
      long started = System.nanoTime();
      try (Statement analyze = connection.createStatement()) {
        analyze.execute("ANALYZE " + CanonicalSchema.table(schema, table));
      }
      connection.commit();
      LOG.info("analyzed {}.{}, which grew tenfold since its statistics were taken, in {} ms", schema, table,
          (System.nanoTime() - started) / 1_000_000);
    }
    return grown;
  }

  /** Whether a table analyzed at {@code analyzed} rows (-1: never) with {@code live} rows now is due. */
  static boolean due(double analyzed, long live) {
    return live >= FIRST_ANALYZE_ROWS && live >= GROWTH * Math.max(analyzed, FIRST_ANALYZE_ROWS / GROWTH);
  }
}
