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

  ProjectionPlan(Integer replicas, ReplicaDecision decision, ProjectionStatus status, List<PlannedEvent> events) {
    this.replicas = replicas;
    this.decision = decision;
    this.status = status;
    this.events = List.copyOf(events);
  }

  /** Replicas for the Deployment; null to leave it as it is (the spec was refused). */
  public Integer replicas() {
    return replicas;
  }

  /** Why this count; null when the spec was refused. */
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
