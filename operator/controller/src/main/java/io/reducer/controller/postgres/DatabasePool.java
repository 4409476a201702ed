package io.reducer.controller.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A small pool of connections to one pipeline database. The operator only reads a few rows per probe, so a
 * couple of connections serve every projection of a pipeline; idle connections are checked before reuse so a
 * restarted server costs one failed probe at most.
 */
public final class DatabasePool implements AutoCloseable {

  private final LongAdder runs = new LongAdder();

  /** One SQL step against a pooled connection. */
  @FunctionalInterface
  public interface Work<T> {
    T apply(Connection connection) throws SQLException, DatabaseFailure;
  }

  private final DatabaseLogin login;
  private final Duration timeout;
  private final Semaphore permits;
  private final Deque<Connection> idle = new ArrayDeque<>();
  private volatile boolean closed;

  public DatabasePool(DatabaseLogin login, int size, Duration timeout) {
    this.login = login;
    this.timeout = timeout;
    this.permits = new Semaphore(size);
  }

  public String target() {
    return login.target();
  }

  /** Units of work run so far, each on one connection: the database's share of the operator's load. */
  public long runs() {
    return runs.sum();
  }

  /** Runs {@code work} on a connection; SQL failures become a {@link DatabaseFailure} with its reason. */
  public <T> T run(String what, Work<T> work) throws DatabaseFailure {
    runs.increment();
    try {
      if (!permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new DatabaseFailure(DatabaseFailure.Reason.DatabaseUnreachable, what + ": every connection to "
            + login.target() + " stayed busy for " + timeout.toSeconds() + "s", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DatabaseFailure(DatabaseFailure.Reason.DatabaseError, what + ": interrupted", e);
    }
    Connection connection = null;
    boolean healthy = false;
    try {
      connection = borrow();
      T result = work.apply(connection);
      healthy = true;
      return result;
    } catch (SQLException e) {
      throw DatabaseFailure.of(e, login.target(), what);
    } finally {
      giveBack(connection, healthy);
      permits.release();
    }
  }

  /**
   * Like {@link #run}, on a connection that may write and is not in auto-commit mode: {@code work} commits what it
   * wants kept, and whatever it leaves open is rolled back. The pool's connections are read-only otherwise, so a
   * probe can never write by mistake.
   */
  public <T> T runWritable(String what, Work<T> work) throws DatabaseFailure {
    return run(what, connection -> {
      connection.setReadOnly(false);
      connection.setAutoCommit(false);
      try {
        return work.apply(connection);
      } finally {
        connection.rollback();
        connection.setAutoCommit(true);
        connection.setReadOnly(true);
      }
    });
  }

  private Connection borrow() throws SQLException {
    while (true) {
      Connection candidate;
      synchronized (idle) {
        candidate = idle.pollFirst();
      }
      if (candidate == null) {
        return open();
      }
      if (candidate.isValid((int) Math.max(1, timeout.toSeconds()))) {
        return candidate;
      }
      closeQuietly(candidate);
    }
  }

  private Connection open() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", login.user());
    properties.setProperty("password", login.password());
    String seconds = String.valueOf(Math.max(1, timeout.toSeconds()));
    properties.setProperty("connectTimeout", seconds);
    properties.setProperty("loginTimeout", seconds);
    // A probe that hangs on a half-open socket must fail within the timeout, not block the probe loop.
    properties.setProperty("socketTimeout", String.valueOf(Math.max(2, timeout.toSeconds() * 2)));
    properties.setProperty("readOnly", "true");
    Connection connection = DriverManager.getConnection(login.jdbcUrl(), properties);
    connection.setAutoCommit(true);
    return connection;
  }

  private void giveBack(Connection connection, boolean healthy) {
    if (connection == null) {
      return;
    }
    if (!healthy || closed) {
      closeQuietly(connection);
      return;
    }
    synchronized (idle) {
      idle.addFirst(connection);
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (idle) {
      idle.forEach(DatabasePool::closeQuietly);
      idle.clear();
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // Closing a broken connection; nothing left to do.
    }
  }
}
