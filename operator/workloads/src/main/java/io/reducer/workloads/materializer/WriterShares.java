package io.reducer.workloads.materializer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** How a poll's partition batches are shared between the writers (each its own connection and transaction). */
final class WriterShares {

  /**
   * Records a share should have at least: below about this many, a second transaction's round trips and commit cost
   * more than writing in parallel saves, so a small poll (an event stream at its usual rate) stays one transaction.
   */
  static final int MIN_SHARE_RECORDS = 250;

  private WriterShares() {
  }

  /**
   * The parts in at most {@code writers} shares of about equal records: the largest batches first, each to the share
   * with the fewest records so far; a partition's batch is never split. No more shares than one per
   * {@link #MIN_SHARE_RECORDS} records. Each share is in partition order, and empty shares are left out.
   */
  static List<List<PollPart>> split(List<PollPart> parts, int writers) {
    long total = parts.stream().mapToLong(part -> part.records().size()).sum();
    int count = (int) Math.min(Math.min(writers, parts.size()), Math.max(1, total / MIN_SHARE_RECORDS));
    if (count <= 1) {
      return parts.isEmpty() ? List.of() : List.of(parts);
    }
    List<List<PollPart>> shares = new ArrayList<>();
    long[] records = new long[count];
    for (int i = 0; i < records.length; i++) {
      shares.add(new ArrayList<>());
    }
    List<PollPart> bySize = new ArrayList<>(parts);
    bySize.sort(Comparator.comparingInt((PollPart part) -> part.records().size()).reversed()
        .thenComparingInt(part -> part.partition().partition()));
    for (PollPart part : bySize) {
      int least = 0;
      for (int i = 1; i < records.length; i++) {
        if (records[i] < records[least]) {
          least = i;
        }
      }
      shares.get(least).add(part);
      records[least] += part.records().size();
    }
    shares.removeIf(List::isEmpty);
    for (List<PollPart> share : shares) {
      share.sort(Comparator.comparingInt(part -> part.partition().partition()));
    }
    return shares;
  }
}
