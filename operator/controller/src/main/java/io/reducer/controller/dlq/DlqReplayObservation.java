package io.reducer.controller.dlq;

import io.reducer.controller.kafka.CommittedOffset;
import io.reducer.controller.workload.JobOutcome;
import java.util.Map;

/**
 * What the DlqReplay reconciler observed before deciding. Built by the reconciler, read by
 * {@link DlqReplayPlanner}.
 *
 * @param source the pipeline and DLQ topic, or why they cannot be used
 * @param inspectJob the preview Job's outcome; null when that Job does not exist
 * @param replayJob the replay Job's outcome; null when that Job does not exist
 * @param committed the replay's committed DLQ positions with their checkpoints; null when not read (not replaying)
 *     or unreadable (see {@code progressFailure})
 * @param progressFailure why {@code committed} could not be read; null when it was or was not tried
 */
public record DlqReplayObservation(ReplaySource.Resolution source, JobOutcome inspectJob, JobOutcome replayJob,
    Map<Integer, CommittedOffset> committed, String progressFailure) {

  public ReplaySource.Refusal refusal() {
    return source == null ? null : source.refusal();
  }
}
