package io.reducer.api.v1alpha1.reset;

/** How a WatermarkReset with rebuild: true rebuilds the projection table. */
public enum RebuildStrategy {
  /** Truncate the live table and replay into it: readers see missing rows until the materializers catch up. */
  InPlace,
  /**
   * Fill a shadow table while the live projection keeps serving and materializing, then swap the two in one
   * PostgreSQL transaction: readers never see a partial table.
   */
  Shadow;

  /** The annotation that approves a Shadow rebuild's cutover (with spec.cutoverApproval Manual). */
  public static final String CUTOVER_ANNOTATION = "reducer.io/approve-cutover";
}
