package io.reducer.controller.projection;

import io.reducer.controller.probe.ProjectionProbe;
import io.reducer.controller.workload.EmergencyStop;

/**
 * What the Projection reconciler observed before deciding: a refusal found in the spec, pause sources, the
 * latest probe, the Deployment and why its pods fail, if they do. Built by the reconciler, read by
 * {@link ProjectionDecider}.
 */
public final class ProjectionObservation {

  private String refusalReason;
  private String refusalMessage;
  private EmergencyStop.Reason pipelinePause;
  private String heldByReset;
  private ProjectionProbe probe;
  private Integer deploymentReplicas;
  private int readyReplicas;
  private MaterializerFailure materializerFailure;

  /**
   * The spec cannot be acted on (reason for the Stalled condition). The Deployment is then neither created nor
   * reconfigured; it is only scaled to zero when the projection must stop (held or paused).
   */
  public ProjectionObservation refused(String reason, String message) {
    this.refusalReason = reason;
    this.refusalMessage = message;
    return this;
  }

  /** Why the projection's pipeline is paused (its spec or its annotation); null when it runs. */
  public ProjectionObservation pipelinePause(EmergencyStop.Reason reason) {
    this.pipelinePause = reason;
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

  /** Why materializer pods fail to become ready (see {@link MaterializerPods}); null when none fails. */
  public ProjectionObservation materializerFailure(MaterializerFailure failure) {
    this.materializerFailure = failure;
    return this;
  }

  public String refusalReason() {
    return refusalReason;
  }

  public String refusalMessage() {
    return refusalMessage;
  }

  public EmergencyStop.Reason pipelinePause() {
    return pipelinePause;
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

  public MaterializerFailure materializerFailure() {
    return materializerFailure;
  }
}
