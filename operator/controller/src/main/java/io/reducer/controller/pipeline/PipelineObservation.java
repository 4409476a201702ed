package io.reducer.controller.pipeline;

import java.time.Duration;
import java.util.List;

/**
 * What the pipeline reconciler observed before deciding, the topic changes and schema migrations it made on the way
 * included (they are ensured before the status is decided). Built by {@link ReducerPipelineReconciler}, read by
 * {@link ReducerPipelineDecider}.
 *
 * @param kafka the Kafka connection's check
 * @param database the PostgreSQL connection's check
 * @param topics each declared topic's outcome, in the order actions, stateCommitted, dlq
 * @param schema the canonical store's outcome
 * @param reducers the reducers' observation
 * @param health the health probe's figures
 * @param projections the pipeline's projections summed up
 * @param probeInterval the operator's probe interval (--probe-interval); the pipeline is looked at again within three
 */
public record PipelineObservation(ConnectionCheck kafka, ConnectionCheck database, List<TopicOutcome> topics,
    SchemaReadiness.Outcome schema, ReducerObservation reducers, PipelineHealthObservation health,
    ProjectionRollup projections, Duration probeInterval) {

  public PipelineObservation {
    topics = List.copyOf(topics);
  }
}
