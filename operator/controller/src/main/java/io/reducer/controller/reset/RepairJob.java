package io.reducer.controller.reset;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.controller.workload.WorkloadEnv;
import io.reducer.controller.workload.WorkloadJob;
import io.reducer.workloads.repair.RepairCommand;
import io.reducer.workloads.repair.RepairOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Job of a repair from the canonical store: {@code workloads repair} on the projection's table with the
 * pipeline's database login. Retries are safe: each page is its own transaction under the version guard, so a
 * repeated run writes only what is still behind.
 */
public final class RepairJob {

  static final int BACKOFF_LIMIT = 2;

  private RepairJob() {
  }

  public static String name(WatermarkReset reset) {
    return WorkloadJob.name(reset, "repair");
  }

  public static Job build(WatermarkReset reset, Projection projection, ReducerPipeline pipeline, String image) {
    List<String> args = args(pipeline, projection.getSpec().getTable(),
        CanonicalRepairs.scope(reset.getSpec()).name().toLowerCase(Locale.ROOT), CanonicalRepairs.key(reset.getSpec()));
    if (reset.getSpec().isDryRun()) {
      args.addAll(List.of(RepairOptions.DRY_RUN.flag(), "true"));
    }
    return WorkloadJob.build(reset, name(reset), ResetJob.COMPONENT, image, args,
        WorkloadEnv.databaseLogin(pipeline), BACKOFF_LIMIT);
  }

  /**
   * The command line of {@code workloads repair} for a table in the pipeline's database (also the kubectl plugin's).
   *
   * @param scope stale or all
   * @param key the one workflow key; null for every key
   */
  public static List<String> args(ReducerPipeline pipeline, String table, String scope, String key) {
    List<String> args = new ArrayList<>(List.of(RepairCommand.COMMAND,
        RepairOptions.JDBC_URL.flag(), WorkloadEnv.jdbcUrl(pipeline),
        RepairOptions.SCHEMA.flag(), pipeline.getSpec().getPostgres().getSchema(),
        RepairOptions.TABLE.flag(), table,
        RepairOptions.SCOPE.flag(), scope));
    if (key != null) {
      // Kubernetes expands $(VAR) in args; $$ keeps a dollar of the key literal.
      args.addAll(List.of(RepairOptions.KEY.flag(), key.replace("$", "$$")));
    }
    return args;
  }
}
