package io.reducer.controller.dlq;

import io.reducer.api.v1alpha1.dlq.PartitionRange;
import io.reducer.controller.kafka.CommittedOffset;
import io.reducer.workloads.dlq.DlqReplayResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Progress of a running replay, read from what it commits. With every transaction the replay commits its DLQ
 * position for each snapshot partition, and as the offsets' metadata a checkpoint with the counters so far
 * ({@code {"matched":..,"replayed":..,"skipped":{"maxReplays":..}, ...}}, see docs/dlq-replay.md, Exactly once).
 * The counters are thereby exactly those of the committed records, whatever happens to the Job afterwards.
 */
public final class ReplayCheckpoints {

  private ReplayCheckpoints() {
  }

  /**
   * The newest counters among the partitions' checkpoints (each commit writes the same totals to every partition;
   * the largest is the latest). Empty when nothing was committed yet or the metadata is not a checkpoint.
   */
  public static Optional<DlqReplayResult.Progress> counters(Map<Integer, CommittedOffset> committed) {
    DlqReplayResult.Progress newest = null;
    if (committed == null) {
      return Optional.empty();
    }
    for (CommittedOffset offset : committed.values()) {
      DlqReplayResult.Progress progress = decode(offset.metadata());
      if (progress != null && (newest == null || progress.matched() > newest.matched()
          || progress.matched() == newest.matched() && progress.replayed() > newest.replayed())) {
        newest = progress;
      }
    }
    return Optional.ofNullable(newest);
  }

  /** DLQ records the replay has moved past within the snapshot, filtered out or not. */
  public static long read(Map<Integer, CommittedOffset> committed, List<PartitionRange> snapshot) {
    long read = 0;
    for (PartitionRange range : snapshot) {
      CommittedOffset offset = committed == null ? null : committed.get(range.getPartition());
      if (offset != null) {
        read += Math.max(0, Math.min(offset.offset(), range.getEndOffset()) - range.getStartOffset());
      }
    }
    return read;
  }

  /**
   * Snapshot partitions whose committed position is their snapshot end: all of them once a replay finished (it
   * commits every partition's end at the end, past what it filtered out). The replay's account of every partition.
   */
  public static long partitionsAtEnd(Map<Integer, CommittedOffset> committed, List<PartitionRange> snapshot) {
    return snapshot.stream().filter(range -> {
      CommittedOffset offset = committed == null ? null : committed.get(range.getPartition());
      return offset != null && offset.offset() >= range.getEndOffset();
    }).count();
  }

  /** DLQ records in the snapshot. */
  public static long total(List<PartitionRange> snapshot) {
    return snapshot.stream().mapToLong(r -> Math.max(0, r.getEndOffset() - r.getStartOffset())).sum();
  }

  private static DlqReplayResult.Progress decode(String metadata) {
    return DlqReplayResult.Progress.fromOffsetMetadata(metadata);
  }

}
