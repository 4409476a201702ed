package io.reducer.workloads.materializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Statements sent to the server in one round trip (one multi-statement prepared statement), inside the caller's
 * transaction. For work done while readers wait on a lock: each exchange with the server costs a scheduling wake-up on
 * both sides, which on a busy machine is milliseconds. A statement that fails aborts the rest.
 */
final class SqlBatch {

  private final List<String> statements = new ArrayList<>();
  private final List<Object> parameters = new ArrayList<>();
  private final List<Step<?>> steps = new ArrayList<>();

  private record Step<T>(CatalogQuery.Row<T> row, List<T> into) {
  }

  /** One statement (no {@code ;} outside quotes) whose result is not read; parameters are Strings or Longs. */
  SqlBatch statement(String sql, Object... statementParameters) {
    add(sql, statementParameters, new Step<>(null, null));
    return this;
  }

  /** A query; the returned list holds its rows once {@link #run} returned. */
  <T> List<T> query(String sql, CatalogQuery.Row<T> row, Object... queryParameters) {
    List<T> rows = new ArrayList<>();
    add(sql, queryParameters, new Step<>(row, rows));
    return rows;
  }

  boolean isEmpty() {
    return statements.isEmpty();
  }

  void run(Connection connection) throws SQLException {
    if (statements.isEmpty()) {
      return;
    }
    try (PreparedStatement batch = connection.prepareStatement(String.join(";\n", statements))) {
      for (int i = 0; i < parameters.size(); i++) {
        Object value = parameters.get(i);
        if (value instanceof Long number) {
          batch.setLong(i + 1, number);
        } else {
          batch.setString(i + 1, (String) value);
        }
      }
      batch.execute();
      for (Step<?> step : steps) {
        if (step.row() != null) {
          read(batch.getResultSet(), step);
        }
        batch.getMoreResults();
      }
    }
  }

  private void add(String sql, Object[] statementParameters, Step<?> step) {
    statements.add(sql);
    parameters.addAll(List.of(statementParameters));
    steps.add(step);
  }

  private static <T> void read(ResultSet rows, Step<T> step) throws SQLException {
    try (rows) {
      while (rows.next()) {
        step.into().add(step.row().read(rows));
      }
    }
  }
}
