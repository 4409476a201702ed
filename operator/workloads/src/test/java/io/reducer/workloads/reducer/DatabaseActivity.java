package io.reducer.workloads.reducer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * What the database was doing besides the reducer's own work, sampled from {@code pg_stat_activity} every
 * {@link #PERIOD_NANOS} for the benchmark's log of loop stalls: autovacuum workers (and what they work on), backends
 * waiting on a lock or on I/O, and transactions open for longer than 50 ms. Each thing seen in consecutive samples is
 * one interval on the {@link System#nanoTime()} clock, so a stall can name what overlapped it in the database.
 */
final class DatabaseActivity implements AutoCloseable {

  static final long PERIOD_NANOS = 10_000_000L;

  private static final String QUERY = "SELECT backend_type, state, wait_event_type, wait_event, "
      + "coalesce(extract(epoch FROM now() - xact_start) * 1000, 0), left(regexp_replace(query, '\\s+', ' ', 'g'), 70) "
      + "FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND (backend_type = 'autovacuum worker' "
      + "OR wait_event_type IN ('Lock', 'IO', 'BufferPin') OR (xact_start IS NOT NULL "
      + "AND now() - xact_start > interval '50 milliseconds'))";

  private final Connection connection;
  private final Thread sampler;
  private final Map<String, LoopStalls.Interval> open = new HashMap<>();
  private final List<LoopStalls.Interval> seen = new ArrayList<>();
  private volatile boolean running = true;

  DatabaseActivity(Connection connection) {
    this.connection = connection;
    sampler = new Thread(this::sample, "database-activity");
    sampler.setDaemon(true);
    sampler.start();
  }

  private void sample() {
    try (PreparedStatement statement = connection.prepareStatement(QUERY)) {
      while (running) {
        long now = System.nanoTime();
        Map<String, Boolean> current = new HashMap<>();
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            current.put(describe(rows), true);
          }
        }
        synchronized (this) {
          for (String what : current.keySet()) {
            LoopStalls.Interval interval = open.get(what);
            open.put(what, new LoopStalls.Interval(what, interval == null ? now : interval.from(), now));
          }
          open.entrySet().removeIf(entry -> {
            if (!current.containsKey(entry.getKey())) {
              seen.add(entry.getValue());
              return true;
            }
            return false;
          });
        }
        LockSupport.parkNanos(PERIOD_NANOS);
      }
    } catch (SQLException e) {
      System.out.println("  database activity sampling stopped: " + e.getMessage());
    }
  }

  private static String describe(ResultSet row) throws SQLException {
    String type = row.getString(1);
    String waitType = row.getString(3);
    String wait = waitType == null ? "" : " waiting on " + waitType + "/" + row.getString(4);
    if (type.equals("autovacuum worker")) {
      return row.getString(6) + wait;
    }
    if (waitType != null && !waitType.equals("Client") && !waitType.equals("Activity")) {
      return type + wait + " (" + row.getString(6) + ")";
    }
    // A long transaction: named by what it runs, not by its age, so consecutive samples make one interval.
    return type + " in a transaction over 50 ms (" + row.getString(2) + ": " + row.getString(6) + ")";
  }

  /** Everything seen, each as one interval per appearance; call after {@link #close()}. */
  synchronized List<LoopStalls.Interval> intervals() {
    List<LoopStalls.Interval> all = new ArrayList<>(seen);
    all.addAll(open.values());
    return all;
  }

  @Override
  public void close() throws Exception {
    running = false;
    sampler.join();
    connection.close();
  }
}
