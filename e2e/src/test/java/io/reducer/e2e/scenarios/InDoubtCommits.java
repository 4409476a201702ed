package io.reducer.e2e.scenarios;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Puts a PostgreSQL crash exactly on a COMMIT. While held, every transaction that wrote something waits at its
 * COMMIT for a synchronous standby that never connects: its commit record is already in the write-ahead log, so
 * it survives a crash, but its client never hears so. Killing the server then leaves those commits in doubt for
 * their clients, and crash recovery makes them committed: the case a client must not count as rolled back.
 */
final class InDoubtCommits {

  private static final String NO_SUCH_STANDBY = "crash_scenario_standby";

  private final ReadModel.Connections database;

  InDoubtCommits(ReadModel.Connections database) {
    this.database = database;
  }

  /** From now on commits wait for the standby. */
  void hold() throws SQLException {
    run("ALTER SYSTEM SET synchronous_standby_names = '" + NO_SUCH_STANDBY + "'");
    run("SELECT pg_reload_conf()");
  }

  /** Commits waiting for the standby now, of sessions whose application_name starts with {@code application}. */
  int waiting(String application) throws SQLException {
    try (Connection c = database.open(); PreparedStatement s = c.prepareStatement(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep' AND application_name LIKE ?")) {
      s.setString(1, application + "%");
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  /**
   * Forgets the standby in the configuration file only: the held commits stay in doubt until the server is killed,
   * and the restarted server waits for no standby.
   */
  void forgetAtRestart() throws SQLException {
    run("ALTER SYSTEM RESET synchronous_standby_names");
  }

  /** Forgets the standby now: the held commits complete and their clients are told. */
  void release() throws SQLException {
    forgetAtRestart();
    run("SELECT pg_reload_conf()");
  }

  private void run(String sql) throws SQLException {
    try (Connection c = database.open(); PreparedStatement s = c.prepareStatement(sql)) {
      s.execute();
    }
  }
}
