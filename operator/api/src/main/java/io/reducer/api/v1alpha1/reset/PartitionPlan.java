package io.reducer.api.v1alpha1.reset;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Old and new position of one partition, recorded before anything changes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PartitionPlan {

  @JsonPropertyDescription("Partition number.")
  private int partition;

  @JsonPropertyDescription("Position (next offset to apply) before the reset: the projection's watermark, else the group's "
      + "committed offset (for the reducers: the committed offset); absent if there is none.")
  private Long currentOffset;

  @JsonPropertyDescription("Watermark and group offset after the reset (for the reducers: the group offset).")
  private long newOffset;

  @JsonPropertyDescription("Log-start offset when planned.")
  private long logStartOffset;

  @JsonPropertyDescription("Log-end offset when planned.")
  private long logEndOffset;

  public int getPartition() {
    return partition;
  }

  public void setPartition(int partition) {
    this.partition = partition;
  }

  public Long getCurrentOffset() {
    return currentOffset;
  }

  public void setCurrentOffset(Long currentOffset) {
    this.currentOffset = currentOffset;
  }

  public long getNewOffset() {
    return newOffset;
  }

  public void setNewOffset(long newOffset) {
    this.newOffset = newOffset;
  }

  public long getLogStartOffset() {
    return logStartOffset;
  }

  public void setLogStartOffset(long logStartOffset) {
    this.logStartOffset = logStartOffset;
  }

  public long getLogEndOffset() {
    return logEndOffset;
  }

  public void setLogEndOffset(long logEndOffset) {
    this.logEndOffset = logEndOffset;
  }
}
