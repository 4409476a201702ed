package io.reducer.testsupport.cluster;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that decides: reconcile passes, garbage collection sweeps, process exits and probe results all
 * run here, so the cluster's state needs no locks. Requests for a pass or a sweep while one is queued are merged.
 */
final class Worker {

  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, daemon("local-kubelet"));
  private final AtomicBoolean passQueued = new AtomicBoolean();
  private final AtomicBoolean sweepQueued = new AtomicBoolean();
  private volatile Runnable pass = () -> { };
  private volatile Runnable sweep = () -> { };

  void onPass(Runnable task) {
    pass = task;
  }

  void onSweep(Runnable task) {
    sweep = task;
  }

  void requestPass() {
    if (passQueued.compareAndSet(false, true)) {
      execute(() -> {
        passQueued.set(false);
        pass.run();
      });
    }
  }

  void requestSweep() {
    if (sweepQueued.compareAndSet(false, true)) {
      execute(() -> {
        sweepQueued.set(false);
        sweep.run();
      });
    }
  }

  /** A pass once {@code delay} has passed, e.g. when a backoff ends. */
  void passAfter(Duration delay) {
    schedule(this::requestPass, delay);
  }

  void every(Duration period, Runnable task) {
    if (!executor.isShutdown()) {
      executor.scheduleWithFixedDelay(guarded(task), period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  void schedule(Runnable task, Duration delay) {
    try {
      executor.schedule(guarded(task), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException shutDown) {
      // closing: nothing is decided any more
    }
  }

  void execute(Runnable task) {
    try {
      executor.execute(guarded(task));
    } catch (RejectedExecutionException shutDown) {
      // closing: nothing is decided any more
    }
  }

  /** Runs {@code task} on the worker and waits for its result; for callers outside the worker. */
  <T> T call(Callable<T> task, Duration timeout) {
    Future<T> future;
    try {
      future = executor.submit(task);
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("the local cluster is closed", e);
    }
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the local cluster did not answer within " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Stops deciding; queued work is dropped. */
  void shutdown(Duration timeout) {
    executor.shutdownNow();
    try {
      executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Daemon threads: a test that forgets to close the cluster must not keep its JVM alive. */
  static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * A failing task is logged and must not cancel a periodic one. A task interrupted by {@link #shutdown} (a request
   * to the API server in flight while the cluster closes) has nothing to report.
   */
  private Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        if (executor.isShutdown() && interrupted(e)) {
          LOG.debug("local cluster task stopped by the shutdown: {}", e.toString());
        } else {
          LOG.warn("local cluster task failed", e);
        }
      }
    };
  }

  private static boolean interrupted(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof InterruptedException || cause instanceof InterruptedIOException) {
        return true;
      }
    }
    return Thread.currentThread().isInterrupted();
  }
}
