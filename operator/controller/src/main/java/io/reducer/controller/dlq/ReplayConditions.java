package io.reducer.controller.dlq;

import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.controller.status.ConditionTypes;
import io.reducer.controller.status.KstatusConditions;
import java.time.Instant;
import java.util.List;

/**
 * The conditions of a DlqReplay, in the kstatus shape the long-lived kinds use, so {@code kubectl wait}, Argo CD
 * and Flux read a replay like any other resource:
 *
 * <ul>
 *   <li>working (Pending, Previewing, AwaitingApproval, Replaying): {@code Ready=False} and
 *       {@code Reconciling=True}, both with the phase as reason (kstatus: InProgress);</li>
 *   <li>waiting for something only a user can change (a missing pipeline): {@code Ready=False} and
 *       {@code Stalled=True} with the refusal as reason (kstatus: Failed until it is fixed);</li>
 *   <li>Succeeded: {@code Ready=True}, reason Succeeded (kstatus: Current);</li>
 *   <li>Failed or Cancelled: {@code Ready=False} and {@code Stalled=True}, with the failure reason (e.g.
 *       BackoffLimitExceeded) or Cancelled.</li>
 * </ul>
 * Reconciling and Stalled are abnormal-true: removed rather than set False.
 */
public final class ReplayConditions {

  public static final String SUCCEEDED = "Succeeded";
  public static final String CANCELLED = "Cancelled";

  private ReplayConditions() {
  }

  public static void working(List<Condition> conditions, String reason, String message, long generation,
      Instant now) {
    KstatusConditions.on(conditions, generation, now).ready(ConditionStatus.False, reason, message)
        .reconciling(reason, message).notStalled();
  }

  public static void stalled(List<Condition> conditions, String reason, String message, long generation,
      Instant now) {
    KstatusConditions.on(conditions, generation, now).stuck(reason, message);
  }

  public static void succeeded(List<Condition> conditions, String message, long generation, Instant now) {
    KstatusConditions.on(conditions, generation, now).ready(ConditionStatus.True, SUCCEEDED, message)
        .notReconciling().notStalled();
  }

  /** The reason of the Stalled condition, or null when the replay is not stalled. */
  public static String stalledReason(List<Condition> conditions) {
    return conditions == null ? null : conditions.stream()
        .filter(c -> ConditionTypes.STALLED.equals(c.getType()) && c.getStatus() == ConditionStatus.True)
        .map(Condition::getReason).findFirst().orElse(null);
  }
}
