package io.reducer.controller.dlq;

import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.DlqReplaySpec;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.controller.connections.ConnectionResolver;
import io.reducer.controller.connections.ResolutionFailure;
import io.reducer.controller.connections.SecretSource;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where a replay reads from: the pipeline (directly, or through the projection) and the DLQ topic.
 *
 * @param pipeline the ReducerPipeline whose Kafka cluster is used
 * @param dlqTopic spec.dlqTopic, else the pipeline's dlq topic
 * @param projectionSourceTopic the spec.sourceTopic of the projection a projectionRef names; null otherwise
 */
public record ReplaySource(ReducerPipeline pipeline, String dlqTopic, String projectionSourceTopic) {

  public ReplaySource(ReducerPipeline pipeline, String dlqTopic) {
    this(pipeline, dlqTopic, null);
  }

  /** Refusal reasons; each is also the reason of the Stalled condition. */
  public static final String CROSS_NAMESPACE = "CrossNamespaceReference";
  public static final String PIPELINE_NOT_FOUND = "PipelineNotFound";
  public static final String PROJECTION_NOT_FOUND = "ProjectionNotFound";

  /**
   * Why the source cannot be used.
   *
   * @param terminal true when no change outside this DlqReplay can fix it (its spec is immutable): the replay
   *     fails; false when creating or fixing another resource can (a missing pipeline): the replay waits
   */
  public record Refusal(String reason, String message, boolean terminal) {
  }

  /** Either a source or a refusal. */
  public record Resolution(ReplaySource source, Refusal refusal) {

    static Resolution of(ReplaySource source) {
      return new Resolution(source, null);
    }

    static Resolution refused(String reason, String message, boolean terminal) {
      return new Resolution(null, new Refusal(reason, message, terminal));
    }
  }

  /** namespace/name of the pipeline, the key of its Kafka client in PipelineClients. */
  public String pipelineKey() {
    return pipeline.getMetadata().getNamespace() + "/" + pipeline.getMetadata().getName();
  }

  /**
   * Resolves the replay's pipelineRef or projectionRef in its own namespace.
   *
   * @param pipelines pipelines of the replay's namespace by name
   * @param projections projections of the replay's namespace by name
   */
  public static Resolution resolve(DlqReplay replay, Function<String, Optional<ReducerPipeline>> pipelines,
      Function<String, Optional<Projection>> projections) {
    DlqReplaySpec spec = replay.getSpec();
    String namespace = replay.getMetadata().getNamespace();
    boolean viaProjection = spec.getPipelineRef() == null;
    try {
      ConnectionResolver.checkReference(viaProjection ? spec.getProjectionRef() : spec.getPipelineRef(), namespace,
          viaProjection ? "spec.projectionRef" : "spec.pipelineRef");
    } catch (ResolutionFailure e) {
      return Resolution.refused(e.reason().name(), e.getMessage() + "; the spec is immutable: create a new DlqReplay",
          true);
    }
    String pipelineName = spec.getPipelineRef() == null ? null : spec.getPipelineRef().getName();
    String how = "spec.pipelineRef";
    String projectionSourceTopic = null;
    if (viaProjection) {
      String projectionName = spec.getProjectionRef().getName();
      Optional<Projection> projection = projections.apply(projectionName);
      if (projection.isEmpty()) {
        return Resolution.refused(PROJECTION_NOT_FOUND, "Projection " + namespace + "/" + projectionName
            + " does not exist; the replay starts once it does", false);
      }
      try {
        // The projection's own reference may still be fixed, so this one waits rather than fails.
        ConnectionResolver.checkReference(projection.get().getSpec().getPipelineRef(), namespace,
            "spec.pipelineRef of Projection " + projectionName);
      } catch (ResolutionFailure e) {
        return Resolution.refused(e.reason().name(), e.getMessage(), false);
      }
      pipelineName = projection.get().getSpec().getPipelineRef().getName();
      projectionSourceTopic = projection.get().getSpec().getSourceTopic();
      how = "the pipelineRef of Projection " + projectionName;
    }
    Optional<ReducerPipeline> pipeline = pipelines.apply(pipelineName);
    if (pipeline.isEmpty()) {
      return Resolution.refused(PIPELINE_NOT_FOUND, "ReducerPipeline " + namespace + "/" + pipelineName
          + " does not exist (named by " + how + "); the replay starts once it does", false);
    }
    String topic = spec.getDlqTopic() != null ? spec.getDlqTopic()
        : pipeline.get().getSpec().getTopics().getDlq().getName();
    return Resolution.of(new ReplaySource(pipeline.get(), topic, projectionSourceTopic));
  }

  /**
   * Checks that the Secrets of the pipeline's spec.kafka.security exist with their keys, before a Job refers to
   * them: a pod whose secretKeyRef is missing never starts. A missing Secret or key waits (Stalled) until it is
   * created, as a Projection does; a resolution that already failed is returned as it is.
   */
  public static Resolution withKafkaSecrets(Resolution resolution, SecretSource secrets) {
    if (resolution.source() == null) {
      return resolution;
    }
    try {
      ConnectionResolver.kafka(resolution.source().pipeline(), secrets);
      return resolution;
    } catch (ResolutionFailure e) {
      return Resolution.refused(e.reason().name(), e.getMessage() + "; the replay continues once it is fixed", false);
    }
  }
}
