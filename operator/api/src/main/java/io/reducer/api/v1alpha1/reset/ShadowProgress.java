package io.reducer.api.v1alpha1.reset;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.reducer.api.v1alpha1.common.Bounds;

/** A Shadow rebuild's objects and how far the shadow is behind the live projection. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ShadowProgress {

  @Size(max = Bounds.OBJECT_NAME)
  @JsonPropertyDescription("The shadow table being filled (<table>_shadow_<rebuildId>), in the pipeline's schema.")
  private String table;

  @Size(max = 300)
  @JsonPropertyDescription("The shadow's watermark identity in projection_watermarks.projection "
      + "(<projection>#shadow-<rebuildId>).")
  private String projection;

  @Size(max = 300)
  @JsonPropertyDescription("The shadow materializers' consumer group (reducer-materializer-<projection>-shadow-<rebuildId>).")
  private String consumerGroup;

  @Size(max = Bounds.OBJECT_NAME)
  @JsonPropertyDescription("The Deployment of the shadow materializers, owned by this reset.")
  private String deployment;

  @JsonPropertyDescription("Sum over the partitions of the live projection's next offsets (its watermarks), last seen.")
  private Long liveOffsets;

  @JsonPropertyDescription("Sum over the partitions of the shadow's next offsets (its watermarks), last seen.")
  private Long shadowOffsets;

  @JsonPropertyDescription("Records the shadow still has to read to reach the live positions: the sum over the live "
      + "projection's partitions of how far the shadow's next offset is behind the live one (0 when at or past it).")
  private Long lag;

  @JsonPropertyDescription("Partitions on which the shadow is behind the live projection.")
  private Integer partitionsBehind;

  @JsonPropertyDescription("Seconds until the shadow reaches the live positions, estimated from the shadow's "
      + "average speed since it started filling; absent while it cannot be told.")
  private Long secondsToCatchUp;

  @JsonPropertyDescription("After the cutover: the live projection's epoch (the old epoch + 1).")
  private Long newEpoch;

  @JsonPropertyDescription("After the cutover: from its granted lock request to its commit, in milliseconds: the "
      + "longest a reader was blocked (requests that did not wait and were refused blocked no one).")
  private Long lockMillis;

  @Size(max = Bounds.OBJECT_NAME)
  @JsonPropertyDescription("After a cutover with spec.keepPrevious: the old live table, renamed (<table>_prev_<rebuildId>).")
  private String previousTable;

  public String getTable() {
    return table;
  }

  public void setTable(String table) {
    this.table = table;
  }

  public String getProjection() {
    return projection;
  }

  public void setProjection(String projection) {
    this.projection = projection;
  }

  public String getConsumerGroup() {
    return consumerGroup;
  }

  public void setConsumerGroup(String consumerGroup) {
    this.consumerGroup = consumerGroup;
  }

  public String getDeployment() {
    return deployment;
  }

  public void setDeployment(String deployment) {
    this.deployment = deployment;
  }

  public Long getLiveOffsets() {
    return liveOffsets;
  }

  public void setLiveOffsets(Long liveOffsets) {
    this.liveOffsets = liveOffsets;
  }

  public Long getShadowOffsets() {
    return shadowOffsets;
  }

  public void setShadowOffsets(Long shadowOffsets) {
    this.shadowOffsets = shadowOffsets;
  }

  public Long getLag() {
    return lag;
  }

  public void setLag(Long lag) {
    this.lag = lag;
  }

  public Integer getPartitionsBehind() {
    return partitionsBehind;
  }

  public void setPartitionsBehind(Integer partitionsBehind) {
    this.partitionsBehind = partitionsBehind;
  }

  public Long getSecondsToCatchUp() {
    return secondsToCatchUp;
  }

  public void setSecondsToCatchUp(Long secondsToCatchUp) {
    this.secondsToCatchUp = secondsToCatchUp;
  }

  public Long getNewEpoch() {
    return newEpoch;
  }

  public void setNewEpoch(Long newEpoch) {
    this.newEpoch = newEpoch;
  }

  public Long getLockMillis() {
    return lockMillis;
  }

  public void setLockMillis(Long lockMillis) {
    this.lockMillis = lockMillis;
  }

  public String getPreviousTable() {
    return previousTable;
  }

  public void setPreviousTable(String previousTable) {
    this.previousTable = previousTable;
  }
}
