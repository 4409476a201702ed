package io.reducer.controller.dlq;

import io.reducer.controller.kafka.CommittedOffset;
import io.reducer.controller.workload.JobOutcome;
import java.util.List;
import java.util.Map;

/**
 * What the DlqReplay reconciler observed before deciding. Built by the reconciler, read by
 * {@link DlqReplayDecider}.
 *
 * @param source the pipeline and DLQ topic, or why they cannot be used
 * @param inspectJob the preview Job's outcome; null when that Job does not exist
 * @param replayJob the replay Job's outcome; null when that Job does not exist
 * @param committed the replay's committed DLQ positions with their checkpoints; null when not read (not replaying)
 *     or unreadable (see {@code progressFailure})
 * @param progressFailure why {@code committed} could not be read; null when it was or was not tried
 * @param replaysAhead other DlqReplays of the same DLQ this one must wait for before it starts replaying
 *     ({@link ReplayQueue}); empty when none
 * @param inspectPartitions for a succeeded preview Job whose result names a result group: that group's committed
 *     offsets on the DLQ, which carry the snapshot and per-partition counts; null when not read or unreadable
 * @param inspectPartitionsFailure why {@code inspectPartitions} could not be read; null otherwise
 */
public record DlqReplayObservation(ReplaySource.Resolution source, JobOutcome inspectJob, JobOutcome replayJob,
    Map<Integer, CommittedOffset> committed, String progressFailure, List<String> replaysAhead,
    Map<Integer, CommittedOffset> inspectPartitions, String inspectPartitionsFailure) {

  public DlqReplayObservation(ReplaySource.Resolution source, JobOutcome inspectJob, JobOutcome replayJob,
      Map<Integer, CommittedOffset> committed, String progressFailure) {
    this(source, inspectJob, replayJob, committed, progressFailure, List.of(), null, null);
  }

  public DlqReplayObservation {
    replaysAhead = replaysAhead == null ? List.of() : List.copyOf(replaysAhead);
  }

  /** The same observation with the replays to wait for. */
  public DlqReplayObservation withReplaysAhead(List<String> ahead) {
    return new DlqReplayObservation(source, inspectJob, replayJob, committed, progressFailure, ahead,
        inspectPartitions, inspectPartitionsFailure);
  }

  /** The same observation with the preview's per-partition figures, or why they could not be read. */
  public DlqReplayObservation withInspectPartitions(Map<Integer, CommittedOffset> partitions, String failure) {
    return new DlqReplayObservation(source, inspectJob, replayJob, committed, progressFailure, replaysAhead,
        partitions, failure);
  }

  public ReplaySource.Refusal refusal() {
    return source == null ? null : source.refusal();
  }
}
