package io.reducer.workloads.materializer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where an event's lag goes, from the producer's send to the first watermark poll that saw it: the benchmark's
 * lag phase collects every committed batch's stage stamps ({@link BatchTrace}) and splits each event's lag into
 * stages. The broker append time is the record's timestamp, so the topic must use {@code LogAppendTime}; it has
 * millisecond resolution, so the first two stages are each off by up to a millisecond (their sum is exact).
 */
final class LagBreakdown implements BatchTrace {

  static final String[] STAGES = {
      "send -> broker append (LogAppendTime)",
      "append -> returned by poll",
      "poll -> decoded",
      "decoded -> transaction start (waiting for the connection)",
      "statement (upsert)",
      "watermark update + DLQ",
      "commit",
      "commit -> seen by the watermark poller",
  };

  private record Batch(int partition, long[] offsets, long[] appendMillis, long polled, long decoded, long started,
      long statement, long watermark, long committed) {
  }

  /** Wall-clock nanoseconds since the epoch minus System.nanoTime, read once. */
  private final long wallMinusNano;
  private final List<Batch> batches = new ArrayList<>();

  LagBreakdown() {
    Instant now = Instant.now();
    long nano = System.nanoTime();
    wallMinusNano = now.getEpochSecond() * 1_000_000_000L + now.getNano() - nano;
  }

  @Override
  public synchronized void committed(int partition, List<ConsumerRecord<byte[], byte[]>> records, long polledNanos,
      long decodedNanos, long startedNanos, BatchOutcome outcome) {
    long[] offsets = new long[records.size()];
    long[] append = new long[records.size()];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = records.get(i).offset();
      append[i] = records.get(i).timestamp();
    }
    batches.add(new Batch(partition, offsets, append, polledNanos, decodedNanos, startedNanos,
        outcome.statementNanos(), outcome.watermarkNanos(), outcome.committedNanos()));
  }

  /**
   * The report over the events sent from {@code from} (inclusive) to {@code to} (exclusive; System.nanoTime): per
   * stage mean, p50 and p95, and the stage means of the slowest 5 % of events (what the tail is made of).
   *
   * @param sentAt send time per partition and offset (System.nanoTime; 0 when unknown)
   * @param visible the watermark poller's observations
   */
  synchronized String report(long[][] sentAt, long from, long to, List<WatermarkPoller.Visible> visible) {
    long[][] seenTo = new long[sentAt.length][];
    long[][] seenAt = new long[sentAt.length][];
    for (int p = 0; p < sentAt.length; p++) {
      int partition = p;
      List<WatermarkPoller.Visible> mine = visible.stream().filter(v -> v.partition() == partition)
          .sorted(Comparator.comparingLong(WatermarkPoller.Visible::to)).toList();
      seenTo[p] = mine.stream().mapToLong(WatermarkPoller.Visible::to).toArray();
      seenAt[p] = mine.stream().mapToLong(WatermarkPoller.Visible::nanos).toArray();
    }
    int capacity = batches.stream().mapToInt(b -> b.offsets().length).sum();
    long[][] stages = new long[STAGES.length][capacity];
    long[] total = new long[capacity];
    int n = 0;
    for (Batch batch : batches) {
      for (int i = 0; i < batch.offsets().length; i++) {
        int p = batch.partition();
        long offset = batch.offsets()[i];
        long sent = offset < sentAt[p].length ? sentAt[p][(int) offset] : 0;
        if (sent == 0 || sent < from || sent >= to) {
          continue;
        }
        int at = Arrays.binarySearch(seenTo[p], offset + 1);
        at = at >= 0 ? at : -at - 1;
        if (at >= seenTo[p].length) {
          continue;
        }
        long seen = seenAt[p][at];
        long append = batch.appendMillis()[i] * 1_000_000L - wallMinusNano;
        long[] stamps = {sent, append, batch.polled(), batch.decoded(), batch.started(), batch.statement(),
            batch.watermark(), batch.committed(), seen};
        for (int s = 0; s < STAGES.length; s++) {
          stages[s][n] = stamps[s + 1] - stamps[s];
        }
        total[n] = seen - sent;
        n++;
      }
    }
    if (n == 0) {
      return "lag breakdown: no event traced\n";
    }
    Integer[] bySlowest = new Integer[n];
    for (int i = 0; i < n; i++) {
      bySlowest[i] = i;
    }
    long[] totals = total;
    Arrays.sort(bySlowest, (a, b) -> Long.compare(totals[b], totals[a]));
    int tail = Math.max(1, n / 20);
    StringBuilder out = new StringBuilder(String.format(
        "lag breakdown over %,d events (ms): stage | mean | p50 | p95 | mean in the slowest 5 %%%n", n));
    for (int s = 0; s < STAGES.length; s++) {
      out.append(line(STAGES[s], stages[s], n, bySlowest, tail));
    }
    out.append(line("total: send -> seen", total, n, bySlowest, tail));
    out.append(polls(from, to));
    return out.toString();
  }

  /**
   * What each poll from {@code from} to {@code to} returned: records and partitions per poll and the time from one
   * poll to the next, so a loop that is saturated (every poll full) shows apart from one that waits.
   */
  private String polls(long from, long to) {
    java.util.TreeMap<Long, long[]> byPoll = new java.util.TreeMap<>();
    for (Batch batch : batches) {
      if (batch.polled() >= from && batch.polled() < to) {
        long[] poll = byPoll.computeIfAbsent(batch.polled(), k -> new long[2]);
        poll[0] += batch.offsets().length;
        poll[1]++;
      }
    }
    if (byPoll.size() < 2) {
      return "";
    }
    long[] records = byPoll.values().stream().mapToLong(v -> v[0]).sorted().toArray();
    long[] partitions = byPoll.values().stream().mapToLong(v -> v[1]).sorted().toArray();
    Long[] times = byPoll.keySet().toArray(new Long[0]);
    long[] gaps = new long[times.length - 1];
    for (int i = 1; i < times.length; i++) {
      gaps[i - 1] = times[i] - times[i - 1];
    }
    StringBuilder longGaps = new StringBuilder();
    int over = 0;
    for (int i = 1; i < times.length; i++) {
      if (times[i] - times[i - 1] >= 100_000_000L) {
        over++;
        if (over <= 12) {
          longGaps.append(String.format(" %.0f ms at %.1f s,", (times[i] - times[i - 1]) / 1e6,
              (times[i - 1] - from) / 1e9));
        }
      }
    }
    Arrays.sort(gaps);
    return String.format("polls that returned records: %,d; records per poll p50 %d, p95 %d, max %d; partitions "
        + "per poll p50 %d; time from one such poll to the next p50 %.1f ms, p95 %.1f ms, max %.1f ms; %d gaps of "
        + "100 ms or more%s%n",
        byPoll.size(), quantile(records, 0.5), quantile(records, 0.95), records[records.length - 1],
        quantile(partitions, 0.5), quantile(gaps, 0.5) / 1e6, quantile(gaps, 0.95) / 1e6, gaps[gaps.length - 1] / 1e6,
        over, over == 0 ? "" : ":" + longGaps.substring(0, longGaps.length() - 1));
  }

  private static String line(String name, long[] values, int n, Integer[] bySlowest, int tail) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += values[i];
    }
    double tailSum = 0;
    for (int i = 0; i < tail; i++) {
      tailSum += values[bySlowest[i]];
    }
    long[] sorted = Arrays.copyOf(values, n);
    Arrays.sort(sorted);
    return String.format("  %-58s %7.1f %7.1f %7.1f %7.1f%n", name, sum / n / 1e6, quantile(sorted, 0.50) / 1e6,
        quantile(sorted, 0.95) / 1e6, tailSum / tail / 1e6);
  }

  private static long quantile(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(q * sorted.length) - 1))];
  }
}
