package io.reducer.workloads.reducer;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reducer.workloads.ExitCodes;

/** A running reducer: the poll loop on the calling thread, the outbox relay on its own. */
public final class ReducerProcess {

  private static final Logger LOG = LoggerFactory.getLogger(ReducerProcess.class);

  private final ReducerLoop loop;
  private final OutboxRelay relay;
  private final ReducerMetrics metrics;
  private final AutoCloseable http;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile int exitCode = -1;

  ReducerProcess(ReducerLoop loop, OutboxRelay relay, ReducerMetrics metrics, AutoCloseable http) {
    this.loop = loop;
    this.relay = relay;
    this.metrics = metrics;
    this.http = http;
  }

  public ReducerMetrics metrics() {
    return metrics;
  }

  /** Runs until {@link #stop()}; returns the exit code. */
  public int run() {
    Thread relayThread = new Thread(relay, "reducer-outbox-relay");
    relayThread.setDaemon(true);
    relayThread.start();
    int code = ExitCodes.FAILURE;
    try {
      code = loop.run();
      return code;
    } finally {
      relay.stop();
      try {
        relayThread.join(Duration.ofSeconds(10).toMillis());
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
