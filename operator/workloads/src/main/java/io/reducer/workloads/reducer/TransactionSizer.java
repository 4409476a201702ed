package io.reducer.workloads.reducer;

import java.util.Arrays;

/**
 * How many actions the next canonical store transaction may take: {@code --transaction-actions} at most, fewer while
 * the commit latency p95 of the latest full transactions is above {@code --commit-target-ms}. A transaction's time
 * grows with its actions and with how busy the machine is; a fixed size that keeps the runbooks' SLA (p95 under
 * 10 ms) on a quiet machine misses it when the machine runs slower, and one small enough for the slow times costs
 * throughput in the others. Only full transactions count: one cut short by a small poll says nothing about the size.
 *
 * <p>Every {@link #WINDOW} full transactions: above the target, the size shrinks in proportion (latency is about
 * proportional to the actions); below {@link #GROW_BELOW} of it, it grows by a tenth, up to the maximum. In between
 * it stays. Not thread-safe: the database worker owns it.
 */
final class TransactionSizer {

  static final int WINDOW = 32;
  static final double GROW_BELOW = 0.75;
  /** The smallest size it shrinks to: below it the fixed cost of a transaction dominates its time. */
  static final int MIN_ACTIONS = 20;

  private final int max;
  private final double targetMs;
  private final int min;
  private final double[] latencies = new double[WINDOW];
  private int count;
  private int size;

  /**
   * @param max {@code --transaction-actions}, where it starts
   * @param targetMs {@code --commit-target-ms}; 0 keeps every transaction at {@code max}
   */
  TransactionSizer(int max, double targetMs) {
    this.max = max;
    this.targetMs = targetMs;
    this.min = Math.min(max, MIN_ACTIONS);
    this.size = max;
  }

  /** The most actions the next transaction may take. */
  int size() {
    return size;
  }

  /** A transaction of {@code actions} actions committed in {@code latencyMs} (its first attempt). */
  void committed(int actions, double latencyMs) {
    if (targetMs <= 0 || actions < size) {
      return;
    }
    latencies[count++] = latencyMs;
    if (count < WINDOW) {
      return;
    }
    count = 0;
    double[] sorted = latencies.clone();
    Arrays.sort(sorted);
    double p95 = sorted[(int) Math.ceil(0.95 * WINDOW) - 1];
    if (p95 > targetMs) {
      size = Math.max(min, (int) (size * targetMs / p95));
    } else if (p95 < GROW_BELOW * targetMs) {
      size = Math.min(max, Math.max(size + 1, (int) (size * 1.1)));
    }
  }
}
