package io.reducer.controller.reset;

import io.reducer.api.v1alpha1.WatermarkResetStatus;
import io.reducer.controller.events.PlannedEvent;
import java.time.Duration;
import java.util.List;

/**
 * One decision of {@link WatermarkResetPlanner}: what to do, the status to record after doing it, and when to
 * look again.
 *
 * @param action the one change to make in the cluster before writing status
 * @param again take the next step at once (the phase moved and nothing needs waiting for)
 * @param requeue when to look again if not at once; null to wait for an event
 */
public record ResetStep(WatermarkResetStatus status, Action action, List<PlannedEvent> events, boolean again,
    Duration requeue) {

  /** What a step changes outside the reset's own status. */
  public enum Action {
    NONE,
    /**
     * Annotate the target (the projection, or the pipeline for its reducers) so its workers are held at zero; written
     * only if no other live reset holds it, with optimistic concurrency, so of two resets one wins.
     */
    HOLD,
    /** Projection: create the reset Job (unless it exists). */
    START_JOB,
    /** Reducers: set the group's committed offsets to the plan's (one Admin call; the same again changes nothing). */
    MOVE_OFFSETS,
    /** Remove the hold from the target so its workers come back. */
    RELEASE,
    /** Record the completed reset in the target's status, so a copy created again is refused (see CompletedResets). */
    REMEMBER
  }
}
