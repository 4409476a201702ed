package io.reducer.controller.dlq;

import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.DlqReplayStatus;
import io.reducer.controller.oneshot.Retention;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The history limit of DlqReplays: at most a number of finished ones (Succeeded, Failed, Cancelled) are kept per
 * pipeline, the newest by the time they finished; older ones are deleted.
 */
public final class FinishedReplays {

  private FinishedReplays() {
  }

  /**
   * The replays to delete, oldest first.
   *
   * @param replays the replays of one namespace
   * @param pipelineOf the pipeline a replay belongs to (a projectionRef resolved through its projection); replays
   *     of the same pipeline share the limit
   * @param pipeline the pipeline whose replays to prune
   */
  public static List<String> beyondLimit(List<DlqReplay> replays, Function<DlqReplay, String> pipelineOf,
      String pipeline, int limit) {
    List<DlqReplay> group = replays.stream().filter(r -> Objects.equals(pipeline, pipelineOf.apply(r))).toList();
    return Retention.beyondLimit(group, FinishedReplays::finishedAt, limit);
  }

  /** When the replay entered its final phase; null while it runs. */
  static Instant finishedAt(DlqReplay replay) {
    DlqReplayStatus status = replay.getStatus();
    return status == null || status.getPhase() == null ? null
        : Retention.finishedAt(status.getPhase(), status.getPhase().isTerminal(), status.getHistory());
  }
}
