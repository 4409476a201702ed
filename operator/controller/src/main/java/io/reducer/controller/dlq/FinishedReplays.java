package io.reducer.controller.dlq;

import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.controller.oneshot.PhaseHistory;
import io.reducer.controller.oneshot.Retention;
import java.time.Instant;
import java.util.ArrayList;
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
    List<Retention.Finished> finished = new ArrayList<>();
    for (DlqReplay replay : replays) {
      Instant finishedAt = finishedAt(replay);
      if (finishedAt != null && !replay.isMarkedForDeletion() && Objects.equals(pipeline, pipelineOf.apply(replay))) {
        finished.add(new Retention.Finished(replay.getMetadata().getName(), finishedAt));
      }
    }
    return Retention.beyondLimit(finished, limit);
  }

  /** When the replay entered its final phase; null while it runs. */
  static Instant finishedAt(DlqReplay replay) {
    if (replay.getStatus() == null || replay.getStatus().getPhase() == null
        || !replay.getStatus().getPhase().isTerminal()) {
      return null;
    }
    Instant at = PhaseHistory.entered(replay.getStatus().getHistory(), replay.getStatus().getPhase().name());
    // A history trimmed by a bug still counts, as the oldest.
    return at != null ? at : Instant.EPOCH;
  }
}
