package io.reducer.api.v1alpha1.reset;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;

/** What a repair from the canonical store (spec.rebuildSource Canonical) rewrites. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CanonicalRepairSpec {

  @Default("Stale")
  @JsonPropertyDescription("Stale (default): only the rows whose version is behind workflow_state, and the keys "
      + "missing from the projection (what the projection's status.staleRows counts). All: every canonical row, also "
      + "where the versions are equal, to overwrite rows whose content went wrong. Neither moves a row to an older "
      + "version.")
  private RepairScope scope = RepairScope.Stale;

  @Size(min = 1, max = 1024)
  @JsonPropertyDescription("Repair only this workflow key (workflow_state.workflow_key). Omit for every key of the "
      + "scope.")
  private String workflowKey;

  public RepairScope getScope() {
    return scope;
  }

  public void setScope(RepairScope scope) {
    this.scope = scope;
  }

  public String getWorkflowKey() {
    return workflowKey;
  }

  public void setWorkflowKey(String workflowKey) {
    this.workflowKey = workflowKey;
  }
}
