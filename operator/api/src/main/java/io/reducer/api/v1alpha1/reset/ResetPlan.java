package io.reducer.api.v1alpha1.reset;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.reducer.api.v1alpha1.common.Bounds;
import java.util.ArrayList;
import java.util.List;

/** What the reset will do, written to status before anything changes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResetPlan {

  @Size(max = Bounds.TOPIC_NAME)
  @JsonPropertyDescription("Source topic of the projection, or the pipeline's actions topic.")
  private String topic;

  @Size(max = Bounds.CONSUMER_GROUP)
  @JsonPropertyDescription("Consumer group whose offsets move.")
  private String consumerGroup;

  @JsonPropertyDescription("Fencing epoch before the reset; absent for a reset of the reducers, which have no epoch and no "
      + "watermarks.")
  private Long currentEpoch;

  @JsonPropertyDescription("Fencing epoch after the reset; materializers with an older epoch write nothing. Absent for a reset "
      + "of the reducers: only their group's offsets move.")
  private Long newEpoch;

  @JsonPropertyDescription("True when the projection table is truncated and rebuilt from the new positions.")
  private boolean truncate;

  @Size(max = Bounds.PARTITIONS)
  @JsonPropertyDescription("Old and new position per partition.")
  private List<PartitionPlan> partitions = new ArrayList<>();

  public String getTopic() {
    return topic;
  }

  public void setTopic(String topic) {
    this.topic = topic;
  }

  public String getConsumerGroup() {
    return consumerGroup;
  }

  public void setConsumerGroup(String consumerGroup) {
    this.consumerGroup = consumerGroup;
  }

  public Long getCurrentEpoch() {
    return currentEpoch;
  }

  public void setCurrentEpoch(Long currentEpoch) {
    this.currentEpoch = currentEpoch;
  }

  public Long getNewEpoch() {
    return newEpoch;
  }

  public void setNewEpoch(Long newEpoch) {
    this.newEpoch = newEpoch;
  }

  public boolean isTruncate() {
    return truncate;
  }

  public void setTruncate(boolean truncate) {
    this.truncate = truncate;
  }

  public List<PartitionPlan> getPartitions() {
    return partitions;
  }

  public void setPartitions(List<PartitionPlan> partitions) {
    this.partitions = partitions;
  }
}
