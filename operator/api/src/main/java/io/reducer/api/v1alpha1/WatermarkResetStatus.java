package io.reducer.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.reducer.api.v1alpha1.common.Bounds;
import io.reducer.api.v1alpha1.common.ConditionedStatus;
import io.reducer.api.v1alpha1.common.PhaseTransition;
import io.reducer.api.v1alpha1.reset.RepairProgress;
import io.reducer.api.v1alpha1.reset.ResetPlan;
import io.reducer.api.v1alpha1.reset.ShadowProgress;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import java.util.ArrayList;
import java.util.List;

/** Observed state of a reset; the phase machine is documented on {@link WatermarkResetPhase}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WatermarkResetStatus extends ConditionedStatus {

  @JsonPropertyDescription("Current phase: Pending, Quiescing, Planned, AwaitingApproval, Resetting, Resuming, "
      + "Completed or Failed; a Shadow rebuild also Filling, AwaitingCutoverApproval and CuttingOver; a repair from the "
      + "canonical store (rebuildSource Canonical) Repairing.")
  private WatermarkResetPhase phase;

  @Size(max = Bounds.PHASES)
  @JsonPropertyDescription("Every phase entered, with its time and reason, oldest first.")
  private List<PhaseTransition> history = new ArrayList<>();

  @JsonPropertyDescription("The plan: old and new position per partition and, for a projection, the new epoch. A Shadow "
      + "rebuild plans no positions: once its cutover ran, only the epochs the cutover set (for the EPOCH column).")
  private ResetPlan plan;

  @JsonPropertyDescription("Materializer (or, for pipelineRef, reducer) replicas seen when the reset took its hold. A "
      + "Shadow rebuild runs its shadow materializers at this count (at least 1); otherwise it is for reference only: "
      + "resuming gives back what the spec asks for, not this count.")
  private Integer replicasBeforeQuiesce;

  @Size(max = Bounds.OBJECT_NAME)
  @JsonPropertyDescription("Name of the reset Job (projections only: the operator moves the reducers' offsets itself).")
  private String jobName;

  @JsonPropertyDescription("A Shadow rebuild: the shadow's table, watermark identity, consumer group and Deployment, "
      + "and how far it is behind the live projection.")
  private ShadowProgress shadow;

  @JsonPropertyDescription("A repair from the canonical store (rebuildSource Canonical): the stale rows when it was "
      + "accepted and, once its Job ended, the rows examined and repaired.")
  private RepairProgress repair;

  @Size(max = Bounds.MESSAGE)
  @JsonPropertyDescription("Why the reset is waiting or failed, in words (e.g. another reset holds the projection or the reducers).")
  private String message;

  public WatermarkResetPhase getPhase() {
    return phase;
  }

  public void setPhase(WatermarkResetPhase phase) {
    this.phase = phase;
  }

  public List<PhaseTransition> getHistory() {
    return history;
  }

  public void setHistory(List<PhaseTransition> history) {
    this.history = history;
  }

  public ResetPlan getPlan() {
    return plan;
  }

  public void setPlan(ResetPlan plan) {
    this.plan = plan;
  }

  public Integer getReplicasBeforeQuiesce() {
    return replicasBeforeQuiesce;
  }

  public void setReplicasBeforeQuiesce(Integer replicasBeforeQuiesce) {
    this.replicasBeforeQuiesce = replicasBeforeQuiesce;
  }

  public String getJobName() {
    return jobName;
  }

  public void setJobName(String jobName) {
    this.jobName = jobName;
  }

  public ShadowProgress getShadow() {
    return shadow;
  }

  public void setShadow(ShadowProgress shadow) {
    this.shadow = shadow;
  }

  public RepairProgress getRepair() {
    return repair;
  }

  public void setRepair(RepairProgress repair) {
    this.repair = repair;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
