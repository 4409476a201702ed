package io.reducer.workloads.reducer;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reducer.workloads.ExitCodes;

/**
 * A running reducer: the poll loop on the calling thread, the outbox relay and the maintenance (stats row,
 * housekeeping, statistics) each on its own thread and database connection.
 */
public final class ReducerProcess {

  private static final Logger LOG = LoggerFactory.getLogger(ReducerProcess.class);

  private final ReducerLoop loop;
  private final OutboxRelay relay;
  private final Maintenance maintenance;
  private final ReducerMetrics metrics;
  private final AutoCloseable http;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile int exitCode = -1;

  /** @param relay null with --outbox-relay=false */
  ReducerProcess(ReducerLoop loop, OutboxRelay relay, Maintenance maintenance, ReducerMetrics metrics,
      AutoCloseable http) {
    this.loop = loop;
    this.relay = relay;
    this.maintenance = maintenance;
    this.metrics = metrics;
    this.http = http;
  }

  public ReducerMetrics metrics() {
    return metrics;
  }

  /** Runs until {@link #stop()}; returns the exit code. */
  public int run() {
    Thread relayThread = relay == null ? null : new Thread(relay, "reducer-outbox-relay");
    Thread maintenanceThread = new Thread(maintenance, "reducer-maintenance");
    for (Thread thread : new Thread[] {relayThread, maintenanceThread}) {
      if (thread != null) {
        thread.setDaemon(true);
        thread.start();
      }
    }
    int code = ExitCodes.FAILURE;
    try {
      code = loop.run();
      return code;
    } finally {
      if (relay != null) {
        relay.stop();
      }
      maintenance.stop();
      try {
        if (relayThread != null) {
          relayThread.join(Duration.ofSeconds(10).toMillis());
        }
        maintenanceThread.join(Duration.ofSeconds(10).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try {
        http.close();
      } catch (Exception e) {
        LOG.debug("closing the HTTP endpoints: {}", e.toString());
      }
      metrics.close();
      exitCode = code;
      finished.countDown();
    }
  }

  public void stop() {
    loop.stop();
  }

  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public int exitCode() {
    return exitCode;
  }
}
