package io.reducer.e2e.scenarios;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A read lock on a table, held by the scenario's own open transaction until {@link #close()}: a session that wants
 * the table exclusively (a rebuild's TRUNCATE) waits there, so a fault can be placed at that point of its
 * transaction. Releasing it writes nothing.
 */
final class TableLock implements AutoCloseable {

  private final ReadModel.Connections database;
  private final Connection connection;

  /** @param table a constant of the test, never user input; quoted all the same */
  TableLock(ReadModel.Connections database, String table) throws SQLException {
    this.database = database;
    connection = database.open();
    connection.setAutoCommit(false);
    try (Statement s = connection.createStatement()) {
      s.execute("LOCK TABLE \"" + table + "\" IN ACCESS SHARE MODE");
    }
  }

  /** Sessions whose application_name starts with {@code application} that wait for a lock now. */
  int waiting(String application) throws SQLException {
    // Not on the lock's connection: a transaction sees pg_stat_activity as it was when it first looked.
    try (Connection c = database.open(); PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity "
        + "WHERE wait_event_type = 'Lock' AND application_name LIKE ?")) {
      s.setString(1, application + "%");
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  @Override
  public void close() throws SQLException {
    try {
      connection.rollback();
    } finally {
      connection.close();
    }
  }
}
