package io.reducer.workloads.materializer;

import java.time.Duration;

/** What the HTTP probes report, written by the loop's thread and read by the HTTP server's. */
public final class MaterializerStatus {

  private volatile long lastLoopNanos = System.nanoTime();
  private volatile int assignedPartitions;
  private volatile boolean inGroup;
  private volatile boolean stopped;

  void alive() {
    lastLoopNanos = System.nanoTime();
  }

  void group(int assigned, boolean member) {
    assignedPartitions = assigned;
    inGroup = member;
  }

  void stopped() {
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
