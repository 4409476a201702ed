package io.reducer.controller.reset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.reset.ResetPlan;
import io.reducer.controller.workload.Examples;
import io.reducer.controller.workload.PodEnvironment;
import io.reducer.controller.workload.WorkloadEnv;
import io.reducer.workloads.cli.CommandOptions.Option;
import io.reducer.workloads.kafka.KafkaClientSecurity;
import io.reducer.workloads.offsets.PlannedPartition;
import io.reducer.workloads.offsets.ResetConfig;
import io.reducer.workloads.offsets.ResetOptions;
import io.reducer.workloads.offsets.ResetTarget;
import io.reducer.workloads.offsets.ShadowConfig;
import io.reducer.workloads.offsets.ShadowOptions;
import io.reducer.workloads.repair.RepairConfig;
import io.reducer.workloads.repair.RepairOptions;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The operator and the workloads commands its WatermarkReset Jobs run agree: every flag and variable the operator
 * gives a Job is an option of the command, and the command, parsing them, does what the reset planned.
 */
class ResetJobsContractTest {

  private static final String IMAGE = "ghcr.io/reducer/workloads:0.1.0";

  private final WatermarkReset reset = Examples.read("watermarkreset.yaml", WatermarkReset.class);
  private final Projection projection = Examples.read("projection.yaml", Projection.class);
  private final ReducerPipeline pipeline = Examples.read("reducerpipeline.yaml", ReducerPipeline.class);

  ResetJobsContractTest() {
    reset.getMetadata().setUid("0d6c4a57-0000-4000-8000-000000000001");
  }

  @Test
  void theResetJobAppliesExactlyThePlanInStatus() throws Exception {
    ResetPlan plan = ResetPlans.toStatus("orders.state", "reducer.orders.workflow-projection", 4, true,
        List.of(new PlannedPartition(0, 700L, 120, 0, 900), new PlannedPartition(1, 800L, 340, 10, 950)));
    Container container = container(ResetJob.build(reset, projection, pipeline, plan, IMAGE));
    Map<String, String> env = PodEnvironment.of(container);

    ResetConfig config = ResetConfig.parse(arguments(container, "offsets", "reset"), env);

    assertThat(readBy(ResetOptions.all(), true)).containsAll(env.keySet());
    assertThat(config.topic()).isEqualTo("orders.state");
    assertThat(config.group()).isEqualTo("reducer.orders.workflow-projection");
    assertThat(config.namespace()).isEqualTo(projection.getMetadata().getNamespace());
    assertThat(config.projection()).isEqualTo(projection.getMetadata().getName());
    assertThat(config.table()).isEqualTo(projection.getSpec().getTable());
    assertThat(config.schema()).isEqualTo(pipeline.getSpec().getPostgres().getSchema());
    assertThat(config.jdbcUrl()).isEqualTo(WorkloadEnv.jdbcUrl(pipeline));
    assertThat(config.bootstrapServers()).isEqualTo(pipeline.getSpec().getKafka().getBootstrapServers());
    assertThat(config.target()).isEqualTo(ResetTarget.offsets(Map.of(0, 120L, 1, 340L)));
    assertThat(config.partitions()).isEmpty();
    assertThat(config.rebuild()).isTrue();
    assertThat(config.dryRun()).isFalse();
    assertThat(config.expectedEpoch()).isEqualTo(4L);
    assertThat(config.newEpoch()).isEqualTo(5L);
  }

  @Test
  void eachShadowJobRunsItsActionOnTheProjectionsRebuild() throws Exception {
    reset.getSpec().setKeepPrevious(true);
    for (String action : List.of(ShadowJob.CREATE, ShadowJob.CUTOVER, ShadowJob.DISCARD)) {
      Container container = container(ShadowJob.build(reset, projection, pipeline, action, IMAGE));
      Map<String, String> env = PodEnvironment.of(container);

      ShadowConfig config = ShadowConfig.parse(arguments(container, "offsets", "shadow"), env);

      assertThat(readBy(ShadowOptions.all(), false)).containsAll(env.keySet());
      assertThat(config.action().word()).isEqualTo(action);
      assertThat(config.jdbcUrl()).isEqualTo(WorkloadEnv.jdbcUrl(pipeline));
      assertThat(config.rebuild().namespace()).isEqualTo(projection.getMetadata().getNamespace());
      assertThat(config.rebuild().projection()).isEqualTo(projection.getMetadata().getName());
      assertThat(config.rebuild().table()).isEqualTo(projection.getSpec().getTable());
      assertThat(config.rebuild().schema()).isEqualTo(pipeline.getSpec().getPostgres().getSchema());
      assertThat(config.rebuild().rebuildId()).isEqualTo(ShadowRebuilds.rebuildId(reset));
      assertThat(config.keepPrevious()).isEqualTo(ShadowJob.CUTOVER.equals(action));
    }
  }

  @Test
  void theRepairJobRepairsTheProjectionsTableAsTheSpecAsks() throws Exception {
    reset.getSpec().setDryRun(true);
    Container container = container(RepairJob.build(reset, projection, pipeline, IMAGE));
    Map<String, String> env = PodEnvironment.of(container);

    RepairConfig config = RepairConfig.parse(arguments(container, "repair"), env);

    assertThat(readBy(RepairOptions.all(), false)).containsAll(env.keySet());
    assertThat(config.jdbcUrl()).isEqualTo(WorkloadEnv.jdbcUrl(pipeline));
    assertThat(config.table()).isEqualTo(projection.getSpec().getTable());
    assertThat(config.schema()).isEqualTo(pipeline.getSpec().getPostgres().getSchema());
    assertThat(config.scope().word())
        .isEqualTo(CanonicalRepairs.scope(reset.getSpec()).name().toLowerCase(Locale.ROOT));
    assertThat(config.key()).isEqualTo(CanonicalRepairs.key(reset.getSpec()));
    assertThat(config.dryRun()).isTrue();
  }

  private static Container container(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  /** The container's arguments after the command's words, which must be {@code command}. */
  private static List<String> arguments(Container container, String... command) {
    List<String> args = container.getArgs();
    assertThat(args.subList(0, command.length)).containsExactly(command);
    return args.subList(command.length, args.size());
  }

  /** The variables a command reads: its options', the database login's and, for Kafka clients, the security's. */
  private static Set<String> readBy(List<Option> options, boolean kafka) {
    Set<String> read = new HashSet<>(options.stream().map(Option::variable).collect(Collectors.toSet()));
    read.addAll(List.of("PGUSER", "PGPASSWORD"));
    if (kafka) {
      read.addAll(KafkaClientSecurity.VARIABLES);
    }
    return read;
  }
}
