package io.reducer.controller.projection;

import io.reducer.api.v1alpha1.ProjectionStatus;
import io.reducer.controller.events.PlannedEvent;
import java.util.List;

/** What the Projection reconciler should do: the Deployment's replicas, the status to show, Events to record. */
public final class ProjectionPlan {

  private final Integer replicas;
  private final ReplicaDecision decision;
  private final ProjectionStatus status;
  private final List<PlannedEvent> events;
  private final boolean scaleOnly;

  ProjectionPlan(Integer replicas, ReplicaDecision decision, ProjectionStatus status, List<PlannedEvent> events) {
    this(replicas, decision, status, events, false);
  }

  private ProjectionPlan(Integer replicas, ReplicaDecision decision, ProjectionStatus status,
      List<PlannedEvent> events, boolean scaleOnly) {
    this.replicas = replicas;
    this.decision = decision;
    this.status = status;
    this.events = List.copyOf(events);
    this.scaleOnly = scaleOnly;
  }

  /** A refused spec that must stop: the existing Deployment gets {@code replicas} and nothing else changes. */
  static ProjectionPlan scaleOnly(int replicas, ProjectionStatus status, List<PlannedEvent> events) {
    return new ProjectionPlan(replicas, new ReplicaDecision(replicas, ReplicaDecision.Reason.Paused), status, events,
        true);
  }

  /** Replicas for the Deployment; null to leave it as it is (the spec was refused and nothing must stop). */
  public Integer replicas() {
    return replicas;
  }

  /**
   * True when the spec was refused: {@link #replicas()} then only scales the existing Deployment, which is neither
   * created nor given a new pod template.
   */
  public boolean scaleOnly() {
    return scaleOnly;
  }

  /** Why this count; null when the Deployment is left as it is. */
  public ReplicaDecision decision() {
    return decision;
  }

  public ProjectionStatus status() {
    return status;
  }

  public List<PlannedEvent> events() {
    return events;
  }
}
