package io.reducer.controller.pipeline;

import io.reducer.controller.events.PlannedEvent;
import java.util.List;

/**
 * What to do with a pipeline's reducer Deployment.
 *
 * @param replicas the replica count to apply; null to leave the Deployment as it is (or not create one)
 * @param scaleOnly only scale the existing Deployment, without touching its template: the spec was refused and
 *     the reducers must stop anyway (the pipeline is paused)
 * @param check what the reducers add to the pipeline's Ready condition
 * @param events Events of this decision
 */
public record ReducerPlan(Integer replicas, boolean scaleOnly, ConnectionCheck check, List<PlannedEvent> events) {

  public ReducerPlan {
    events = List.copyOf(events);
  }
}
