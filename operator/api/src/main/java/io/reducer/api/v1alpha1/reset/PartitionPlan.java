package io.reducer.api.v1alpha1.reset;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Old and new position of one partition, recorded before anything changes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PartitionPlan {

  @JsonPropertyDescription("Partition number.")
  private int partition;

  @JsonPropertyDescription("Watermark (next offset to apply) before the reset; absent if none was written.")
  private Long currentOffset;

  @JsonPropertyDescription("Watermark and group offset after the reset.")
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
