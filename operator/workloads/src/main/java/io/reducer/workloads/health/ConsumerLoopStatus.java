package io.reducer.workloads.health;

import java.time.Duration;

/** What the HTTP probes of a consumer workload report, written by its poll loop and read by the HTTP server. */
public final class ConsumerLoopStatus {

  private volatile long lastLoopNanos = System.nanoTime();
  private volatile int assignedPartitions;
  private volatile boolean inGroup;
  private volatile boolean stopped;

  public void alive() {
    lastLoopNanos = System.nanoTime();
  }

  public void group(int assigned, boolean member) {
    assignedPartitions = assigned;
    inGroup = member;
  }

  public void stopped() {
    stopped = true;
  }

  /** Liveness: the loop went round recently. A poll blocks at most its timeout, a batch seconds. */
  public boolean loopAliveWithin(Duration window) {
    return !stopped && System.nanoTime() - lastLoopNanos < window.toNanos();
  }

  public boolean hasGroupOrAssignment() {
    return assignedPartitions > 0 || inGroup;
  }

  public int assignedPartitions() {
    return assignedPartitions;
  }
}
