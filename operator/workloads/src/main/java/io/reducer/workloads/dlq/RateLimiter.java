package io.reducer.workloads.dlq;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Spaces sends evenly to at most {@code perSecond}; after a pause it catches up by 100 ms worth, no more. */
final class RateLimiter {

  private static final long MAX_BANKED_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long MIN_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final double nanosPerPermit;
  private double next;
  private boolean started;

  /** {@code perSecond} 0 means no limit. */
  RateLimiter(int perSecond) {
    this.nanosPerPermit = perSecond <= 0 ? 0 : 1e9 / perSecond;
  }

  void acquire() {
    if (nanosPerPermit == 0) {
      return;
    }
    long now = System.nanoTime();
    if (!started || next < now - MAX_BANKED_NANOS) {
      next = now;
      started = true;
    }
    long wait = (long) (next - now);
    next += nanosPerPermit;
    // Sleep in steps of a millisecond or more: a park per record would cost more than the send.
    if (wait >= MIN_SLEEP_NANOS) {
      LockSupport.parkNanos(wait);
    }
  }
}
