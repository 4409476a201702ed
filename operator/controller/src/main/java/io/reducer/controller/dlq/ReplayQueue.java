package io.reducer.controller.dlq;

import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.common.Approval;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import io.reducer.controller.oneshot.Approvals;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Replays of one DLQ run one after the other. Each replay reads the ledger of replayed records when it starts, so
 * two replays running at once over the same records would not see each other's; one after the other, the second
 * skips what the first sent. A replay about to start therefore waits while another replay of the same DLQ
 * (same pipeline and DLQ topic) is Replaying, or is approved and waiting too and came first (created earlier; by
 * name on a tie): a total order, so no two wait for each other.
 */
public final class ReplayQueue {

  private static final Comparator<DlqReplay> ORDER = Comparator
      .comparing((DlqReplay r) -> Objects.requireNonNullElse(r.getMetadata().getCreationTimestamp(), ""))
      .thenComparing(r -> r.getMetadata().getName());

  private ReplayQueue() {
  }

  /**
   * The names of the replays {@code replay} must wait for, in order.
   *
   * @param all the DlqReplays of the replay's namespace (it may be among them)
   * @param dlqOf pipeline and DLQ topic a replay reads, e.g. "shop/orders.dlq"; null when unknown
   */
  public static List<String> ahead(DlqReplay replay, List<DlqReplay> all, Function<DlqReplay, String> dlqOf) {
    String dlq = dlqOf.apply(replay);
    if (dlq == null) {
      return List.of();
    }
    return all.stream()
        .filter(other -> !other.getMetadata().getName().equals(replay.getMetadata().getName()))
        .filter(other -> dlq.equals(dlqOf.apply(other)))
        .filter(other -> replaying(other) || (waitingToReplay(other) && ORDER.compare(other, replay) < 0))
        .sorted(ORDER)
        .map(other -> other.getMetadata().getName())
        .toList();
  }

  private static boolean replaying(DlqReplay replay) {
    return phase(replay) == DlqReplayPhase.Replaying;
  }

  /** Previewed and approved (or Automatic), but not Replaying yet: it may start at any moment. */
  private static boolean waitingToReplay(DlqReplay replay) {
    DlqReplayPhase phase = phase(replay);
    if (replay.getSpec().isPreviewOnly() || Cancellation.requested(replay)) {
      return false;
    }
    return (phase == DlqReplayPhase.AwaitingApproval && Approvals.approved(replay))
        || (phase == DlqReplayPhase.Previewing && replay.getSpec().getApproval() == Approval.Automatic
            && replay.getStatus().getPreview() != null);
  }

  private static DlqReplayPhase phase(DlqReplay replay) {
    return replay.getStatus() == null ? null : replay.getStatus().getPhase();
  }
}
