package io.reducer.controller.reset;

import io.reducer.api.v1alpha1.reset.CompletedReset;
import io.reducer.controller.kafka.ConsumerGroupState;
import io.reducer.controller.workload.JobOutcome;
import io.reducer.workloads.materializer.Watermark;
import java.util.List;
import java.util.Map;

/**
 * What the reconciler saw of a reset's world, for {@link WatermarkResetDecider}. Each phase observes only what
 * it needs; a field left unset was not looked at. The target is the projection, or the pipeline whose reducers are
 * reset.
 */
public final class ResetObservation {

  private boolean targetFound = true;
  private String blockedReason;
  private String blockedMessage;
  private String heldByOther;
  private boolean holding;
  private List<CompletedReset> completed = List.of();
  private String foreignJob;
  private Integer replicas;
  private boolean holdApplied = true;
  private ConsumerGroupState group;
  private String groupReason;
  private String groupMessage;
  private PlanAttempt plan;
  private JobOutcome job;
  private Map<Integer, Long> committed;
  private Map<Integer, Watermark> watermarks;
  private String appliedUnreadable;
  private String moveReason;
  private String moveMessage;
  private boolean approved;
  private boolean released;
  private boolean cutoverApproved;
  private JobOutcome shadowJob;
  private Map<Integer, Watermark> liveWatermarks;
  private Map<Integer, Watermark> shadowWatermarks;
  private String shadowUnreadable;
  private ConsumerGroupState shadowGroup;
  private Integer shadowReplicas;
  private String table;
  private Long staleRows;
  private JobOutcome cutoverJob;
  private Boolean shadowTableExists;

  /** The target (projection or pipeline) does not exist (any more). */
  public ResetObservation targetMissing() {
    this.targetFound = false;
    return this;
  }

  /** Something the user must fix keeps the reset from starting (pipeline, Secret, image). */
  public ResetObservation blocked(String reason, String message) {
    this.blockedReason = reason;
    this.blockedMessage = message;
    return this;
  }

  /** Another reset, still running, holds the target. */
  public ResetObservation heldBy(String otherReset) {
    this.heldByOther = otherReset;
    return this;
  }

  /**
   * This reset holds the target: its hold annotation names it, as written by this reset with optimistic concurrency
   * or read back from the API server. Only then does a reset leave Pending.
   */
  public ResetObservation holding(boolean holding) {
    this.holding = holding;
    return this;
  }

  /** The completed resets the target remembers in its status. */
  public ResetObservation completed(List<CompletedReset> completed) {
    this.completed = completed == null ? List.of() : List.copyOf(completed);
    return this;
  }

  /** A Job of the reset Job's name exists that this reset does not own (say why); it is never adopted. */
  public ResetObservation foreignJob(String message) {
    this.foreignJob = message;
    return this;
  }

  /** The target's workers (materializers or reducers) before the hold. */
  public ResetObservation replicas(Integer replicas) {
    this.replicas = replicas;
    return this;
  }

  /**
   * Whether the target's reconciler has acted on this reset's hold (its status names the reset, so its workers are
   * being scaled to zero); unset counts as applied.
   */
  public ResetObservation holdApplied(boolean applied) {
    this.holdApplied = applied;
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

  /** Reducers: the group's committed offsets on the actions topic, by partition. */
  public ResetObservation committed(Map<Integer, Long> committed) {
    this.committed = Map.copyOf(committed);
    return this;
  }

  /**
   * Projection, after its Job succeeded: the watermark rows and the group's committed offsets the Job wrote, which
   * hold the whole result however many partitions the plan has (the Job's termination message is a summary).
   */
  public ResetObservation applied(Map<Integer, Watermark> watermarks, Map<Integer, Long> committed) {
    this.watermarks = Map.copyOf(watermarks);
    this.committed = Map.copyOf(committed);
    return this;
  }

  /** Projection, after its Job succeeded: the watermarks or group offsets could not be read (why). */
  public ResetObservation appliedUnreadable(String message) {
    this.appliedUnreadable = message;
    return this;
  }

  /** Reducers: the last attempt to move the group's offsets failed. */
  public ResetObservation moveFailed(String reason, String message) {
    this.moveReason = reason;
    this.moveMessage = message;
    return this;
  }

  public ResetObservation approved(boolean approved) {
    this.approved = approved;
    return this;
  }

  /** The target no longer names this reset, neither in its annotation nor in its status. */
  public ResetObservation released(boolean released) {
    this.released = released;
    return this;
  }

  /** Shadow rebuild: the annotation reducer.io/approve-cutover: "true" is on the reset. */
  public ResetObservation cutoverApproved(boolean approved) {
    this.cutoverApproved = approved;
    return this;
  }

  /** Shadow rebuild: the outcome of the current phase's Job (create, cutover); leave unset when it does not exist. */
  public ResetObservation shadowJob(JobOutcome job) {
    this.shadowJob = job;
    return this;
  }

  /** Shadow rebuild: the live projection's and the shadow's watermark rows, by partition. */
  public ResetObservation shadowWatermarks(Map<Integer, Watermark> live, Map<Integer, Watermark> shadow) {
    this.liveWatermarks = Map.copyOf(live);
    this.shadowWatermarks = Map.copyOf(shadow);
    return this;
  }

  /** Shadow rebuild: the watermarks, a consumer group or the shadow Deployment could not be read (why). */
  public ResetObservation shadowUnreadable(String message) {
    this.shadowUnreadable = message;
    return this;
  }

  /** Shadow rebuild: the shadow materializers' consumer group. */
  public ResetObservation shadowGroup(ConsumerGroupState group) {
    this.shadowGroup = group;
    return this;
  }

  /** Shadow rebuild: the replicas the shadow Deployment asks for; null when it does not exist. */
  public ResetObservation shadowReplicas(Integer replicas) {
    this.shadowReplicas = replicas;
    return this;
  }

  /** The projection's table (spec.table). */
  public ResetObservation table(String table) {
    this.table = table;
    return this;
  }

  /** Shadow rebuild, while cutting over: whether the shadow table exists (unset: not looked at). */
  public ResetObservation shadowTableExists(boolean exists) {
    this.shadowTableExists = exists;
    return this;
  }

  Boolean shadowTableExists() {
    return shadowTableExists;
  }

  /** Deleting a Shadow rebuild: the cutover Job's outcome; unset when it does not exist. */
  public ResetObservation cutoverJob(JobOutcome job) {
    this.cutoverJob = job;
    return this;
  }

  JobOutcome cutoverJob() {
    return cutoverJob;
  }

  String table() {
    return table;
  }

  /** The projection's status.staleRows: rows behind workflow_state as last measured; null when not measured. */
  public ResetObservation staleRows(Long staleRows) {
    this.staleRows = staleRows;
    return this;
  }

  Long staleRows() {
    return staleRows;
  }

  boolean cutoverApproved() {
    return cutoverApproved;
  }

  JobOutcome shadowJob() {
    return shadowJob;
  }

  Map<Integer, Watermark> liveWatermarks() {
    return liveWatermarks;
  }

  Map<Integer, Watermark> shadowWatermarks() {
    return shadowWatermarks;
  }

  String shadowUnreadable() {
    return shadowUnreadable;
  }

  ConsumerGroupState shadowGroup() {
    return shadowGroup;
  }

  Integer shadowReplicas() {
    return shadowReplicas;
  }

  boolean targetFound() {
    return targetFound;
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

  boolean holding() {
    return holding;
  }

  List<CompletedReset> completed() {
    return completed;
  }

  String foreignJob() {
    return foreignJob;
  }

  Integer replicas() {
    return replicas;
  }

  boolean holdApplied() {
    return holdApplied;
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

  Map<Integer, Long> committed() {
    return committed;
  }

  Map<Integer, Watermark> watermarks() {
    return watermarks;
  }

  String appliedUnreadable() {
    return appliedUnreadable;
  }

  String moveReason() {
    return moveReason;
  }

  String moveMessage() {
    return moveMessage;
  }

  boolean approved() {
    return approved;
  }

  boolean released() {
    return released;
  }
}
