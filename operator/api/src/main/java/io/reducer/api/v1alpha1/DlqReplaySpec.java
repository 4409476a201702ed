package io.reducer.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.reducer.api.v1alpha1.common.Approval;
import io.reducer.api.v1alpha1.common.Bounds;
import io.reducer.api.v1alpha1.common.LocalReference;
import io.reducer.api.v1alpha1.common.Patterns;
import io.reducer.api.v1alpha1.dlq.DlqFilter;
import io.reducer.api.v1alpha1.dlq.ReplayTarget;
import java.util.List;

/** What to replay from a dead-letter topic. Immutable: create a new DlqReplay to change anything. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self == oldSelf", message = "spec is immutable; create a new DlqReplay instead")
@ValidationRule(value = "has(self.pipelineRef) != has(self.projectionRef)",
    message = "exactly one of pipelineRef and projectionRef is required")
public class DlqReplaySpec {

  @JsonPropertyDescription("The ReducerPipeline (same namespace) whose Kafka cluster and DLQ topic are used.")
  private LocalReference pipelineRef;

  @JsonPropertyDescription("A Projection (same namespace); its pipeline's Kafka cluster and DLQ topic are used.")
  private LocalReference projectionRef;

  @Pattern(Patterns.KAFKA_NAME)
  @Size(min = 1, max = 249)
  @JsonPropertyDescription("Dead-letter topic to read. Omit for the pipeline's dlq topic.")
  private String dlqTopic;

  @JsonPropertyDescription("Which records to select. Omit to select every record in the snapshot.")
  private DlqFilter filter;

  @Min(1)
  @Max(100000000)
  @JsonPropertyDescription("Most records to replay, in DLQ order. Omit for no limit.")
  private Long limit;

  @Min(1)
  @Max(10000000)
  @JsonPropertyDescription("Most records republished per second. Omit for no limit.")
  private Integer ratePerSecond;

  @JsonPropertyDescription("Where to send replayed records. Omit to send each to its original topic.")
  private ReplayTarget target;

  @Min(1)
  @Max(100)
  @Default("3")
  @JsonPropertyDescription("Loop guard: records already replayed this many times (provenance header) are skipped "
      + "and counted instead of republished.")
  private int maxReplays = 3;

  // Item patterns, not a CEL rule per item: the API server charges CEL by length, a pattern it does not.
  @Size(max = 64)
  @JsonPropertyDescription("Topics records may be replayed to. A record's original topic is what the producer that "
      + "failed wrote in it, so only these are trusted; records for any other topic are skipped and counted "
      + "(targetNotAllowed), never published. Omit for the pipeline's actions and state-committed topics. "
      + "target.topic, when set, is always allowed.")
  private List<@Size(min = 1, max = Bounds.TOPIC_NAME) @Pattern(Patterns.KAFKA_NAME) String> allowedTargets;

  @Default("false")
  @JsonPropertyDescription("Also republish records an earlier replay already sent. Every replay records the DLQ "
      + "records it sent in a ledger topic (<dlq topic>.replayed); by default a replay skips and counts those "
      + "(status.preview.alreadyReplayed, progress.skippedByReason.alreadyReplayed), whatever the earlier replay's "
      + "name and even if it was deleted. A record that failed again after a replay is a new DLQ record and is "
      + "replayed either way.")
  private boolean replayAgain;

  @Default("Manual")
  @JsonPropertyDescription("Manual: wait after the preview for the annotation reducer.io/approve: \"true\". "
      + "Automatic: replay right after the preview.")
  private Approval approval = Approval.Manual;

  @Default("false")
  @JsonPropertyDescription("Only take the snapshot and write the preview; never republish.")
  private boolean previewOnly;

  public LocalReference getPipelineRef() {
    return pipelineRef;
  }

  public void setPipelineRef(LocalReference pipelineRef) {
    this.pipelineRef = pipelineRef;
  }

  public LocalReference getProjectionRef() {
    return projectionRef;
  }

  public void setProjectionRef(LocalReference projectionRef) {
    this.projectionRef = projectionRef;
  }

  public String getDlqTopic() {
    return dlqTopic;
  }

  public void setDlqTopic(String dlqTopic) {
    this.dlqTopic = dlqTopic;
  }

  public DlqFilter getFilter() {
    return filter;
  }

  public void setFilter(DlqFilter filter) {
    this.filter = filter;
  }

  public Long getLimit() {
    return limit;
  }

  public void setLimit(Long limit) {
    this.limit = limit;
  }

  public Integer getRatePerSecond() {
    return ratePerSecond;
  }

  public void setRatePerSecond(Integer ratePerSecond) {
    this.ratePerSecond = ratePerSecond;
  }

  public ReplayTarget getTarget() {
    return target;
  }

  public void setTarget(ReplayTarget target) {
    this.target = target;
  }

  public int getMaxReplays() {
    return maxReplays;
  }

  public void setMaxReplays(int maxReplays) {
    this.maxReplays = maxReplays;
  }

  public Approval getApproval() {
    return approval;
  }

  public void setApproval(Approval approval) {
    this.approval = approval;
  }

  public boolean isPreviewOnly() {
    return previewOnly;
  }

  public void setPreviewOnly(boolean previewOnly) {
    this.previewOnly = previewOnly;
  }

  public List<String> getAllowedTargets() {
    return allowedTargets;
  }

  public void setAllowedTargets(List<String> allowedTargets) {
    this.allowedTargets = allowedTargets;
  }

  public boolean isReplayAgain() {
    return replayAgain;
  }

  public void setReplayAgain(boolean replayAgain) {
    this.replayAgain = replayAgain;
  }
}
