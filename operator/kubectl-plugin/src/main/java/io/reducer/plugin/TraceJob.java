package io.reducer.plugin;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.pipeline.PipelineTopics;
import io.reducer.controller.workload.WorkloadEnv;
import io.reducer.workloads.trace.TraceOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Job that runs {@code workloads trace} for one correlation id ({@link PluginJob}) with the pipeline's three
 * topics.
 */
final class TraceJob {

  static final String COMPONENT = "trace";

  private TraceJob() {
  }

  /** A fresh name per trace: {@code <pipeline>-trace-<5 random>}. */
  static String name(ReducerPipeline pipeline) {
    return PluginJob.name(pipeline, COMPONENT);
  }
  /**
   * @param projectionTable the table whose rows say whether a version was materialized, or null for the trace's
   *     default
   */
  static List<String> args(ReducerPipeline pipeline, String correlationId, String since, String projectionTable,
      boolean json) {
    PipelineTopics topics = pipeline.getSpec().getTopics();
    List<String> args = new ArrayList<>(List.of(TraceOptions.COMMAND,
        // Kubernetes expands $(VAR) in args; $$ keeps a dollar of the id literal.
        TraceOptions.CORRELATION_ID_FLAG, correlationId.replace("$", "$$"),
        TraceOptions.SINCE_FLAG, since,
        TraceOptions.ACTIONS_TOPIC_FLAG, topics.getActions().getName(),
        TraceOptions.STATE_COMMITTED_TOPIC_FLAG, topics.getStateCommitted().getName(),
        TraceOptions.DLQ_TOPIC_FLAG, topics.getDlq().getName(),
        TraceOptions.JDBC_URL_FLAG, WorkloadEnv.jdbcUrl(pipeline),
        TraceOptions.SCHEMA_FLAG, pipeline.getSpec().getPostgres().getSchema()));
    if (projectionTable != null) {
      args.addAll(List.of(TraceOptions.PROJECTION_TABLE_FLAG, projectionTable));
    }
    if (json) {
      args.addAll(List.of(TraceOptions.OUTPUT_SHORT_FLAG, "json"));
    }
    return args;
  }

  static Job build(ReducerPipeline pipeline, String name, String image, List<String> args, Duration deadline) {
    return PluginJob.build(pipeline, name, COMPONENT, image, args, deadline);
  }
}
