package io.reducer.workloads.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * A workload's single PostgreSQL connection (autocommit off). A connection that failed is discarded and a
 * new one opened on next use, so a database restart costs a reconnect, not a process restart.
 */
public final class Database implements AutoCloseable {

  private final String url;
  private final Properties properties = new Properties();
  private Connection connection;
  private volatile long lastAnswerNanos;

  public Database(String url, String user, String password, String applicationName) {
    this.url = url;
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    properties.setProperty("ApplicationName", applicationName);
    properties.setProperty("connectTimeout", "5");
    properties.setProperty("loginTimeout", "10");
    // Bounds a statement stuck on a dead server; a batch takes milliseconds.
    properties.setProperty("socketTimeout", "60");
    properties.setProperty("tcpKeepAlive", "true");
  }

  public Connection connection() throws SQLException {
    if (connection == null) {
      Connection opened = DriverManager.getConnection(url, properties);
      opened.setAutoCommit(false);
      connection = opened;
    }
    return connection;
  }

  /** Called after each successful round trip; readiness requires a recent one. */
  public void answered() {
    lastAnswerNanos = System.nanoTime();
  }

  public boolean answeredWithin(Duration window) {
    long last = lastAnswerNanos;
    return last != 0 && System.nanoTime() - last < window.toNanos();
  }

  /** Rolls back quietly; when even that fails the connection is broken and is dropped. */
  public void rollbackQuietly() {
    if (connection == null) {
      return;
    }
    try {
      connection.rollback();
    } catch (SQLException e) {
      discard();
    }
  }

  /** Drops a connection that failed; the next {@link #connection()} opens a new one. */
  public void discard() {
    Connection broken = connection;
    connection = null;
    if (broken != null) {
      try {
        broken.close();
      } catch (SQLException ignored) {
        // already broken
      }
    }
  }

  @Override
  public void close() {
    rollbackQuietly();
    discard();
  }
}
