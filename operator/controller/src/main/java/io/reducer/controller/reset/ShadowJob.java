package io.reducer.controller.reset;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.controller.workload.WorkloadEnv;
import io.reducer.controller.workload.WorkloadJob;
import io.reducer.workloads.offsets.ShadowOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * A Job of a Shadow rebuild: {@code offsets shadow create|cutover|discard}. Each is one transaction and safe to
 * repeat (a repeated step finds its work done and reports Unchanged), so the Jobs retry.
 */
public final class ShadowJob {

  public static final String CREATE = "create";
  public static final String CUTOVER = "cutover";
  public static final String DISCARD = "discard";
  /**
   * Retries: a cutover exits 6 (NOT_READY) when its locks were not granted within the lock timeout; Kubernetes runs
   * it again after its back-off (10 s, 20 s, ...), at most this many times, then the reset fails and discards.
   */
  static final int BACKOFF_LIMIT = 4;

  private ShadowJob() {
  }

  public static String name(WatermarkReset reset, String action) {
    return ShadowRebuilds.jobName(reset, action);
  }

  public static Job build(WatermarkReset reset, Projection projection, ReducerPipeline pipeline, String action,
      String image) {
    List<String> args = new ArrayList<>(List.of("offsets", "shadow", action,
        ShadowOptions.NAMESPACE.flag(), projection.getMetadata().getNamespace(),
        ShadowOptions.PROJECTION.flag(), projection.getMetadata().getName(),
        ShadowOptions.TABLE.flag(), projection.getSpec().getTable(),
        ShadowOptions.SCHEMA.flag(), pipeline.getSpec().getPostgres().getSchema(),
        ShadowOptions.REBUILD_ID.flag(), ShadowRebuilds.rebuildId(reset)));
    if (CUTOVER.equals(action)) {
      args.addAll(List.of(ShadowOptions.KEEP_PREVIOUS.flag(), String.valueOf(reset.getSpec().isKeepPrevious())));
    }
    List<EnvVar> env = new ArrayList<>();
    env.add(WorkloadEnv.plain(ShadowOptions.JDBC_URL, WorkloadEnv.jdbcUrl(pipeline)));
    env.addAll(WorkloadEnv.databaseLogin(pipeline));
    return WorkloadJob.build(reset, name(reset, action), ResetJob.COMPONENT, image, args, env, BACKOFF_LIMIT);
  }
}
