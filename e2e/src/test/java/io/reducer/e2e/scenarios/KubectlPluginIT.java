package io.reducer.e2e.scenarios;

import static io.reducer.e2e.scenarios.ScenarioCluster.NAMESPACE;
import static io.reducer.e2e.scenarios.ScenarioCluster.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import io.reducer.plugin.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl reducer as an on-call engineer runs it: through a kubeconfig, against the local cluster with the real
 * operator (with leader election, so its Lease says it runs), broker and database. One cluster for the class.
 */
class KubectlPluginIT {

  @RegisterExtension
  static final ScenarioCluster cluster = new ScenarioCluster("--leader-election", "true");

  private static final String PIPELINE = "plugin";
  private static final String SICK = "plugin-sick";
  private static final String TRACED = "tracing";
  private static final String CORRELATION_ID = "c-plugin-wf-1";

  @TempDir
  static Path directory;
  private static Path kubeconfig;

  record Result(int code, String out, String err) {
  }

  @BeforeAll
  static void pipelines() throws Exception {
    // The local cluster's API server as a kubeconfig names it, with the scenarios' namespace as the default.
    kubeconfig = LoopbackSettings.kubeconfig(directory.resolve("kubeconfig"),
        cluster.client().getConfiguration().getMasterUrl(), NAMESPACE);
    cluster.pipelineWithProjection(PIPELINE, 1);
    // Credentials from a Secret that does not exist: the database cannot be reached, nothing can be measured.
    cluster.resources().pipeline(SICK, 1, "no-such-secret");
    // A pipeline with a running reducer for the trace: its actions go through the reducer, the outbox, the
    // materializer, and one of them (PENDING after PROCESSING) to the DLQ.
    cluster.pipelineWithProjection(TRACED, 1);
    cluster.client().resources(ReducerPipeline.class).inNamespace(NAMESPACE).withName(TRACED)
        .edit(p -> {
          p.getSpec().getReducer().setReplicas(1);
          return p;
        });
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(cluster.kafkaClientProperties(),
        new StringSerializer(), new StringSerializer())) {
      int n = 0;
      for (String action : List.of("PENDING", "PROCESSING", "PENDING")) {
        n++;
        producer.send(new ProducerRecord<>(TRACED + ".actions", "wf-1", "{\"action_id\":\"a-" + n
            + "\",\"workflow_key\":\"wf-1\",\"action\":\"" + action + "\",\"payload\":{},\"correlation_id\":\""
            + CORRELATION_ID + "\"}")).get();
      }
    }
  }

  @Test
  void statusOfAHealthyAndOfAnUnhealthyPipeline() {
    await("pipeline " + PIPELINE + " reachable and probed").atMost(PATIENCE).untilAsserted(() -> {
      ReducerPipelineStatus status = cluster.resources().pipelineStatus(PIPELINE);
      assertThat(ScenarioResources.condition(status, "DatabaseReachable")).startsWith("True");
      assertThat(ScenarioResources.condition(status, "TopicsReady")).startsWith("True");
      assertThat(status.getHealth()).isNotNull();
      assertThat(cluster.resources().projectionStatus(PIPELINE + "-view").getHealth()).isNotNull();
    });
    Result healthy = kubectlReducer("", "status", PIPELINE);
    assertThat(healthy.code()).as(healthy.err()).isZero();
    assertThat(flat(healthy.out()))
        .contains("PIPELINE e2e/" + PIPELINE)
        .containsPattern("KafkaReachable True")
        .containsPattern("DatabaseReachable True")
        .containsPattern("actions " + PIPELINE + ".actions 1 Ready")
        .containsPattern(PIPELINE + "-view 1 \\d/\\d")
        .contains("operator: running: Lease e2e/reducer-operator-lease");

    await("pipeline " + SICK + " reports its database unreachable").atMost(PATIENCE).until(() ->
        ScenarioResources.condition(cluster.resources().pipelineStatus(SICK), "DatabaseReachable")
            .startsWith("False"));
    Result sick = kubectlReducer("", "status", SICK);
    assertThat(sick.code()).as(sick.err()).isZero();
    assertThat(flat(sick.out()))
        .contains("PIPELINE e2e/" + SICK)
        .containsPattern("DatabaseReachable False \\w+ \\S+ .*no-such-secret")
        .containsPattern("success rate % unknown")
        .containsPattern("outbox backlog unknown");

    Result all = kubectlReducer("", "status", "-o", "json");
    assertThat(all.code()).isZero();
    assertThat(all.out()).contains("\"name\" : \"" + PIPELINE + "\"").contains("\"name\" : \"" + SICK + "\"");
  }

  @Test
  void approveAReplayAndAResetThenTheyComplete() {
    ReplayScenario replay = ReplayScenario.seed(cluster, PIPELINE, "plugin-replay", 20);
    replay.create("approval: Manual");
    cluster.resources().reset("plugin-reset", PIPELINE + "-view", "target: {type: earliest}", "approval: Manual");
    replay.awaitPhase(DlqReplayPhase.AwaitingApproval);
    await("reset plugin-reset waits for approval").atMost(PATIENCE).until(() ->
        cluster.resources().resetStatus("plugin-reset").getPhase() == WatermarkResetPhase.AwaitingApproval);

    Result waiting = kubectlReducer("", "status", PIPELINE);
    assertThat(flat(waiting.out()))
        .contains("approval: kubectl reducer approve dlqr/plugin-replay (matched 20)")
        .contains("approval: kubectl reducer approve wmr/plugin-reset")
        .contains("held by WatermarkReset plugin-reset");

    Result replayApproved = kubectlReducer("", "approve", "dlqr/plugin-replay", "--yes");
    assertThat(replayApproved.code()).as(replayApproved.err()).isZero();
    assertThat(flat(replayApproved.out())).contains("PREVIEW: 20 records match")
        .contains("dlqreplay.reducer.io/plugin-replay approved");
    Result resetApproved = kubectlReducer("", "approve", "wmr/plugin-reset", "--yes");
    assertThat(resetApproved.code()).as(resetApproved.err()).isZero();
    assertThat(flat(resetApproved.out())).contains("PLAN: topic " + PIPELINE + ".state-committed")
        .contains("watermarkreset.reducer.io/plugin-reset approved");

    replay.awaitPhase(DlqReplayPhase.Succeeded);
    replay.assertEveryRecordReplayedOnce();
    await("reset plugin-reset completes").atMost(PATIENCE).until(() ->
        cluster.resources().resetStatus("plugin-reset").getPhase() == WatermarkResetPhase.Completed);

    Result again = kubectlReducer("", "approve", "wmr/plugin-reset", "--yes");
    assertThat(again.code()).isEqualTo(6);
    assertThat(again.err()).contains("it has finished (phase Completed)");
  }

  /** Runs the real {@code workloads trace} in a Job with the pipeline's connections. */
  @Test
  void traceACorrelationIdAndOneThatDoesNotExist() throws Exception {
    await("wf-1 reduced twice and materialized at version 2").atMost(PATIENCE).ignoreExceptions().until(() ->
        "2:PROCESSING".equals(cluster.database().table(TRACED + "_view").get("wf-1")));

    Result found = kubectlReducer("", "trace", CORRELATION_ID, "--pipeline", TRACED, "--since", "1h", "-o", "json",
        "--image", io.reducer.e2e.LocalCluster.WORKLOADS_IMAGE, "--timeout", "90s");
    assertThat(found.code()).as(found.err()).isZero();
    JsonNode trace = new ObjectMapper().readTree(found.out());
    assertThat(trace.path("correlationId").asText()).isEqualTo(CORRELATION_ID);
    Map<String, String> stages = new HashMap<>();
    trace.path("verdict").path("stages").forEach(stage ->
        stages.put(stage.path("name").asText(), stage.path("status").asText()));
    assertThat(stages).as(trace.path("verdict").toString())
        .containsEntry("received", "REACHED").containsEntry("reduced", "REACHED")
        .containsEntry("rejected", "REACHED").containsEntry("published", "REACHED")
        .containsEntry("materialized", "REACHED");
    assertThat(trace.path("counts").path("topics").path(TRACED + ".actions").path("matched").asInt()).isEqualTo(3);
    assertThat(trace.path("counts").path("topics").path(TRACED + ".dlq").path("matched").asInt()).isEqualTo(1);

    Result text = kubectlReducer("", "trace", CORRELATION_ID, "--pipeline", TRACED,
        "--image", io.reducer.e2e.LocalCluster.WORKLOADS_IMAGE, "--timeout", "90s");
    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.out()).contains("INVALID_TRANSITION").contains(TRACED + ".state-committed");

    Result missing = kubectlReducer("", "trace", "c-never-sent", "--pipeline", TRACED,
        "--image", io.reducer.e2e.LocalCluster.WORKLOADS_IMAGE, "--timeout", "90s");
    assertThat(missing.code()).as(missing.out() + missing.err()).isEqualTo(5);
    assertThat(cluster.client().batch().v1().jobs().inNamespace(NAMESPACE)
        .withLabel("app.kubernetes.io/component", "trace").list().getItems()).as("trace Jobs left").isEmpty();
  }

  /** kubectl reducer ARGS with the test's kubeconfig, whose context's namespace is the scenarios'. */
  private static Result kubectlReducer(String stdin, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--kubeconfig";
    all[1] = kubeconfig.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Main().run(all, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static String flat(String text) {
    return text.replaceAll("\\s+", " ");
  }
}
