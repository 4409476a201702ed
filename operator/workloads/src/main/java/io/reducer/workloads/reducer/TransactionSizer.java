package io.reducer.workloads.reducer;

import java.util.Arrays;

/**
 * How many actions the next canonical store transaction may take: {@code --transaction-actions} at most, fewer while
 * the commit latency p95 of the latest transactions cut from a backlog is above {@code --commit-target-ms}. A
 * transaction's time grows with its actions and with how busy the machine is; a fixed size that keeps the runbooks'
 * SLA (p95 under 10 ms) on a quiet machine misses it when the machine runs slower, and one small enough for the slow
 * times costs throughput in the others.
 *
 * <p>Only transactions cut to the size from a larger batch count: there the size is what bounds their time. A
 * reducer that keeps up writes what arrived since its last transaction, and that transaction's time is mostly its
 * fixed cost and the machine; shrinking the size for it would only add transactions (in a trial without this rule,
 * at 5,000 actions/s the size fell to about 20 and actions waited for the database worker p50 10 ms, not 1-2).
 *
 * <p>Every {@link #WINDOW} such transactions: above the target, the size shrinks in proportion (latency is about
 * proportional to the actions), not below half the maximum; below {@link #GROW_BELOW} of it, it grows by a tenth, up
 * to the maximum. In between it stays. Not thread-safe: the database worker owns it.
 */
final class TransactionSizer {

  static final int WINDOW = 32;
  static final double GROW_BELOW = 0.75;

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
    // Below half the maximum a transaction's fixed cost weighs more and more: the floor keeps a misjudged slow
    // period from costing more than about a third of the throughput.
    this.min = Math.max(1, max / 2);
    this.size = max;
  }

  /** The most actions the next transaction may take. */
  int size() {
    return size;
  }

  /**
   * A transaction committed in {@code latencyMs} (its first attempt).
   *
   * @param actions its actions
   * @param cut it was cut from a batch with more actions: the reducer is behind
   */
  void committed(int actions, boolean cut, double latencyMs) {
    if (targetMs <= 0 || !cut || actions < size) {
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
