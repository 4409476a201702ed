package io.reducer.controller.dlq;

import io.reducer.api.v1alpha1.DlqReplayStatus;
import io.reducer.controller.events.PlannedEvent;
import java.time.Duration;
import java.util.List;

/**
 * What the DlqReplay reconciler should do: start a Job, delete the Jobs, write the status, record Events and when
 * to look again.
 *
 * @param start the Job to create (creating one that exists already is a no-op, so repeating a plan is safe)
 * @param deleteJobs delete both Jobs (the replay was cancelled)
 * @param reschedule when to reconcile again without an event; null: only on events
 */
public record DlqReplayPlan(DlqReplayStatus status, JobToStart start, boolean deleteJobs, List<PlannedEvent> events,
    Duration reschedule) {

  /** Which Job a plan starts. */
  public enum JobToStart {
    NONE,
    INSPECT,
    REPLAY
  }

  public DlqReplayPlan {
    events = List.copyOf(events);
  }

  /** The replay reached Succeeded, Failed or Cancelled. */
  public boolean finished() {
    return status.getPhase() != null && status.getPhase().isTerminal();
  }
}
