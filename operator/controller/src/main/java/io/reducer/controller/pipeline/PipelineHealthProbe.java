package io.reducer.controller.pipeline;

import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.controller.kafka.KafkaAdminGateway;
import io.reducer.controller.kafka.KafkaFailure;
import io.reducer.controller.kafka.TopicOffsets;
import io.reducer.controller.postgres.CanonicalStoreHealth;
import io.reducer.controller.postgres.DatabaseFailure;
import io.reducer.controller.postgres.DatabasePool;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Measures a pipeline's health: one SQL statement on its canonical store ({@link CanonicalStoreHealth}) and one
 * offsets read of its DLQ topic (three Admin calls), whatever the size of the tables or the topic. Never throws for
 * an unreachable source: the observation says what failed, and the figures from that source stay null.
 */
public final class PipelineHealthProbe {

  /** Stats rows written longer ago are of stopped reducers: three times their 5 s stats interval. */
  public static final Duration STATS_FRESHNESS = Duration.ofSeconds(15);

  private PipelineHealthProbe() {
  }

  /**
   * @param kafka the pipeline's Admin gateway; null when Kafka could not be reached (the DLQ depth is then unknown)
   * @param database the pipeline's database pool; null when PostgreSQL could not be reached
   */
  public static PipelineHealthObservation observe(ReducerPipeline pipeline, KafkaAdminGateway kafka,
      DatabasePool database, Instant now) {
    CanonicalStoreHealth.Figures store = null;
    PipelineHealthObservation.Failure databaseFailure = null;
    if (database == null) {
      databaseFailure = new PipelineHealthObservation.Failure(DatabaseFailure.Reason.DatabaseUnreachable.name(),
          "PostgreSQL could not be reached; see the DatabaseReachable condition");
    } else {
      String schema = pipeline.getSpec().getPostgres().getSchema();
      try {
        Duration gaveUpWindow = Duration.ofSeconds(pipeline.getSpec().getHealth().getProbeIntervalSeconds());
        store = new CanonicalStoreHealth(schema).read(database, pipeline.getMetadata().getName(), STATS_FRESHNESS,
            gaveUpWindow);
      } catch (DatabaseFailure e) {
        databaseFailure = new PipelineHealthObservation.Failure(e.reason().name(), e.getMessage());
      } catch (IllegalArgumentException e) {
        databaseFailure = new PipelineHealthObservation.Failure("InvalidSchemaName",
            "spec.postgres.schema: " + e.getMessage());
      }
    }

    Long dlqDepth = null;
    PipelineHealthObservation.Failure kafkaFailure = null;
    String dlq = pipeline.getSpec().getTopics().getDlq().getName();
    if (kafka == null) {
      kafkaFailure = new PipelineHealthObservation.Failure(KafkaFailure.Reason.KafkaUnreachable.name(),
          "Kafka could not be reached; see the KafkaReachable condition");
    } else {
      try {
        dlqDepth = dlqDepth(kafka.topicOffsets(List.of(dlq)), dlq);
        if (dlqDepth == null) {
          kafkaFailure = new PipelineHealthObservation.Failure(KafkaFailure.Reason.TopicNotFound.name(),
              "the DLQ topic " + dlq + " (spec.topics.dlq) does not exist");
        }
      } catch (KafkaFailure e) {
        kafkaFailure = new PipelineHealthObservation.Failure(e.reason().name(), e.getMessage());
      }
    }
    return new PipelineHealthObservation(store, databaseFailure, dlqDepth, kafkaFailure, now);
  }

  /** Sum over partitions of log end minus log start; null when the topic is not among the offsets. */
  static Long dlqDepth(Map<String, TopicOffsets> offsets, String topic) {
    TopicOffsets topicOffsets = offsets.get(topic);
    if (topicOffsets == null) {
      return null;
    }
    long depth = 0;
    for (int p = 0; p < topicOffsets.partitions(); p++) {
      depth += Math.max(0, topicOffsets.logEnd(p) - topicOffsets.logStart(p));
    }
    return depth;
  }
}
