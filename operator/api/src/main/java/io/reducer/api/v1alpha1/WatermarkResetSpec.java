package io.reducer.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.reducer.api.v1alpha1.common.Approval;
import io.reducer.api.v1alpha1.common.LocalReference;
import io.reducer.api.v1alpha1.common.Patterns;
import io.reducer.api.v1alpha1.reset.CanonicalRepairSpec;
import io.reducer.api.v1alpha1.reset.RebuildSource;
import io.reducer.api.v1alpha1.reset.RebuildStrategy;
import io.reducer.api.v1alpha1.reset.ResetTarget;
import java.util.List;

/**
 * Where to move a projection's position, or the position of a pipeline's reducers on the actions topic; or, with
 * rebuildSource Canonical, which of a projection's rows to repair from the canonical store. Immutable: create a new
 * WatermarkReset to change anything.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self == oldSelf", message = "spec is immutable; create a new WatermarkReset instead")
@ValidationRule(value = "has(self.projectionRef) != has(self.pipelineRef)",
    message = "exactly one of projectionRef (reset a projection) and pipelineRef (reset the pipeline's reducers) "
        + "is required")
@ValidationRule(value = "!self.rebuild || has(self.projectionRef)",
    message = "rebuild truncates a projection table, so it needs projectionRef; the reducers have no table to rebuild")
@ValidationRule(value = "!self.rebuild || !has(self.partitions)",
    message = "rebuild truncates the whole projection, so it cannot be limited to some partitions")
@ValidationRule(value = "!has(self.partitions) || !has(self.target.offsets) "
    + "|| self.target.offsets.all(o, o.partition in self.partitions)",
    message = "every partition in target.offsets must be listed in partitions")
@ValidationRule(value = "!has(self.rebuildStrategy) || self.rebuildStrategy == 'InPlace' || self.rebuild",
    message = "rebuildStrategy Shadow rebuilds the projection table, so it needs rebuild: true")
@ValidationRule(value = "!has(self.rebuildStrategy) || self.rebuildStrategy == 'InPlace' || self.target.type == 'earliest'",
    message = "rebuildStrategy Shadow supports only target type earliest for now; use InPlace for other targets")
@ValidationRule(value = "!has(self.rebuildStrategy) || self.rebuildStrategy == 'InPlace' || !self.dryRun",
    message = "rebuildStrategy Shadow has no dry run; the shadow is filled beside the live table and can be discarded "
        + "by deleting the reset before its cutover")
@ValidationRule(value = WatermarkResetSpec.CANONICAL + " || has(self.target)",
    message = "target is required (only rebuildSource Canonical goes without one: it moves no position)")
@ValidationRule(value = "!" + WatermarkResetSpec.CANONICAL + " || has(self.projectionRef)",
    message = "rebuildSource Canonical repairs a projection table from workflow_state, so it needs projectionRef")
@ValidationRule(value = "!" + WatermarkResetSpec.CANONICAL + " || (!has(self.target) && !has(self.partitions))",
    message = "rebuildSource Canonical moves no position: omit target and partitions")
@ValidationRule(value = "!" + WatermarkResetSpec.CANONICAL + " || !self.rebuild",
    message = "rebuildSource Canonical never truncates: it rewrites rows in place, so leave rebuild false")
@ValidationRule(value = "!" + WatermarkResetSpec.CANONICAL
    + " || !has(self.rebuildStrategy) || self.rebuildStrategy == 'InPlace'",
    message = "rebuildStrategy Shadow does not apply to rebuildSource Canonical: the repair writes the live table "
        + "under the version guard and readers keep every row")
@ValidationRule(value = "!has(self.repair) || " + WatermarkResetSpec.CANONICAL,
    message = "repair applies only to rebuildSource Canonical")
public class WatermarkResetSpec {

  /** CEL: the reset repairs from the canonical store (spec.rebuildSource Canonical). */
  static final String CANONICAL = "(has(self.rebuildSource) && self.rebuildSource == 'Canonical')";

  @JsonPropertyDescription("The Projection (same namespace) to reset: its watermarks, fencing epoch and consumer "
      + "group move together. Exactly one of projectionRef and pipelineRef.")
  private LocalReference projectionRef;

  @JsonPropertyDescription("The ReducerPipeline (same namespace) whose reducers' consumer group on the actions topic "
      + "to reset: the reducers are held at zero, the group's offsets move, the reducers resume. No watermark or "
      + "epoch is involved: the dedup log skips actions already applied (within the dedup TTL). Exactly one of "
      + "projectionRef and pipelineRef.")
  private LocalReference pipelineRef;

  @JsonPropertyDescription("Where to move the position. Required, except with rebuildSource Canonical, which moves "
      + "no position and takes none.")
  private ResetTarget target;

  @Default("Topic")
  @JsonPropertyDescription("Projections only: where the rows come from. Topic (default): from the source topic, at "
      + "the positions spec.target names (the materializers are held while positions move; see rebuild). Canonical: "
      + "from workflow_state, the reducers' canonical store in the pipeline's database: a Job reads it in pages and "
      + "writes the rows that are behind (spec.repair) under the materializers' version guard, so no row moves to an "
      + "older version. Nothing is truncated, no position, watermark or epoch moves and the materializers keep "
      + "running: readers see every row throughout. Canonical takes projectionRef and no target, partitions, rebuild "
      + "or rebuildStrategy; approval, approvalTimeout, dryRun and runAgain apply.")
  private RebuildSource rebuildSource = RebuildSource.Topic;

  @JsonPropertyDescription("With rebuildSource Canonical: which rows to repair (default: the stale ones, every key).")
  private CanonicalRepairSpec repair;

  // 64 keeps the check of target.offsets (up to 10000) against this list under the API server's per-call limit.
  @Size(min = 1, max = 64)
  @JsonPropertyDescription("Reset only these partitions of the source topic (for pipelineRef: the actions topic), "
      + "at most 64. Omit for all (with type offset: the partitions listed in offsets).")
  private List<@Min(0) Integer> partitions;

  @Default("false")
  @JsonPropertyDescription("Truncate the projection table in the same transaction and rebuild it from the new "
      + "positions. Only with projectionRef.")
  private boolean rebuild;

  @Default("InPlace")
  @JsonPropertyDescription("With rebuild: true, how the table is rebuilt. InPlace (default): the materializers are "
      + "held at zero, the table is truncated with the new watermarks in one transaction and rebuilt from them; "
      + "readers see missing rows until the materializers catch up. Shadow: the live projection keeps serving and "
      + "materializing while a shadow table <table>_shadow_<id> is filled by shadow materializers (owned by this "
      + "reset) from the target; once the shadow is close to the live watermarks the live materializers are held "
      + "briefly, the shadow reaches the live positions and the two tables and their watermarks are swapped in one "
      + "PostgreSQL transaction; the live materializers resume on the new table with epoch + 1. Shadow supports "
      + "target type earliest only. Deleting a Shadow reset before its cutover discards the shadow.")
  private RebuildStrategy rebuildStrategy = RebuildStrategy.InPlace;

  @Default("false")
  @JsonPropertyDescription("With rebuildStrategy Shadow: keep the old live table after the cutover, renamed to "
      + "<table>_prev_<id> (with its indexes), to compare or roll back by hand; drop it with "
      + "workloads offsets shadow drop-previous. false (default): the cutover drops it.")
  private boolean keepPrevious;

  @Default("Automatic")
  @JsonPropertyDescription("With rebuildStrategy Shadow: Manual waits, once the shadow has caught up with the live "
      + "projection, for the annotation reducer.io/approve-cutover: \"true\" before the cutover (phase "
      + "AwaitingCutoverApproval; the shadow keeps being materialized, so the two can be compared). Automatic "
      + "(default): cut over as soon as the shadow has caught up. No timeout: delete the reset to discard the shadow.")
  private Approval cutoverApproval = Approval.Automatic;

  @Default("Manual")
  @JsonPropertyDescription("Manual: wait after planning for the annotation reducer.io/approve: \"true\". "
      + "Automatic: apply the plan at once.")
  private Approval approval = Approval.Manual;

  @Default("false")
  @JsonPropertyDescription("Plan only: quiesce, write the plan to status, change nothing, resume. With rebuildSource "
      + "Canonical: count the rows the repair would write (status.repair.rowsToRepair) and write none.")
  private boolean dryRun;

  @Default("PT1H")
  @Pattern(Patterns.ISO_DURATION)
  @Size(min = 3, max = 64)
  @JsonPropertyDescription("With approval Manual: how long the plan waits for approval, as an ISO-8601 duration "
      + "(e.g. PT30M, PT8H, P1D). The projection (or the reducers) stay held at zero replicas meanwhile; when the time "
      + "is up the reset fails with reason ApprovalTimedOut and they run again. Default PT1H.")
  private String approvalTimeout = "PT1H";

  @Default("false")
  @JsonPropertyDescription("Run even though a reset of this name with the same spec (apart from this field) has "
      + "completed on the same projection or pipeline before. Without it, such a copy (typically created again by a "
      + "GitOps tool after the history limit deleted the original) is refused with reason AlreadyCompleted and "
      + "changes nothing. It allows one more run: a copy created again after that run completed is refused too.")
  private boolean runAgain;

  public LocalReference getProjectionRef() {
    return projectionRef;
  }

  public void setProjectionRef(LocalReference projectionRef) {
    this.projectionRef = projectionRef;
  }

  public LocalReference getPipelineRef() {
    return pipelineRef;
  }

  public void setPipelineRef(LocalReference pipelineRef) {
    this.pipelineRef = pipelineRef;
  }

  public ResetTarget getTarget() {
    return target;
  }

  public void setTarget(ResetTarget target) {
    this.target = target;
  }

  public List<Integer> getPartitions() {
    return partitions;
  }

  public void setPartitions(List<Integer> partitions) {
    this.partitions = partitions;
  }

  public RebuildSource getRebuildSource() {
    return rebuildSource;
  }

  public void setRebuildSource(RebuildSource rebuildSource) {
    this.rebuildSource = rebuildSource;
  }

  public CanonicalRepairSpec getRepair() {
    return repair;
  }

  public void setRepair(CanonicalRepairSpec repair) {
    this.repair = repair;
  }

  public boolean isRebuild() {
    return rebuild;
  }

  public void setRebuild(boolean rebuild) {
    this.rebuild = rebuild;
  }

  public Approval getApproval() {
    return approval;
  }

  public void setApproval(Approval approval) {
    this.approval = approval;
  }

  public boolean isDryRun() {
    return dryRun;
  }

  public void setDryRun(boolean dryRun) {
    this.dryRun = dryRun;
  }

  public String getApprovalTimeout() {
    return approvalTimeout;
  }

  public void setApprovalTimeout(String approvalTimeout) {
    this.approvalTimeout = approvalTimeout;
  }

  public RebuildStrategy getRebuildStrategy() {
    return rebuildStrategy;
  }

  public void setRebuildStrategy(RebuildStrategy rebuildStrategy) {
    this.rebuildStrategy = rebuildStrategy;
  }

  public boolean isKeepPrevious() {
    return keepPrevious;
  }

  public void setKeepPrevious(boolean keepPrevious) {
    this.keepPrevious = keepPrevious;
  }

  public Approval getCutoverApproval() {
    return cutoverApproval;
  }

  public void setCutoverApproval(Approval cutoverApproval) {
    this.cutoverApproval = cutoverApproval;
  }

  public boolean isRunAgain() {
    return runAgain;
  }

  public void setRunAgain(boolean runAgain) {
    this.runAgain = runAgain;
  }
}
