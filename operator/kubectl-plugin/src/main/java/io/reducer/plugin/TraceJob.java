package io.reducer.plugin;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.pipeline.PipelineTopics;
import io.reducer.controller.workload.WorkloadEnv;
import io.reducer.controller.workload.WorkloadJob;
import io.reducer.workloads.trace.TraceOptions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Job that runs {@code workloads trace} for one correlation id with a pipeline's connections: the operator's own
 * Job shape (restricted pod, owned by the pipeline so it goes with it), its Kafka and database environment, and the
 * pipeline's three topics.
 */
final class TraceJob {

  static final String COMPONENT = "trace";
  static final String MANAGED_BY = "kubectl-reducer";
  private static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  /** A finished trace Job the plugin could not delete (it was killed) is removed by Kubernetes after this. */
  static final int TTL_SECONDS_AFTER_FINISHED = 600;
  private static final SecureRandom RANDOM = new SecureRandom();

  private TraceJob() {
  }

  /** A fresh name per trace: {@code <pipeline>-trace-<5 random>}, shortened as the operator's Job names are. */
  static String name(ReducerPipeline pipeline) {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder suffix = new StringBuilder("trace-");
    for (int i = 0; i < 5; i++) {
      suffix.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return WorkloadJob.name(pipeline, suffix.toString());
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
    List<EnvVar> env = new ArrayList<>(WorkloadEnv.kafka(pipeline));
    env.addAll(WorkloadEnv.databaseLogin(pipeline));
    Job job = WorkloadJob.build(pipeline, name, COMPONENT, image, args, env, 0);
    job.getMetadata().getLabels().put(LABEL_MANAGED_BY, MANAGED_BY);
    job.getSpec().getTemplate().getMetadata().getLabels().put(LABEL_MANAGED_BY, MANAGED_BY);
    // The cluster ends the trace even if this process dies before it deletes the Job.
    job.getSpec().setActiveDeadlineSeconds(Math.max(1, deadline.getSeconds()));
    job.getSpec().setTtlSecondsAfterFinished(TTL_SECONDS_AFTER_FINISHED);
    return job;
  }
}
