package io.reducer.api.v1alpha1.reset;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** An offset for one partition. */
public class PartitionOffset {

  @Required
  @Min(0)
  @Max(100000)
  @JsonPropertyDescription("Partition number.")
  private int partition;

  @Required
  @Min(0)
  @Max(1000000000000000000.0)
  @JsonPropertyDescription("Offset of the next record to apply; clamped to the partition's log start and end.")
  private long offset;

  public PartitionOffset() {
  }

  public PartitionOffset(int partition, long offset) {
    this.partition = partition;
    this.offset = offset;
  }

  public int getPartition() {
    return partition;
  }

  public void setPartition(int partition) {
    this.partition = partition;
  }

  public long getOffset() {
    return offset;
  }

  public void setOffset(long offset) {
    this.offset = offset;
  }
}
