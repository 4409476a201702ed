package io.reducer.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.reducer.api.v1alpha1.common.Approval;
import io.reducer.api.v1alpha1.common.LocalReference;
import io.reducer.api.v1alpha1.reset.ResetTarget;
import java.util.List;

/** Where to move a projection's position. Immutable: create a new WatermarkReset to change anything. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self == oldSelf", message = "spec is immutable; create a new WatermarkReset instead")
@ValidationRule(value = "!self.rebuild || !has(self.partitions)",
    message = "rebuild truncates the whole projection, so it cannot be limited to some partitions")
@ValidationRule(value = "!has(self.partitions) || !has(self.target.offsets) "
    + "|| self.target.offsets.all(o, o.partition in self.partitions)",
    message = "every partition in target.offsets must be listed in partitions")
public class WatermarkResetSpec {

  @Required
  @JsonPropertyDescription("The Projection (same namespace) to reset.")
  private LocalReference projectionRef;

  @Required
  @JsonPropertyDescription("Where to move the position.")
  private ResetTarget target;

  @Size(min = 1, max = 10000)
  @ValidationRule(value = "self.all(p, p >= 0)", message = "partitions are numbered from 0")
  @JsonPropertyDescription("Reset only these partitions of the source topic. Omit for all (with type offset: the "
      + "partitions listed in offsets).")
  private List<Integer> partitions;

  @Default("false")
  @JsonPropertyDescription("Truncate the projection table in the same transaction and rebuild it from the new positions.")
  private boolean rebuild;

  @Default("Manual")
  @JsonPropertyDescription("Manual: wait after planning for the annotation reducer.io/approve: \"true\". "
      + "Automatic: apply the plan at once.")
  private Approval approval = Approval.Manual;

  @Default("false")
  @JsonPropertyDescription("Plan only: quiesce, write the plan to status, change nothing, resume.")
  private boolean dryRun;

  public LocalReference getProjectionRef() {
    return projectionRef;
  }

  public void setProjectionRef(LocalReference projectionRef) {
    this.projectionRef = projectionRef;
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
}
