package io.reducer.plugin;

import static io.reducer.plugin.Fixtures.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.repair.RepairConfig;
import io.reducer.workloads.repair.RepairScope;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The repair Job against the mock API (the test plays its pod); the real {@code workloads repair} runs in the workloads
 * module's RepairCommandIT.
 */
class RepairCommandTest {

  private static final String IMAGE = "registry.example/reducer-workloads:1.2.3";
  private static final String PROJECTION = """
      apiVersion: reducer.io/v1alpha1
      kind: Projection
      metadata: {name: sick-view, namespace: orders}
      spec: {pipelineRef: {name: sick}, table: sick_view}
      status: {partitions: 4, staleRows: 12}
      """;

  @RegisterExtension
  final MockApi api = new MockApi();
  private ReducerPipeline pipeline;

  @BeforeEach
  void start() {
    pipeline = Fixtures.apply(api.client(), Fixtures.pipeline("sick", Fixtures.UNHEALTHY_STATUS));
    Fixtures.applyProjection(api.client(), PROJECTION);
  }

  @Test
  void theJobRunsRepairOnTheProjectionsTableWithThePipelinesLoginAndTheWorkloadsCommandAcceptsItsArguments()
      throws Exception {
    List<String> args = RepairCommand.args(pipeline, "sick_view", "all", "wf-$(HOME)");
    Job job = PluginJob.build(pipeline, "sick-repair-abcde", RepairCommand.COMPONENT, IMAGE, args,
        Duration.ofMinutes(30));

    Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getArgs()).startsWith("repair").containsSequence("--table", "sick_view")
        .containsSequence("--scope", "all").containsSequence("--key", "wf-$$(HOME)").containsSequence("--schema", "public");
    assertThat(container.getEnv()).extracting(e -> e.getName()).contains("PGUSER", "PGPASSWORD");
    assertThat(job.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(owner -> assertThat(owner.getName()).isEqualTo("sick"));
    assertThat(job.getSpec().getBackoffLimit()).as("a repair is not retried behind the user's back").isZero();

    List<String> plain = RepairCommand.args(pipeline, "sick_view", "all", "wf-7");
    RepairConfig parsed = RepairConfig.parse(plain.subList(1, plain.size()), Map.of("PGUSER", "app"));
    assertThat(parsed.table()).isEqualTo("sick_view");
    assertThat(parsed.scope()).isEqualTo(RepairScope.ALL);
    assertThat(parsed.key()).isEqualTo("wf-7");
    assertThat(parsed.jdbcUrl()).startsWith("jdbc:postgresql://postgres.orders.svc:5432/workflows");
  }

  @Test
  void printsWhatItWillDoAsksRunsTheJobPrintsItsResultAndDeletesIt() {
    CompletableFuture<Plugin.Result> run = CompletableFuture.supplyAsync(() -> Plugin.run(api.kubernetes(), "yes\n",
        "repair", "proj/sick-view", "-n", NS, "--image", IMAGE));

    Job job = PlayedJob.awaitJob(api, RepairCommand.COMPONENT, run);
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsSequence("--scope", "stale").doesNotContain("--key");
    PlayedJob.end(api, job, "repair", "repair: Completed: wrote 12 of 12 canonical row(s) behind in public.sick_view "
        + "in 1 page(s)\nresult: {\"result\":\"Completed\"}\n", 0);

    Plugin.Result result = run.join();
    assertThat(result.code()).as(result.err()).isEqualTo(ExitCodes.OK);
    String out = result.out();
    assertThat(out.indexOf("rows behind workflow_state at the last probe (status.staleRows): 12")).isNotNegative()
        .isLessThan(out.indexOf("Repair proj/sick-view in namespace orders? Type yes to repair:"));
    assertThat(out).contains("table public.sick_view").contains("REPAIR from public.workflow_state, scope stale")
        .endsWith("repair: Completed: wrote 12 of 12 canonical row(s) behind in public.sick_view in 1 page(s)\n"
            + "result: {\"result\":\"Completed\"}\n");
    assertThat(PlayedJob.jobs(api, RepairCommand.COMPONENT)).as("the Job is deleted").isEmpty();
  }

  @Test
  void aFailedRepairExitsWithItsCodeAndSaysWhichJob() {
    CompletableFuture<Plugin.Result> run = CompletableFuture.supplyAsync(() -> Plugin.run(api.kubernetes(), "",
        "repair", "projection", "sick-view", "--scope", "all", "--key", "wf-7", "--yes", "-n", NS, "--image", IMAGE));

    Job job = PlayedJob.awaitJob(api, RepairCommand.COMPONENT, run);
    PlayedJob.end(api, job, "repair", "repair: Refused: no table public.sick_view\n", ExitCodes.BAD_CONFIGURATION);

    Plugin.Result result = run.join();
    assertThat(result.code()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    assertThat(result.out()).contains("scope all, key wf-7").doesNotContain("Type yes")
        .contains("repair: Refused: no table public.sick_view");
    assertThat(result.err()).contains("error: the repair Job sick-repair-").contains("ended with exit code 2");
  }

  @Test
  void anyOtherAnswerRunsNothingAndBadInputNamesTheFix() {
    Plugin.Result declined = Plugin.run(api.kubernetes(), "no\n", "repair", "proj/sick-view", "-n", NS, "--image",
        IMAGE);
    assertThat(declined.code()).isEqualTo(ExitCode.DECLINED);
    assertThat(declined.err()).contains("not repaired: nothing was written to sick_view");
    assertThat(PlayedJob.jobs(api, RepairCommand.COMPONENT)).isEmpty();

    Plugin.Result missing = Plugin.run(api.kubernetes(), "", "repair", "proj/nope", "-n", NS, "--image", IMAGE);
    assertThat(missing.code()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(missing.err()).contains("Projection nope not found in namespace orders");
    Plugin.Result wrongKind = Plugin.run(api.kubernetes(), "", "repair", "rp/sick", "-n", NS);
    assertThat(wrongKind.code()).isEqualTo(ExitCode.USAGE);
    assertThat(wrongKind.err()).contains("repair takes a Projection (proj/NAME), not rp");
    Plugin.Result badScope = Plugin.run(api.kubernetes(), "", "repair", "proj/sick-view", "--scope", "some", "-n", NS);
    assertThat(badScope.code()).isEqualTo(ExitCode.USAGE);
    assertThat(badScope.err()).contains("--scope must be stale or all, not some");
  }
}
