package io.reducer.api.v1alpha1.dlq;

import java.util.EnumSet;
import java.util.Set;

/**
 * Phases of a DlqReplay and the only transitions allowed between them:
 *
 * <pre>
 * Pending -> Previewing -> AwaitingApproval -> Replaying -> Succeeded
 *                  |              |                 \----> Failed
 *                  |              \-> Cancelled
 *                  \-> Replaying (approval Automatic), Succeeded (preview only), Failed
 * </pre>
 *
 * Any non-terminal phase may go to Failed (e.g. a Job died) or Cancelled (the resource is being deleted).
 */
public enum DlqReplayPhase {
  /** Accepted; nothing read yet. */
  Pending,
  /** End offsets snapshotted; matching records are being counted. */
  Previewing,
  /** Preview in status; waiting for the reducer.io/approve annotation. */
  AwaitingApproval,
  /** The replay Job is republishing the snapshot. */
  Replaying,
  /** Done: every selected record was republished once, or the preview-only replay finished. */
  Succeeded,
  /** Stopped with an error; see the history message. */
  Failed,
  /** Stopped before replaying, at the user's request. */
  Cancelled;

  /** Phases this phase may move to. */
  public Set<DlqReplayPhase> next() {
    switch (this) {
      case Pending:
        return EnumSet.of(Previewing, Failed, Cancelled);
      case Previewing:
        return EnumSet.of(AwaitingApproval, Replaying, Succeeded, Failed, Cancelled);
      case AwaitingApproval:
        return EnumSet.of(Replaying, Failed, Cancelled);
      case Replaying:
        return EnumSet.of(Succeeded, Failed, Cancelled);
      default:
        return EnumSet.noneOf(DlqReplayPhase.class);
    }
  }

  public boolean canMoveTo(DlqReplayPhase target) {
    return next().contains(target);
  }

  public boolean isTerminal() {
    return next().isEmpty();
  }
}
