package io.reducer.api.v1alpha1.reset;

/** Which rows a repair from the canonical store (spec.rebuildSource Canonical) rewrites. */
public enum RepairScope {
  /** Rows behind workflow_state, or missing from the projection. */
  Stale,
  /** Every canonical row, also where the versions are equal (to overwrite a row whose content went wrong). */
  All
}
