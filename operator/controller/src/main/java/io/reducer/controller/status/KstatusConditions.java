package io.reducer.controller.status;

import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import java.time.Instant;
import java.util.List;

/**
 * How every kind's decider writes its kstatus conditions: {@code Ready}, and the abnormal-true {@code Reconciling}
 * (converging) and {@code Stalled} (only a change by the user ends it), which are present only while true. Bound to
 * one status' conditions, the generation it reflects and the time of the decision; each call changes the list in
 * place (see {@link Conditions#set}), in the order it is made.
 */
public final class KstatusConditions {

  private final List<Condition> conditions;
  private final long generation;
  private final Instant now;

  private KstatusConditions(List<Condition> conditions, long generation, Instant now) {
    this.conditions = conditions;
    this.generation = generation;
    this.now = now;
  }

  public static KstatusConditions on(List<Condition> conditions, long generation, Instant now) {
    return new KstatusConditions(conditions, generation, now);
  }

  public KstatusConditions ready(ConditionStatus status, String reason, String message) {
    Conditions.set(conditions, ConditionTypes.READY, status, reason, message, generation, now);
    return this;
  }

  /** Reconciling=True with {@code reason}; a null reason removes it: nothing left to converge. */
  public KstatusConditions reconciling(String reason, String message) {
    return abnormalTrue(ConditionTypes.RECONCILING, reason, message);
  }

  /** Stalled=True with {@code reason}; a null reason removes it: nothing waits for the user. */
  public KstatusConditions stalled(String reason, String message) {
    return abnormalTrue(ConditionTypes.STALLED, reason, message);
  }

  public KstatusConditions notReconciling() {
    return reconciling(null, null);
  }

  public KstatusConditions notStalled() {
    return stalled(null, null);
  }

  /** Refused or failed until the user acts: Ready=False and Stalled=True with the same reason, not Reconciling. */
  public KstatusConditions stuck(String reason, String message) {
    return ready(ConditionStatus.False, reason, message).stalled(reason, message).notReconciling();
  }

  private KstatusConditions abnormalTrue(String type, String reason, String message) {
    if (reason == null) {
      Conditions.remove(conditions, type);
    } else {
      Conditions.set(conditions, type, ConditionStatus.True, reason, message, generation, now);
    }
    return this;
  }
}
