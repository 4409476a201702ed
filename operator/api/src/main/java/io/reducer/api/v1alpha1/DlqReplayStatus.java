package io.reducer.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.reducer.api.v1alpha1.common.Bounds;
import io.reducer.api.v1alpha1.common.ConditionedStatus;
import io.reducer.api.v1alpha1.common.PhaseTransition;
import io.reducer.api.v1alpha1.dlq.DlqPreview;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import io.reducer.api.v1alpha1.dlq.PartitionRange;
import io.reducer.api.v1alpha1.dlq.ReplayProgress;
import java.util.ArrayList;
import java.util.List;

/** Observed state of a replay; the phase machine is documented on {@link DlqReplayPhase}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DlqReplayStatus extends ConditionedStatus {

  @JsonPropertyDescription("Current phase: Pending, Previewing, AwaitingApproval, Replaying, Succeeded, Failed or Cancelled.")
  private DlqReplayPhase phase;

  @Size(max = Bounds.PHASES)
  @JsonPropertyDescription("Every phase entered, with its time and reason, oldest first.")
  private List<PhaseTransition> history = new ArrayList<>();

  @Size(max = Bounds.PARTITIONS)
  @JsonPropertyDescription("The DLQ end offsets captured when the replay started; exactly this range is replayed.")
  private List<PartitionRange> snapshot = new ArrayList<>();

  @JsonPropertyDescription("Counts of the records an approval would replay.")
  private DlqPreview preview;

  @JsonPropertyDescription("Counters of the replay.")
  private ReplayProgress progress;

  @Size(max = Bounds.OBJECT_NAME)
  @JsonPropertyDescription("Name of the replay Job.")
  private String jobName;

  @Size(max = Bounds.MESSAGE)
  @JsonPropertyDescription("Why the replay is waiting or failed, in words.")
  private String message;

  public DlqReplayPhase getPhase() {
    return phase;
  }

  public void setPhase(DlqReplayPhase phase) {
    this.phase = phase;
  }

  public List<PhaseTransition> getHistory() {
    return history;
  }

  public void setHistory(List<PhaseTransition> history) {
    this.history = history;
  }

  public List<PartitionRange> getSnapshot() {
    return snapshot;
  }

  public void setSnapshot(List<PartitionRange> snapshot) {
    this.snapshot = snapshot;
  }

  public DlqPreview getPreview() {
    return preview;
  }

  public void setPreview(DlqPreview preview) {
    this.preview = preview;
  }

  public ReplayProgress getProgress() {
    return progress;
  }

  public void setProgress(ReplayProgress progress) {
    this.progress = progress;
  }

  public String getJobName() {
    return jobName;
  }

  public void setJobName(String jobName) {
    this.jobName = jobName;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
