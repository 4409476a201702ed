package io.reducer.workloads.offsets;

/**
 * What the planner needs to know about one partition.
 *
 * @param partition partition number
 * @param logStartOffset the oldest offset still in the log
 * @param logEndOffset the offset the next record will get
 * @param currentOffset the projection's position (next offset to apply): the watermark, else the group's committed
 *     offset, else null. A group without watermarks (a pipeline's reducers) has its committed offset here
 * @param offsetForTimestamp for targets timestamp and by-duration, the first offset whose record timestamp is at
 *     or after the time (Kafka's offsetsForTimes); null when no record is that recent or the target needs none
 */
public record PartitionPosition(int partition, long logStartOffset, long logEndOffset, Long currentOffset,
    Long offsetForTimestamp) {

  public PartitionPosition {
    if (partition < 0) {
      throw new IllegalArgumentException("partitions are numbered from 0, got " + partition);
    }
    if (logStartOffset < 0 || logEndOffset < logStartOffset) {
      throw new IllegalArgumentException("partition " + partition + ": log start " + logStartOffset
          + " and end " + logEndOffset + " are not a range");
    }
  }

  /**
   * A projection's current position: the watermark (what the materializer resumes from) when the partition has a
   * row, else the group's committed offset, else none.
   */
  public static Long current(Long watermark, Long committedOffset) {
    return watermark != null ? watermark : committedOffset;
  }
}
