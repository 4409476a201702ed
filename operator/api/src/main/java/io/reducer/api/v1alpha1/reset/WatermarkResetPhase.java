package io.reducer.api.v1alpha1.reset;

import java.util.EnumSet;
import java.util.Set;

/**
 * Phases of a WatermarkReset and the only transitions allowed between them:
 *
 * <pre>
 * Pending -> Quiescing -> Planned -> AwaitingApproval -> Resetting -> Resuming -> Completed
 *                            |  \------------------------^
 *                            \-> Resuming (dry run: plan only, then resume)
 * </pre>
 *
 * Any non-terminal phase may go to Failed; a reset that fails after quiescing still resumes the projection
 * before it is marked Failed, so a projection is never left paused.
 */
public enum WatermarkResetPhase {
  /** Accepted; waiting for its turn if another reset holds the projection. */
  Pending,
  /** Materializers scaled to zero; waiting until the consumer group is Empty or Dead. */
  Quiescing,
  /** Plan (old and new position per partition, new epoch) written to status. */
  Planned,
  /** Waiting for the reducer.io/approve annotation. */
  AwaitingApproval,
  /** The reset Job is writing watermarks and epoch, then moving the group offsets. */
  Resetting,
  /** Restoring the materializers' replicas. */
  Resuming,
  /** Positions moved, epoch bumped, projection running again (or the dry run finished). */
  Completed,
  /** Stopped with an error; see the history message. */
  Failed;

  /** Phases this phase may move to. */
  public Set<WatermarkResetPhase> next() {
    switch (this) {
      case Pending:
        return EnumSet.of(Quiescing, Failed);
      case Quiescing:
        return EnumSet.of(Planned, Failed);
      case Planned:
        return EnumSet.of(AwaitingApproval, Resetting, Resuming, Failed);
      case AwaitingApproval:
        return EnumSet.of(Resetting, Resuming, Failed);
      case Resetting:
        return EnumSet.of(Resuming, Failed);
      case Resuming:
        return EnumSet.of(Completed, Failed);
      default:
        return EnumSet.noneOf(WatermarkResetPhase.class);
    }
  }

  public boolean canMoveTo(WatermarkResetPhase target) {
    return next().contains(target);
  }

  public boolean isTerminal() {
    return next().isEmpty();
  }
}
