package io.reducer.workloads.materializer;

import java.util.concurrent.TimeUnit;

/**
 * When the poll loop may poll again. Kafka answers a fetch as soon as one record is there, so under steady traffic
 * every few records would cost a fetch, a poll and a database transaction. While records flow, the loop therefore
 * waits before its next poll until, at the rate the last poll's records came in, about {@link #ENOUGH_BYTES} have
 * arrived, and never longer than the pace ({@code --fetch-wait-ms}); each fetch then carries what arrived
 * meanwhile. After an empty poll it polls at once: the broker holds that fetch until the next record arrives
 * (Kafka's long poll), so an idle materializer costs the broker about two fetches a second, and a record after a
 * quiet spell is not held back. A full poll ({@code --max-records}) is followed at once: more is waiting.
 *
 * <p>The broker-side way to the same batching, a fetch minimum with a short fetch wait, holds an idle consumer's
 * fetch for only that wait: hundreds of empty fetches a second for every idle materializer.
 */
final class FetchPacing {

  /** What a poll should bring to be worth its fetch and transaction: about 120 events of 260 bytes. */
  static final int ENOUGH_BYTES = 32 * 1024;

  private final long paceNanos;
  private final int fullPoll;
  private long lastPollNanos;
  private long nextPollNanos;

  /**
   * @param paceMs the longest wait before the next poll while records flow; 0 polls again at once, as Kafka's own loop
   * @param fullPoll records of a full poll (the consumer's {@code max.poll.records})
   */
  FetchPacing(int paceMs, int fullPoll) {
    this.paceNanos = TimeUnit.MILLISECONDS.toNanos(paceMs);
    this.fullPoll = fullPoll;
  }

  /**
   * Notes a poll that returned {@code records} records of {@code bytes} key and value bytes at {@code polledNanos}
   * ({@link System#nanoTime()}).
   */
  void polled(int records, long bytes, long polledNanos) {
    long sincePrevious = lastPollNanos == 0 ? 0 : polledNanos - lastPollNanos;
    lastPollNanos = polledNanos;
    long wait = 0;
    if (records > 0 && records < fullPoll && bytes < ENOUGH_BYTES) {
      // This poll's records arrived over about the time since the one before it: at that rate, ENOUGH_BYTES take
      // ENOUGH_BYTES / bytes times as long.
      wait = sincePrevious <= 0 ? paceNanos : Math.min(paceNanos, ENOUGH_BYTES * sincePrevious / bytes);
    }
    nextPollNanos = polledNanos + wait;
  }

  /** How long the loop waits, at {@code nowNanos}, before it polls again; 0 to poll now. */
  long waitNanos(long nowNanos) {
    return Math.max(0, nextPollNanos - nowNanos);
  }
}
