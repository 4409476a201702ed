package io.reducer.workloads.reducer;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reducer.workloads.postgres.Database;

/**
 * The reducer process's background work on a connection of its own, so that neither the poll loop nor the outbox
 * relay ever waits for it: every process writes its stats row; the outbox relay's leader also does the
 * housekeeping (cleanups in chunks every 30 s) and analyzes tables that have grown tenfold. A chunk of deletes or an
 * ANALYZE of a large table takes tens to hundreds of milliseconds, which on the relay's thread was publishing
 * latency.
 */
final class Maintenance implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);
  private static final Duration TICK = Duration.ofSeconds(1);
  private static final Duration FAILURE_BACKOFF = Duration.ofSeconds(1);

  private final Database connections;
  private final ReducerMetrics metrics;
  private final Housekeeping housekeeping;
  private final TableStatistics statistics;
  private final StatsReporter stats;
  private final ReducerProbe probe;
  private final CountDownLatch stopped = new CountDownLatch(1);

  Maintenance(Database connections, ReducerMetrics metrics, Housekeeping housekeeping, TableStatistics statistics,
      StatsReporter stats, ReducerProbe probe) {
    this.connections = connections;
    this.metrics = metrics;
    this.housekeeping = housekeeping;
    this.statistics = statistics;
    this.stats = stats;
    this.probe = probe;
  }

  void stop() {
    stopped.countDown();
  }

  @Override
  public void run() {
    Duration wait = Duration.ZERO;
    try {
      while (!stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        wait = TICK;
        try {
          // The relay's leadership says who cleans up; a hand-over may briefly let two processes delete the same
          // expired rows, which is harmless.
          boolean leader = metrics.isLeader();
          if (leader) {
            long analyzing = System.nanoTime();
            List<String> analyzed = statistics.analyzeIfDue(connections.connection());
            if (!analyzed.isEmpty()) {
              stamp("ANALYZE " + String.join(", ", analyzed), analyzing);
            }
            long cleaning = System.nanoTime();
            if (housekeeping.runIfDue(connections.connection())) {
              stamp("housekeeping", cleaning);
            }
          }
          long writing = System.nanoTime();
          if (stats.writeIfDue(connections.connection(), leader, housekeeping)) {
            stamp("stats row", writing);
          }
        } catch (SQLException | RuntimeException e) {
          LOG.warn("reducer maintenance (stats row, cleanup, statistics) failed; retrying: {}", e.toString());
          connections.discard();
          wait = FAILURE_BACKOFF;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      connections.close();
    }
  }

  /** Tells the probe, if any, that {@code work} ran from {@code started} until now. */
  private void stamp(String work, long started) {
    if (probe != null) {
      probe.maintained(work, started, System.nanoTime());
    }
  }
}
