package io.reducer.api.v1alpha1.dlq;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The offsets of one DLQ partition a replay covers: [startOffset, endOffset). */
public class PartitionRange {

  @JsonPropertyDescription("Partition number.")
  private int partition;

  @JsonPropertyDescription("First offset covered (the log-start offset when the snapshot was taken).")
  private long startOffset;

  @JsonPropertyDescription("End offset captured by the snapshot; records at or after it are never replayed.")
  private long endOffset;

  public PartitionRange() {
  }

  public PartitionRange(int partition, long startOffset, long endOffset) {
    this.partition = partition;
    this.startOffset = startOffset;
    this.endOffset = endOffset;
  }

  public int getPartition() {
    return partition;
  }

  public void setPartition(int partition) {
    this.partition = partition;
  }

  public long getStartOffset() {
    return startOffset;
  }

  public void setStartOffset(long startOffset) {
    this.startOffset = startOffset;
  }

  public long getEndOffset() {
    return endOffset;
  }

  public void setEndOffset(long endOffset) {
    this.endOffset = endOffset;
  }
}
