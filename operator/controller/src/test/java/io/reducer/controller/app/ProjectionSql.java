package io.reducer.controller.app;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/** What the integration tests read from the fixture's PostgreSQL: one number, or a projection table's rows. */
final class ProjectionSql {

  private final OperatorFixture fixture;

  ProjectionSql(OperatorFixture fixture) {
    this.fixture = fixture;
  }

  /** The first column of the first row. */
  long query(String sql) throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** Each key's "version:state". */
  Map<String, String> table(String table) throws Exception {
    Map<String, String> rows = new HashMap<>();
    try (Connection c = connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT workflow_key, version, state FROM " + table)) {
      while (r.next()) {
        rows.put(r.getString(1), r.getLong(2) + ":" + r.getString(3));
      }
    }
    return rows;
  }

  Connection connect() throws Exception {
    return DriverManager.getConnection(fixture.postgres.jdbcUrl(), fixture.postgres.user(), fixture.postgres.password());
  }
}
