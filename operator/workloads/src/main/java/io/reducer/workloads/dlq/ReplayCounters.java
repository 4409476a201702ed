package io.reducer.workloads.dlq;

import java.util.Map;
import java.util.TreeMap;

/** Counters of a replay: those committed, or those of the open transaction. */
final class ReplayCounters {

  long matched;
  long replayed;
  final Map<String, Long> skipped = new TreeMap<>();

  void skip(String reason) {
    skipped.merge(reason, 1L, Long::sum);
  }

  long skippedTotal() {
    return skipped.values().stream().mapToLong(Long::longValue).sum();
  }

  void add(ReplayCounters other) {
    matched += other.matched;
    replayed += other.replayed;
    other.skipped.forEach((reason, count) -> skipped.merge(reason, count, Long::sum));
  }

  void clear() {
    matched = 0;
    replayed = 0;
    skipped.clear();
  }

  /** As JSON progress; {@code failed} records were selected but not republished, so they count as matched too. */
  DlqReplayResult.Progress progress(long failed) {
    return new DlqReplayResult.Progress(matched + failed, replayed, skippedTotal(), new TreeMap<>(skipped), failed);
  }

  @Override
  public String toString() {
    return "matched=" + matched + " replayed=" + replayed + " skipped=" + skippedTotal()
        + (skipped.isEmpty() ? "" : " " + skipped);
  }
}
