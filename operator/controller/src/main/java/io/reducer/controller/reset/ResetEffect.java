package io.reducer.controller.reset;

/**
 * What a {@link WatermarkResetDecider} decision changes outside the reset's own status; at most one per decision, none
 * when the reset only records status or waits.
 */
public enum ResetEffect {
  /**
   * Annotate the target (the projection, or the pipeline for its reducers) so its workers are held at zero; written
   * only if no other live reset holds it, with optimistic concurrency, so of two resets one wins.
   */
  HOLD,
  /** Projection: create the reset Job (unless it exists). */
  START_JOB,
  /** Repair from the canonical store: create the Job workloads repair (unless it exists). */
  START_REPAIR,
  /** Reducers: set the group's committed offsets to the plan's (one Admin call; the same again changes nothing). */
  MOVE_OFFSETS,
  /** Remove the hold from the target so its workers come back. */
  RELEASE,
  /** Shadow rebuild: create the Job offsets shadow create (unless it exists). */
  CREATE_SHADOW,
  /** Shadow rebuild: apply the shadow materializers' Deployment at the live projection's replicas. */
  RUN_SHADOW,
  /** Shadow rebuild: scale the shadow materializers to zero (before the cutover). */
  STOP_SHADOW,
  /** Shadow rebuild: create the Job offsets shadow cutover (unless it exists). */
  CUTOVER,
  /**
   * Shadow rebuild, cut over: delete the shadow Deployment and the shadow consumer group, and remove the hold so the
   * live materializers resume on the new table.
   */
  FINISH_SHADOW,
  /**
   * Shadow rebuild that failed: delete the shadow Deployment, start the Job offsets shadow discard (the live table
   * and watermarks stay as they are), delete the shadow group and remove the hold.
   */
  DISCARD_SHADOW,
  /** Record the completed reset in the target's status, so a copy created again is refused (see CompletedResets). */
  REMEMBER
}
