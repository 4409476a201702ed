package io.reducer.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Size;
import io.reducer.api.v1alpha1.common.Bounds;
import io.reducer.api.v1alpha1.common.ConditionedStatus;
import io.reducer.api.v1alpha1.common.HealthLevel;
import io.reducer.api.v1alpha1.projection.PartitionLag;
import io.reducer.api.v1alpha1.reset.CompletedReset;
import java.util.ArrayList;
import java.util.List;

/**
 * Observed state of a projection. Conditions: Ready, Reconciling, Stalled, Degraded, Paused. Values that
 * could not be measured are absent, never zero.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProjectionStatus extends ConditionedStatus {

  @JsonPropertyDescription("Partition count of the source topic.")
  private Integer partitions;

  @JsonPropertyDescription("Materializer replicas the operator wants now.")
  private Integer replicas;

  @JsonPropertyDescription("Materializer pods ready.")
  private Integer readyReplicas;

  @JsonPropertyDescription("Total consumer lag in records (log-end offsets minus watermarks).")
  private Long consumerLag;

  @JsonPropertyDescription("Largest watermark lag over partitions, in milliseconds.")
  private Long watermarkLagMs;

  @Size(max = Bounds.PARTITIONS)
  @JsonPropertyDescription("Per-partition positions.")
  private List<PartitionLag> partitionLag = new ArrayList<>();

  @JsonPropertyDescription("Rows whose projection version is behind the canonical workflow_state version.")
  private Long staleRows;

  @JsonPropertyDescription("Watermark regressions observed since the operator started watching.")
  private Long watermarkRegressions;

  @Size(max = Bounds.PARTITIONS)
  @JsonPropertyDescription("Partitions with lag whose watermark has not moved within stalledAfterSeconds.")
  private List<Integer> stalledPartitions = new ArrayList<>();

  @JsonPropertyDescription("Current fencing epoch of the projection; a WatermarkReset increments it.")
  private Long epoch;

  @JsonPropertyDescription("Health against the thresholds: Healthy, Warning, Critical or Unknown.")
  private HealthLevel health;

  @Size(max = Bounds.TIMESTAMP)
  @JsonPropertyDescription("When a probe first measured the figures shown (RFC 3339). Probes that measure the same "
      + "figures do not rewrite status, so this time stands until something changes.")
  private String lastProbeTime;

  @Size(max = Bounds.TIMESTAMP)
  @JsonPropertyDescription("When the replica count last changed (RFC 3339); the Lag-mode cooldown counts from here.")
  private String lastScaleTime;

  @Size(max = Bounds.OBJECT_NAME)
  @JsonPropertyDescription("The WatermarkReset that currently holds this projection, if any.")
  private String activeReset;

  @Size(max = CompletedReset.MAX_REMEMBERED)
  @JsonPropertyDescription("WatermarkResets of this projection that completed, newest last (at most 50), written by the "
      + "operator: a reset created again under the same name with the same spec (for example by a GitOps tool after "
      + "the history limit deleted it) is refused instead of run again, unless its spec sets runAgain: true.")
  private List<CompletedReset> completedResets;

  public Integer getPartitions() {
    return partitions;
  }

  public void setPartitions(Integer partitions) {
    this.partitions = partitions;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public Long getConsumerLag() {
    return consumerLag;
  }

  public void setConsumerLag(Long consumerLag) {
    this.consumerLag = consumerLag;
  }

  public Long getWatermarkLagMs() {
    return watermarkLagMs;
  }

  public void setWatermarkLagMs(Long watermarkLagMs) {
    this.watermarkLagMs = watermarkLagMs;
  }

  public List<PartitionLag> getPartitionLag() {
    return partitionLag;
  }

  public void setPartitionLag(List<PartitionLag> partitionLag) {
    this.partitionLag = partitionLag;
  }

  public Long getStaleRows() {
    return staleRows;
  }

  public void setStaleRows(Long staleRows) {
    this.staleRows = staleRows;
  }

  public Long getWatermarkRegressions() {
    return watermarkRegressions;
  }

  public void setWatermarkRegressions(Long watermarkRegressions) {
    this.watermarkRegressions = watermarkRegressions;
  }

  public List<Integer> getStalledPartitions() {
    return stalledPartitions;
  }

  public void setStalledPartitions(List<Integer> stalledPartitions) {
    this.stalledPartitions = stalledPartitions;
  }

  public Long getEpoch() {
    return epoch;
  }

  public void setEpoch(Long epoch) {
    this.epoch = epoch;
  }

  public HealthLevel getHealth() {
    return health;
  }

  public void setHealth(HealthLevel health) {
    this.health = health;
  }

  public String getLastProbeTime() {
    return lastProbeTime;
  }

  public void setLastProbeTime(String lastProbeTime) {
    this.lastProbeTime = lastProbeTime;
  }

  public String getLastScaleTime() {
    return lastScaleTime;
  }

  public void setLastScaleTime(String lastScaleTime) {
    this.lastScaleTime = lastScaleTime;
  }

  public String getActiveReset() {
    return activeReset;
  }

  public void setActiveReset(String activeReset) {
    this.activeReset = activeReset;
  }

  public List<CompletedReset> getCompletedResets() {
    return completedResets;
  }

  public void setCompletedResets(List<CompletedReset> completedResets) {
    this.completedResets = completedResets;
  }
}
