package io.reducer.workloads.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * A workload's single PostgreSQL connection (autocommit off). A connection that failed is discarded and a
 * new one opened on next use, so a database restart costs a reconnect, not a process restart.
 */
public final class Database implements AutoCloseable {

  /**
   * How long PostgreSQL lets a session of ours sit idle inside a transaction before it ends the session. A process
   * frozen mid-transaction (a stopped container, a lost node whose TCP connection the server still believes in)
   * otherwise holds its row locks until it resumes, and whoever takes its partitions over blocks on them. Above
   * the DLQ producer's 30 s delivery timeout, the longest a transaction of ours legitimately waits between
   * statements.
   */
  public static final Duration DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT = Duration.ofSeconds(45);

  private final String url;
  private final Duration idleInTransactionTimeout;
  private final Properties properties = new Properties();
  private Connection connection;
  private volatile long lastAnswerNanos;

  public Database(String url, String user, String password, String applicationName) {
    this(url, user, password, applicationName, DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT);
  }

  public Database(String url, String user, String password, String applicationName,
      Duration idleInTransactionTimeout) {
    this.url = url;
    this.idleInTransactionTimeout = idleInTransactionTimeout;
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
      // Session settings (not the JDBC URL's options), so a URL that sets its own options keeps them.
      try (Statement statement = opened.createStatement()) {
        statement.execute("SET idle_in_transaction_session_timeout = " + idleInTransactionTimeout.toMillis());
        // Our statements look up and write a batch of keys through their primary keys. From about a hundred keys
        // PostgreSQL plans those lookups in parallel, and starting the worker processes for every batch took tens
        // of milliseconds per transaction (more on a small, busy machine) for a lookup that takes one or two.
        statement.execute("SET max_parallel_workers_per_gather = 0");
      } catch (SQLException e) {
        opened.close();
        throw e;
      }
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

  /**
   * An idle workload still proves the database answers, for readiness: checks the connection when nothing answered
   * within {@code window}, and drops it when the check fails.
   */
  public void pingIfIdle(Duration window) {
    if (answeredWithin(window)) {
      return;
    }
    try {
      if (connection().isValid(2)) {
        answered();
      } else {
        discard();
      }
    } catch (SQLException e) {
      discard();
    }
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
