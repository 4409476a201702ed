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
 *
 * Shadow rebuild (spec.rebuildStrategy Shadow; the live projection is not held until CuttingOver):
 * Pending -> [AwaitingApproval ->] Filling -> [AwaitingCutoverApproval ->] CuttingOver -> Resuming -> Completed
 *
 * Repair from the canonical store (spec.rebuildSource Canonical; the materializers are never held):
 * Pending -> [AwaitingApproval ->] Repairing -> Resuming -> Completed
 * </pre>
 *
 * A repair takes the projection's hold only so that one reset runs on a projection at a time; it never quiesces:
 * it truncates nothing, moves no offset, watermark or epoch, and writes each row under the materializers' version
 * guard, so whichever of the repair and a materializer writes a row last, the row never moves to an older version.
 * Its Resuming only releases the hold.
 *
 * Any non-terminal phase may go to Failed; a reset that fails after quiescing still resumes the projection (or the
 * reducers) before it is marked Failed, so nothing is left paused. A reset of a pipeline's reducers (spec.pipelineRef)
 * goes through the same phases; in Resetting the operator moves the group's offsets itself, with no Job, watermark or
 * epoch.
 */
public enum WatermarkResetPhase {
  /** Accepted; waiting for its turn if another reset holds the projection (or the reducers). */
  Pending,
  /** Materializers (or reducers) scaled to zero; waiting until the consumer group is Empty or Dead. */
  Quiescing,
  /** Plan (old and new position per partition; for a projection, the new epoch) written to status. */
  Planned,
  /** Waiting for the reducer.io/approve annotation. */
  AwaitingApproval,
  /**
   * Projection: the reset Job is writing watermarks and epoch, then moving the group offsets. Reducers: the operator
   * moves the group's offsets on the actions topic.
   */
  Resetting,
  /**
   * Shadow rebuild: the Job {@code offsets shadow create} makes the shadow table, then the shadow materializers fill
   * it from the target while the live projection keeps serving and materializing; status.shadow shows the lag.
   */
  Filling,
  /**
   * Shadow rebuild with spec.cutoverApproval Manual: the shadow has caught up (and keeps being materialized); waiting
   * for the annotation reducer.io/approve-cutover: "true".
   */
  AwaitingCutoverApproval,
  /**
   * Shadow rebuild: the live materializers are held at zero, the shadow reaches the live positions on every
   * partition, the shadow materializers stop and the Job {@code offsets shadow cutover} swaps the tables and
   * watermarks (epoch + 1) in one transaction.
   */
  CuttingOver,
  /**
   * Repair from the canonical store: the Job {@code workloads repair} rewrites the projection's rows that are behind
   * workflow_state, page by page, while the materializers keep running (with dryRun it only counts them).
   */
  Repairing,
  /** Restoring the materializers' (or reducers') replicas; for a repair, releasing the hold. */
  Resuming,
  /** Positions moved (and, for a projection, epoch bumped), running again (or the dry run finished). */
  Completed,
  /** Stopped with an error; see the history message. */
  Failed;

  /** Phases this phase may move to. */
  public Set<WatermarkResetPhase> next() {
    switch (this) {
      case Pending:
        return EnumSet.of(Quiescing, AwaitingApproval, Filling, Repairing, Failed);
      case Quiescing:
        return EnumSet.of(Planned, Failed);
      case Planned:
        return EnumSet.of(AwaitingApproval, Resetting, Resuming, Failed);
      case AwaitingApproval:
        return EnumSet.of(Resetting, Resuming, Filling, Repairing, Failed);
      case Filling:
        return EnumSet.of(AwaitingCutoverApproval, CuttingOver, Failed);
      case AwaitingCutoverApproval:
        return EnumSet.of(CuttingOver, Failed);
      case CuttingOver:
        return EnumSet.of(Resuming, Failed);
      case Resetting:
      case Repairing:
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
