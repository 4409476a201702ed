package io.reducer.controller.reset;

import io.reducer.api.v1alpha1.reset.ResetPlan;

/**
 * The result of planning a reset: a plan, or why there is none. A refusal (the target cannot be planned for this
 * topic) ends the reset; a failure to read Kafka or PostgreSQL is retried.
 *
 * @param plan the plan; null when planning did not succeed
 * @param reason condition reason when there is no plan
 * @param refused true when the user has to change something (a new WatermarkReset); false when a retry may work
 */
public record PlanAttempt(ResetPlan plan, String reason, String message, boolean refused) {

  public static PlanAttempt planned(ResetPlan plan) {
    return new PlanAttempt(plan, null, null, false);
  }

  public static PlanAttempt refused(String reason, String message) {
    return new PlanAttempt(null, reason, message, true);
  }

  public static PlanAttempt unavailable(String reason, String message) {
    return new PlanAttempt(null, reason, message, false);
  }
}
