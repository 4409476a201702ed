package io.reducer.workloads.materializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Runs a query with text parameters (names from configuration, never in SQL text) and maps each row. */
final class CatalogQuery {

  /** Reads the current row. */
  @FunctionalInterface
  interface Row<T> {
    T read(ResultSet row) throws SQLException;
  }

  private CatalogQuery() {
  }

  static <T> List<T> rows(Connection connection, String sql, Row<T> row, String... parameters) throws SQLException {
    List<T> values = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        query.setString(i + 1, parameters[i]);
      }
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          values.add(row.read(rows));
        }
      }
    }
    return values;
  }

  /** The first column of each row, as text. */
  static List<String> texts(Connection connection, String sql, String... parameters) throws SQLException {
    return rows(connection, sql, row -> row.getString(1), parameters);
  }
}
