package io.reducer.controller.reset;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.reset.ResetPlan;
import io.reducer.controller.workload.WorkloadEnv;
import io.reducer.controller.workload.WorkloadJob;
import io.reducer.workloads.offsets.ExplicitPlan;
import io.reducer.workloads.offsets.ResetOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The Job that applies a reset's plan: {@code offsets reset} with the plan's explicit offsets and epochs, so a
 * retried pod finishes the same reset instead of planning a new one (a pod that finds the database already reset
 * only moves the group's offsets again).
 */
public final class ResetJob {

  public static final String COMPONENT = "watermark-reset";
  /** Retries are safe: the explicit plan and the expected epoch make a repeated run finish, never redo. */
  static final int BACKOFF_LIMIT = 2;

  private ResetJob() {
  }

  public static String name(WatermarkReset reset) {
    return WorkloadJob.name(reset, "reset");
  }

  public static Job build(WatermarkReset reset, Projection projection, ReducerPipeline pipeline, ResetPlan plan,
      String image) {
    List<String> args = new ArrayList<>(List.of("offsets", "reset",
        ResetOptions.TOPIC.flag(), plan.getTopic(),
        ResetOptions.GROUP.flag(), plan.getConsumerGroup(),
        ResetOptions.NAMESPACE.flag(), projection.getMetadata().getNamespace(),
        ResetOptions.PROJECTION.flag(), projection.getMetadata().getName(),
        ResetOptions.TABLE.flag(), projection.getSpec().getTable(),
        ResetOptions.SCHEMA.flag(), pipeline.getSpec().getPostgres().getSchema()));
    args.addAll(ExplicitPlan.arguments(ResetPlans.fromStatus(plan), plan.getCurrentEpoch(), plan.isTruncate()));
    List<EnvVar> env = new ArrayList<>();
    env.addAll(WorkloadEnv.kafka(pipeline));
    env.add(WorkloadEnv.plain(ResetOptions.JDBC_URL, WorkloadEnv.jdbcUrl(pipeline)));
    env.addAll(WorkloadEnv.databaseLogin(pipeline));
    return WorkloadJob.build(reset, name(reset), COMPONENT, image, args, env, BACKOFF_LIMIT);
  }
}
