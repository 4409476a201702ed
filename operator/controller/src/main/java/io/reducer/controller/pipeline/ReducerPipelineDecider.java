package io.reducer.controller.pipeline;

import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.controller.decision.Decision;
import io.reducer.controller.events.PlannedEvent;
import io.reducer.controller.status.StatusWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides a ReducerPipeline from what was observed: a plain function, no cluster, no clock. The parts are composed
 * in a fixed order, which is the order of the status' conditions and of the Events: the reducers
 * ({@link ReducerScaling}), the connections with Ready and Stalled ({@link ConnectionConditions}), the health
 * ({@link PipelineHealthRating}), the topics ({@link TopicChanges}) and the schema ({@link SchemaReadiness}).
 */
public final class ReducerPipelineDecider {

  private ReducerPipelineDecider() {
  }

  /**
   * The pipeline's next status, the change to its reducer Deployment (at most one), its Events, and when to look
   * again: within three probe intervals of the operator, or spec.health.probeIntervalSeconds when that is shorter.
   */
  public static Decision<ReducerPipelineStatus, ReducerChange> decide(ReducerPipeline pipeline,
      PipelineObservation observed, Instant now) {
    ReducerPipelineStatus previous = pipeline.getStatus() == null ? new ReducerPipelineStatus() : pipeline.getStatus();
    long generation = pipeline.getMetadata().getGeneration() == null ? 0 : pipeline.getMetadata().getGeneration();
    ReducerPipelineStatus status = StatusWriter.copy(previous, ReducerPipelineStatus.class);

    ReducerScaling.Outcome reducers = ReducerScaling.decide(status, pipeline.getSpec().getReducer(),
        observed.reducers(), generation, now);
    List<PlannedEvent> events = new ArrayList<>(ConnectionConditions.report(status, generation, observed.kafka(),
        observed.database(), List.of(TopicChanges.check(observed.topics()), SchemaReadiness.check(observed.schema()),
            reducers.check()), now));
    events.addAll(reducers.events());
    events.addAll(PipelineHealthRating.report(status, observed.health(), pipeline.getSpec().getHealth(),
        observed.projections(), generation, now));
    events.addAll(TopicChanges.report(status, observed.topics(), generation, now));
    events.addAll(SchemaReadiness.report(status, observed.schema(), generation, now));
    return new Decision<>(status, reducers.change() == null ? List.of() : List.of(reducers.change()), events,
        Decision.Next.after(reschedule(pipeline, observed.probeInterval())));
  }

  /** The shorter of three operator probe intervals and spec.health.probeIntervalSeconds. */
  static Duration reschedule(ReducerPipeline pipeline, Duration probeInterval) {
    Duration health = Duration.ofSeconds(pipeline.getSpec().getHealth().getProbeIntervalSeconds());
    Duration probes = probeInterval.multipliedBy(3);
    return probes.compareTo(health) < 0 ? probes : health;
  }
}
