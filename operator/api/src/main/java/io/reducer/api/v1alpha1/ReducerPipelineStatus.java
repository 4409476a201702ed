package io.reducer.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Size;
import io.reducer.api.v1alpha1.common.Bounds;
import io.reducer.api.v1alpha1.common.ConditionedStatus;
import io.reducer.api.v1alpha1.common.HealthLevel;
import io.reducer.api.v1alpha1.pipeline.PipelineMetrics;
import io.reducer.api.v1alpha1.pipeline.TopicStatus;
import io.reducer.api.v1alpha1.reset.CompletedReset;
import java.util.ArrayList;
import java.util.List;

/**
 * Observed state of a pipeline. Conditions: Ready, Reconciling, Stalled, Degraded, Paused, KafkaReachable,
 * DatabaseReachable, TopicsReady, SchemaReady, ReducersReady.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReducerPipelineStatus extends ConditionedStatus {

  // One entry per role (actions, stateCommitted, dlq); the bound leaves room for new roles.
  @Size(max = 16)
  @JsonPropertyDescription("Per-topic state as found on the broker.")
  private List<TopicStatus> topics = new ArrayList<>();

  @Size(max = Bounds.COUNT_PAIR)
  @JsonPropertyDescription("Topics ready out of declared, e.g. 3/3; absent while the broker cannot be asked.")
  private String topicsReady;

  @Size(max = Bounds.COUNT_PAIR)
  @JsonPropertyDescription("Reducer pods ready out of desired, e.g. 2/2; absent until the reducer Deployment exists.")
  private String reducersReady;

  @JsonPropertyDescription("Reducer replicas the Deployment had when a pause scaled it to zero (absent if none ran "
      + "then), kept while paused and cleared on resume; the Resumed Event names it when the count differs. Resuming "
      + "runs spec.reducer.replicas capped at the actions topic's partitions, not this count.")
  private Integer replicasBeforePause;

  @Size(max = Bounds.OBJECT_NAME)
  @JsonPropertyDescription("The WatermarkReset (spec.pipelineRef) that currently holds the reducers at zero replicas "
      + "while it moves their consumer group's offsets, if any. The projections keep running.")
  private String activeReset;

  @Size(max = CompletedReset.MAX_REMEMBERED)
  @JsonPropertyDescription("WatermarkResets of this pipeline's reducers that completed, newest last (at most 50), written by the "
      + "operator: a reset created again under the same name with the same spec (for example by a GitOps tool after "
      + "the history limit deleted it) is refused instead of run again, unless its spec sets runAgain: true.")
  private List<CompletedReset> completedResets;

  @JsonPropertyDescription("Measurements from the last health probe; absent values could not be measured.")
  private PipelineMetrics metrics;

  @JsonPropertyDescription("Health against the thresholds: Healthy, Warning, Critical or Unknown.")
  private HealthLevel health;

  @Size(max = Bounds.TIMESTAMP)
  @JsonPropertyDescription("When the health probe last ran (RFC 3339).")
  private String lastProbeTime;

  @Size(max = Bounds.COUNT_PAIR)
  @JsonPropertyDescription("Healthy projections out of the pipeline's projections (those whose spec.pipelineRef names it), e.g. 3/3; a projection not probed yet counts as not healthy. Absent when the pipeline has no projection.")
  private String projectionsHealthy;

  public List<TopicStatus> getTopics() {
    return topics;
  }

  public void setTopics(List<TopicStatus> topics) {
    this.topics = topics;
  }

  public String getTopicsReady() {
    return topicsReady;
  }

  public void setTopicsReady(String topicsReady) {
    this.topicsReady = topicsReady;
  }

  public String getReducersReady() {
    return reducersReady;
  }

  public void setReducersReady(String reducersReady) {
    this.reducersReady = reducersReady;
  }

  public Integer getReplicasBeforePause() {
    return replicasBeforePause;
  }

  public void setReplicasBeforePause(Integer replicasBeforePause) {
    this.replicasBeforePause = replicasBeforePause;
  }

  public PipelineMetrics getMetrics() {
    return metrics;
  }

  public void setMetrics(PipelineMetrics metrics) {
    this.metrics = metrics;
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

  public String getProjectionsHealthy() {
    return projectionsHealthy;
  }

  public void setProjectionsHealthy(String projectionsHealthy) {
    this.projectionsHealthy = projectionsHealthy;
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
