package io.reducer.controller.app;

import static io.reducer.controller.app.OperatorFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.pipeline.StateMachineSpec;
import io.reducer.api.v1alpha1.pipeline.StateTransitionSpec;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import io.reducer.controller.workload.SecretVersions;
import io.reducer.controller.workload.WorkloadApplier;
import io.reducer.testsupport.kubernetes.Annotations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A ReducerPipeline's reducer Deployment and its circuit breaker, with the operator on the mock API server and a
 * real broker and PostgreSQL: replicas from the spec capped at the actions partitions, a broken state machine refused
 * before any pod changes, a rotated Secret rolling the pods, and a pause that takes the reducers and every projection
 * to zero and gives each back exactly what it had, across an operator restart and a reset holding a projection.
 */
class PipelineReducersIT {

  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private static OperatorFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = new OperatorFixture();
    fixture.databaseSecret("pg");
    fixture.startOperator();
    await().atMost(Duration.ofSeconds(30)).until(fixture::operatorReady);
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void reducersFollowTheSpecABrokenStateMachineChangesNoPodAndARotatedSecretRollsThem() {
    fixture.kafka.createTopic("rd.actions", 2);
    fixture.pipeline("rd", fixture.kafka.bootstrapServers(), "pg", "rd", 3);

    Deployment created = awaitReplicas("rd-reducer", 2);
    assertThat(created.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).containsExactly("reduce");
    assertThat(env(created)).containsEntry("REDUCER_ACTIONS_TOPIC", "rd.actions")
        .containsEntry("REDUCER_GROUP", "reducer.orders.pipeline.rd").doesNotContainKey("REDUCER_STATE_MACHINE");
    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(condition("rd", "ReducersReady")).isEqualTo("False/Starting");
      assertThat(status("rd").getReducersReady()).isEqualTo("0/2");
    });
    StatusCapture.capture(fixture.client, ReducerPipeline.class, "rd", "progressing-reducers-starting");
    assertThat(events("rd")).anySatisfy(e -> assertThat(e).startsWith("DeploymentCreated: Created the reducer "
        + "Deployment with 2 replicas (spec.reducer.replicas 3 is capped at the actions topic's 2 partitions)"));

    markReady("rd-reducer", 2);
    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(condition("rd", "ReducersReady")).isEqualTo("True/Running");
      assertThat(status("rd").getReducersReady()).isEqualTo("2/2");
    });
    StatusCapture.capture(fixture.client, ReducerPipeline.class, "rd", "reducers-running");

    // A transition into a state that does not exist: refused, the reducers keep running as they were.
    String hashBefore = templateHash("rd-reducer");
    fixture.edit(ReducerPipeline.class, "rd", p -> p.getSpec().getReducer().setStateMachine(machine("ARCHIVED")));
    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(condition("rd", "ReducersReady")).isEqualTo("False/InvalidStateMachine");
      assertThat(condition("rd", "Stalled")).isEqualTo("True/InvalidStateMachine");
      assertThat(condition("rd", "Ready")).isEqualTo("False/InvalidStateMachine");
    });
    StatusCapture.capture(fixture.client, ReducerPipeline.class, "rd", "stalled-invalid-state-machine");
    assertThat(message("rd", "ReducersReady")).contains("ARCHIVED").contains("keep their current state machine");
    assertThat(templateHash("rd-reducer")).isEqualTo(hashBefore);
    assertThat(deployment("rd-reducer").getSpec().getReplicas()).isEqualTo(2);
    assertThat(events("rd")).anySatisfy(e -> assertThat(e).startsWith("Refused: spec.reducer.stateMachine"));

    fixture.edit(ReducerPipeline.class, "rd", p -> p.getSpec().getReducer().setStateMachine(machine("CLOSED")));
    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(env(deployment("rd-reducer"))).containsKey("REDUCER_STATE_MACHINE");
      assertThat(condition("rd", "Stalled")).isNull();
    });
    assertThat(env(deployment("rd-reducer")).get("REDUCER_STATE_MACHINE")).contains("\"CLOSED\"");

    // A rotated database password: the pod template changes, so the pods restart with it.
    String secretsBefore = podAnnotation("rd-reducer", SecretVersions.ANNOTATION);
    String hashWithMachine = templateHash("rd-reducer");
    fixture.client.secrets().inNamespace(NAMESPACE).withName("pg").edit(s -> {
      s.setStringData(Map.of("username", fixture.postgres.user(), "password", fixture.postgres.password(),
          "rotated-at", "now"));
      return s;
    });
    await().atMost(PATIENCE).untilAsserted(() ->
        assertThat(podAnnotation("rd-reducer", SecretVersions.ANNOTATION)).isNotEqualTo(secretsBefore));
    assertThat(templateHash("rd-reducer")).isNotEqualTo(hashWithMachine);
  }

  @Test
  void pauseStopsReducersAndProjectionsAndResumeRestoresEachAcrossARestartAndAReset() throws Exception {
    fixture.kafka.createTopic("pz.actions", 4);
    fixture.kafka.createTopic("pz.state-committed", 3);
    fixture.pipeline("pz", fixture.kafka.bootstrapServers(), "pg", "pz", 2);
    fixture.projection("pz-view", "pz", "  table: pz_view");
    fixture.projection("pz-held", "pz", "  table: pz_held");
    awaitReplicas("pz-reducer", 2);
    awaitReplicas("pz-view-materializer", 3);
    awaitReplicas("pz-held-materializer", 3);

    // A reset holds one projection at zero while it waits for approval.
    fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE).resource(YAML.unmarshal(String.join("\n",
        "apiVersion: reducer.io/v1alpha1",
        "kind: WatermarkReset",
        "metadata: {name: pz-rewind, namespace: " + NAMESPACE + "}",
        "spec:",
        "  projectionRef: {name: pz-held}",
        "  target: {type: earliest}",
        "  approval: Manual"), WatermarkReset.class)).create();
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(resetPhase("pz-rewind"))
        .isEqualTo(WatermarkResetPhase.AwaitingApproval));
    awaitReplicas("pz-held-materializer", 0);
    StatusCapture.capture(fixture.client, WatermarkReset.class, "pz-rewind", "awaiting-approval");

    // The emergency stop as GitOps leaves it alone: an annotation, not the spec.
    Annotations.annotate(fixture.client, ReducerPipeline.class, NAMESPACE, "pz", "reducer.io/paused", "true");
    awaitReplicas("pz-reducer", 0);
    awaitReplicas("pz-view-materializer", 0);
    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(condition("pz", "Paused")).isEqualTo("True/AnnotationPaused");
      assertThat(status("pz").getReplicasBeforePause()).isEqualTo(2);
      assertThat(projectionCondition("pz-view", "Paused")).isEqualTo("True/PipelinePaused");
    });
    StatusCapture.capture(fixture.client, ReducerPipeline.class, "pz", "paused-annotation");
    assertThat(events("pz")).contains("Paused: Scaled reducers from 2 to 0: annotation reducer.io/paused is "
        + "\"true\"");

    // The operator restarts while everything is paused; the pause and the counts survive in the cluster.
    fixture.stopOperator();
    fixture.startOperator();
    await().atMost(Duration.ofSeconds(30)).until(fixture::operatorReady);
    Annotations.annotate(fixture.client, ReducerPipeline.class, NAMESPACE, "pz", "reducer.io/paused", "false");

    awaitReplicas("pz-reducer", 2);
    awaitReplicas("pz-view-materializer", 3);
    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(condition("pz", "Paused")).isEqualTo("False/Running");
      assertThat(projectionCondition("pz-held", "Paused")).isEqualTo("True/ResetInProgress");
    });
    StatusCapture.capture(fixture.client, Projection.class, "pz-held", "held-by-reset");
    StatusCapture.capture(fixture.client, ReducerPipeline.class, "pz", "resuming");
    assertThat(deployment("pz-held-materializer").getSpec().getReplicas()).isZero();

    fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE).withName("pz-rewind").delete();
    awaitReplicas("pz-held-materializer", 3);
    assertThat(events("pz")).anySatisfy(e -> assertThat(e).startsWith("Resumed: Reducers scaled back to 2"));
  }

  private static StateMachineSpec machine(String target) {
    StateMachineSpec machine = new StateMachineSpec();
    machine.setStates(List.of("OPEN", "CLOSED"));
    StateTransitionSpec transition = new StateTransitionSpec();
    transition.setFrom("OPEN");
    transition.setTo(target);
    machine.setTransitions(List.of(transition));
    return machine;
  }

  private static Deployment awaitReplicas(String name, int replicas) {
    await().atMost(PATIENCE).untilAsserted(() -> {
      Deployment d = deployment(name);
      assertThat(d).as(name).isNotNull();
      assertThat(d.getSpec().getReplicas()).as(name).isEqualTo(replicas);
    });
    return deployment(name);
  }

  private static Deployment deployment(String name) {
    return fixture.client.apps().deployments().inNamespace(NAMESPACE).withName(name).get();
  }

  private static Map<String, String> env(Deployment deployment) {
    Map<String, String> env = new java.util.HashMap<>();
    for (EnvVar var : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      }
    }
    return env;
  }

  private static String templateHash(String deployment) {
    return deployment(deployment).getMetadata().getAnnotations().get(WorkloadApplier.TEMPLATE_HASH);
  }

  private static String podAnnotation(String deployment, String key) {
    Map<String, String> annotations = deployment(deployment).getSpec().getTemplate().getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  private static void markReady(String deployment, int ready) {
    fixture.client.apps().deployments().inNamespace(NAMESPACE).withName(deployment).editStatus(d -> {
      d.setStatus(new DeploymentStatusBuilder().withReplicas(ready).withReadyReplicas(ready)
          .withAvailableReplicas(ready).build());
      return d;
    });
  }

  private static ReducerPipelineStatus status(String pipeline) {
    ReducerPipelineStatus status = fixture.getPipeline(pipeline).getStatus();
    return status == null ? new ReducerPipelineStatus() : status;
  }

  private static String condition(String pipeline, String type) {
    return status(pipeline).condition(type).map(c -> c.getStatus() + "/" + c.getReason()).orElse(null);
  }

  private static String message(String pipeline, String type) {
    return status(pipeline).condition(type).map(c -> c.getMessage()).orElse(null);
  }

  private static String projectionCondition(String projection, String type) {
    Projection p = fixture.getProjection(projection);
    return p == null || p.getStatus() == null ? null
        : p.getStatus().condition(type).map(c -> c.getStatus() + "/" + c.getReason()).orElse(null);
  }

  private static WatermarkResetPhase resetPhase(String name) {
    WatermarkReset reset = fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE).withName(name).get();
    return Optional.ofNullable(reset).map(WatermarkReset::getStatus).map(s -> s.getPhase()).orElse(null);
  }

  private static List<String> events(String involved) {
    return fixture.client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> involved.equals(e.getInvolvedObject().getName()))
        .map(e -> e.getReason() + ": " + e.getMessage()).toList();
  }
}
