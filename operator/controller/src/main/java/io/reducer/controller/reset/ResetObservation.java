package io.reducer.controller.reset;

import io.reducer.controller.kafka.ConsumerGroupState;
import io.reducer.controller.workload.JobOutcome;

/**
 * What the reconciler saw of a reset's world, for {@link WatermarkResetPlanner}. Each phase observes only what
 * it needs; a field left unset was not looked at.
 */
public final class ResetObservation {

  private boolean projectionFound = true;
  private String blockedReason;
  private String blockedMessage;
  private String heldByOther;
  private Integer projectionReplicas;
  private ConsumerGroupState group;
  private String groupReason;
  private String groupMessage;
  private PlanAttempt plan;
  private JobOutcome job;
  private boolean approved;
  private boolean released;

  /** The projection does not exist (any more). */
  public ResetObservation projectionMissing() {
    this.projectionFound = false;
    return this;
  }

  /** Something the user must fix keeps the reset from starting (pipeline, Secret, image). */
  public ResetObservation blocked(String reason, String message) {
    this.blockedReason = reason;
    this.blockedMessage = message;
    return this;
  }

  /** Another reset, still running, holds the projection. */
  public ResetObservation heldBy(String otherReset) {
    this.heldByOther = otherReset;
    return this;
  }

  public ResetObservation projectionReplicas(Integer replicas) {
    this.projectionReplicas = replicas;
    return this;
  }

  public ResetObservation group(ConsumerGroupState group) {
    this.group = group;
    return this;
  }

  /** The group could not be described. */
  public ResetObservation groupUnknown(String reason, String message) {
    this.groupReason = reason;
    this.groupMessage = message;
    return this;
  }

  public ResetObservation plan(PlanAttempt plan) {
    this.plan = plan;
    return this;
  }

  /** The reset Job's outcome; leave unset when the Job does not exist. */
  public ResetObservation job(JobOutcome job) {
    this.job = job;
    return this;
  }

  public ResetObservation approved(boolean approved) {
    this.approved = approved;
    return this;
  }

  /** The projection no longer names this reset, neither in its annotation nor in its status. */
  public ResetObservation released(boolean released) {
    this.released = released;
    return this;
  }

  boolean projectionFound() {
    return projectionFound;
  }

  String blockedReason() {
    return blockedReason;
  }

  String blockedMessage() {
    return blockedMessage;
  }

  String heldByOther() {
    return heldByOther;
  }

  Integer projectionReplicas() {
    return projectionReplicas;
  }

  ConsumerGroupState group() {
    return group;
  }

  String groupReason() {
    return groupReason;
  }

  String groupMessage() {
    return groupMessage;
  }

  PlanAttempt plan() {
    return plan;
  }

  JobOutcome job() {
    return job;
  }

  boolean approved() {
    return approved;
  }

  boolean released() {
    return released;
  }
}
