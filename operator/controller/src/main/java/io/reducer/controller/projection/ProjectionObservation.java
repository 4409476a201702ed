package io.reducer.controller.projection;

import io.reducer.controller.probe.ProjectionProbe;

/**
 * What the Projection reconciler observed before deciding: a refusal found in the spec, pause sources, the
 * latest probe and the Deployment. Built by the reconciler, read by {@link ProjectionPlanner}.
 */
public final class ProjectionObservation {

  private String refusalReason;
  private String refusalMessage;
  private boolean pipelinePaused;
  private String heldByReset;
  private ProjectionProbe probe;
  private Integer deploymentReplicas;
  private int readyReplicas;

  /**
   * The spec cannot be acted on (reason for the Stalled condition). The Deployment is then neither created nor
   * reconfigured; it is only scaled to zero when the projection must stop (held or paused).
   */
  public ProjectionObservation refused(String reason, String message) {
    this.refusalReason = reason;
    this.refusalMessage = message;
    return this;
  }

  public ProjectionObservation pipelinePaused(boolean paused) {
    this.pipelinePaused = paused;
    return this;
  }

  /** Name of the WatermarkReset that quiesces this projection, or null. */
  public ProjectionObservation heldByReset(String reset) {
    this.heldByReset = reset;
    return this;
  }

  public ProjectionObservation probe(ProjectionProbe probe) {
    this.probe = probe;
    return this;
  }

  /** spec.replicas of the existing Deployment (null when there is none) and its ready replicas. */
  public ProjectionObservation deployment(Integer replicas, int ready) {
    this.deploymentReplicas = replicas;
    this.readyReplicas = ready;
    return this;
  }

  public String refusalReason() {
    return refusalReason;
  }

  public String refusalMessage() {
    return refusalMessage;
  }

  public boolean pipelinePaused() {
    return pipelinePaused;
  }

  public String heldByReset() {
    return heldByReset;
  }

  public ProjectionProbe probe() {
    return probe;
  }

  public Integer deploymentReplicas() {
    return deploymentReplicas;
  }

  public int readyReplicas() {
    return readyReplicas;
  }
}
