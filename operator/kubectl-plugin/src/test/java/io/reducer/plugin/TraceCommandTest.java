package io.reducer.plugin;

import static io.reducer.plugin.Fixtures.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.workloads.ExitCodes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The trace Job against the mock API, which runs no pod: the test plays the pod (its end and its log). The real
 * {@code workloads trace} runs in the end-to-end test.
 */
class TraceCommandTest {

  private static final String IMAGE = "registry.example/reducer-workloads:1.2.3";

  @RegisterExtension
  final MockApi api = new MockApi();
  private ReducerPipeline pipeline;

  @BeforeEach
  void start() {
    pipeline = Fixtures.apply(api.client(), Fixtures.pipeline("sick", Fixtures.UNHEALTHY_STATUS));
  }

  @Test
  void theJobRunsTraceWithThePipelinesTopicsAndConnectionsOnTheOperatorsPodShape() {
    Job job = TraceJob.build(pipeline, "sick-trace-abcde", IMAGE,
        TraceJob.args(pipeline, "wf-$(HOME)-7", "2h", "orders_view", true), Duration.ofMinutes(5));

    assertThat(job.getMetadata().getNamespace()).isEqualTo(NS);
    assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
      assertThat(owner.getKind()).isEqualTo("ReducerPipeline");
      assertThat(owner.getName()).isEqualTo("sick");
      assertThat(owner.getUid()).isEqualTo(pipeline.getMetadata().getUid());
    });
    assertThat(job.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "trace")
        .containsEntry("app.kubernetes.io/managed-by", "kubectl-reducer")
        .containsEntry("app.kubernetes.io/name", "reducer-workloads");
    assertThat(job.getSpec().getBackoffLimit()).as("a trace is not retried").isZero();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(300);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(600);
    assertThat(job.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(job.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isFalse();
    Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo(IMAGE);
    assertThat(container.getCommand()).isNullOrEmpty();
    assertThat(container.getArgs()).containsExactly("trace", "--correlation-id", "wf-$$(HOME)-7", "--since", "2h",
        "--actions-topic", "sick.actions", "--state-committed-topic", "sick.state-committed",
        "--dlq-topic", "sick.dlq", "--jdbc-url", "jdbc:postgresql://postgres.orders.svc:5432/workflows"
            + jdbcParameters(container.getArgs()), "--schema", "public", "--projection-table", "orders_view",
        "-o", "json");
    Map<String, EnvVar> env = container.getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS").getValue()).isEqualTo("kafka:9092");
    assertThat(env.keySet()).contains("PGUSER", "PGPASSWORD").anyMatch(name -> name.contains("SASL_USERNAME"));
    assertThat(env.get("PGPASSWORD").getValue()).as("credentials only as secretKeyRef").isNull();
    assertThat(env.get("PGPASSWORD").getValueFrom().getSecretKeyRef().getName()).isEqualTo("sick-postgres");
  }

  @Test
  void printsTheTracesJsonExitsWithItsCodeAndDeletesTheJob() {
    Interrupts interrupts = new Interrupts();
    CompletableFuture<Plugin.Result> run = CompletableFuture.supplyAsync(() -> Plugin.run(api.kubernetes(), interrupts, "",
        "trace", "wf-7", "--pipeline", "sick", "-n", NS, "--image", IMAGE, "-o", "json", "--since", "30m"));

    Job job = awaitJob(run);
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).contains("wf-7", "30m");
    PlayedJob.end(api, job, "trace", "trace: searching 3 topics\n{\n  \"correlationId\": \"wf-7\",\n"
        + "  \"found\": false\n}\n", 5);

    Plugin.Result result = run.join();
    assertThat(result.code()).as(result.err()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(result.out()).isEqualTo("{\n  \"correlationId\": \"wf-7\",\n  \"found\": false\n}\n");
    assertThat(result.err()).isEqualTo("trace: searching 3 topics\n");
    assertThat(jobs()).as("the Job is deleted").isEmpty();
  }

  @Test
  void textOutputIsTheTracesOwn() {
    CompletableFuture<Plugin.Result> run = CompletableFuture.supplyAsync(() -> Plugin.run(api.kubernetes(), "",
        "trace", "wf-7", "--pipeline", "sick", "-n", NS, "--image", IMAGE));
    Job job = awaitJob(run);
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).doesNotContain("-o")
        .containsSequence("--since", "1h");
    PlayedJob.end(api, job, "trace", "wf-7: 3 actions, 3 versions, 0 in the DLQ", 0);

    Plugin.Result result = run.join();
    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("wf-7: 3 actions, 3 versions, 0 in the DLQ\n");
  }

  @Test
  void aTraceThatDoesNotEndInTimeIsDeletedAndFails() {
    Plugin.Result result = Plugin.run(api.kubernetes(), "", "trace", "wf-7", "--pipeline", "sick", "-n", NS, "--image",
        IMAGE, "--timeout", "1s");

    assertThat(result.code()).isEqualTo(ExitCode.FAILED);
    assertThat(result.err()).contains("the trace did not end within PT1S (no pod yet); the Job sick-trace-")
        .contains("is deleted");
    assertThat(jobs()).isEmpty();
  }

  @Test
  void aJobInterruptedByCtrlCIsDeleted() {
    Interrupts interrupts = new Interrupts();
    CompletableFuture<Plugin.Result> run = CompletableFuture.supplyAsync(() -> Plugin.run(api.kubernetes(), interrupts, "",
        "trace", "wf-7", "--pipeline", "sick", "-n", NS, "--image", IMAGE, "--timeout", "5s"));
    awaitJob(run);

    interrupts.runAll();

    assertThat(jobs()).as("deleted by the shutdown hook's clean-up").isEmpty();
    assertThat(run.join().err()).contains("deleted");
  }

  @Test
  void theImageComesFromTheOperatorDeploymentOrMustBeGiven() {
    Plugin.Result none = Plugin.run(api.kubernetes(), "", "trace", "wf-7", "--pipeline", "sick", "-n", NS);
    assertThat(none.code()).isEqualTo(ExitCode.USAGE);
    assertThat(none.err()).contains("the workloads image is unknown").contains("pass --image");

    api.client().apps().deployments().inNamespace("reducer-system").resource(new DeploymentBuilder()
        .withNewMetadata().withName("reducer-operator").withNamespace("reducer-system")
        .addToLabels("app.kubernetes.io/name", "reducer-operator").endMetadata()
        .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("operator")
        .withImage("ghcr.io/reducer-io/reducer-operator:0.1.0")
        .addNewEnv().withName("WORKLOADS_IMAGE").withValue(IMAGE).endEnv()
        .addNewEnv().withName("LEADER_ELECTION_LEASE").withValue("custom-lease").endEnv()
        .addNewEnv().withName("OPERATOR_NAMESPACE").withNewValueFrom().withNewFieldRef()
        .withFieldPath("metadata.namespace").endFieldRef().endValueFrom().endEnv()
        .endContainer().endSpec().endTemplate().endSpec().build()).create();

    OperatorLookup.Found found = OperatorLookup.find(api.client(), Plugin.CLOCK, NS);
    assertThat(found.workloadsImage()).contains(IMAGE);
    assertThat(found.lease().name()).as("the operator's own --lease-name").isEqualTo("custom-lease");
    assertThat(found.lease().liveness()).isEqualTo(OperatorLookup.Liveness.ABSENT);
  }

  @Test
  void aMissingPipelineIsNotFound() {
    Plugin.Result result = Plugin.run(api.kubernetes(), "", "trace", "wf-7", "--pipeline", "nope", "-n", NS, "--image",
        IMAGE);
    assertThat(result.code()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(result.err()).contains("ReducerPipeline nope not found in namespace orders");
    Plugin.Result noPipeline = Plugin.run(api.kubernetes(), "", "trace", "wf-7", "-n", NS);
    assertThat(noPipeline.code()).isEqualTo(ExitCode.USAGE);
  }

  private static String jdbcParameters(List<String> args) {
    String url = args.get(args.indexOf("--jdbc-url") + 1);
    int query = url.indexOf('?');
    return query < 0 ? "" : url.substring(query);
  }

  private List<Job> jobs() {
    return PlayedJob.jobs(api, "trace");
  }

  private Job awaitJob(CompletableFuture<Plugin.Result> run) {
    return PlayedJob.awaitJob(api, "trace", run);
  }
}
