package io.reducer.controller.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.controller.connections.SecretSource;
import io.reducer.controller.pipeline.ReducerScaling;
import io.reducer.workloads.reducer.fsm.StateMachine;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The reducer Deployment built from the example pipeline in manifests/examples. */
class ReducerDeploymentTest {

  private final Map<String, Secret> store = new HashMap<>();
  private final SecretSource secrets = (namespace, name) -> Optional.ofNullable(store.get(namespace + "/" + name));
  private final ReducerPipeline pipeline =
      MaterializerDeploymentTest.example("reducerpipeline.yaml", ReducerPipeline.class);

  @Test
  void runsTheReduceCommandWithTheSpecAsConfiguration() throws Exception {
    StateMachine machine = ReducerScaling.stateMachine(pipeline.getSpec().getReducer()).orElseThrow();
    Deployment deployment = ReducerDeployment.build(pipeline, "ghcr.io/reducer/workloads:0.1.0", 3, machine, secrets);
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(deployment.getMetadata().getName()).isEqualTo("workflows-reducer");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    assertThat(container.getArgs()).containsExactly("reduce");
    Map<String, String> env = container.getEnv().stream().filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertThat(env).containsEntry("REDUCER_ACTIONS_TOPIC", "prod.workflows.cmd.action.v1")
        .containsEntry("REDUCER_STATE_COMMITTED_TOPIC", "prod.workflows.evt.state-committed.v1")
        .containsEntry("REDUCER_DLQ_TOPIC", "prod.workflows.evt.state-committed.v1.dlq")
        .containsEntry("REDUCER_GROUP", "reducer.orders.pipeline.workflows")
        .containsEntry("REDUCER_PIPELINE", "workflows")
        .containsEntry("REDUCER_SCHEMA", "public")
        .containsEntry("REDUCER_MAX_ATTEMPTS", "3")
        .containsEntry("REDUCER_BACKOFF_BASE_MS", "10")
        .containsEntry("REDUCER_BACKOFF_CAP_MS", "250")
        .containsEntry("REDUCER_DEDUP_TTL_SECONDS", "86400")
        .containsEntry("REDUCER_JDBC_URL", "jdbc:postgresql://postgres.orders.svc:5432/workflows?sslmode=require")
        .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
    // What the pod receives parses back to the machine the operator checked.
    assertThat(StateMachine.parse(env.get("REDUCER_STATE_MACHINE"))).isEqualTo(machine);
    // Each reducer is a static group member under its pod's name (downward API).
    assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("REDUCER_GROUP_INSTANCE_ID")).singleElement()
        .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name"));
  }

  @Test
  void credentialsArriveOnlyAsSecretReferencesAndTheirRotationRollsThePods() {
    Deployment before = ReducerDeployment.build(pipeline, "img:1", 3, null, secrets);
    PodSpec pod = before.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getEnv()).filteredOn(e -> e.getName().startsWith("PG")
        || e.getName().contains("SASL_USERNAME") || e.getName().contains("SASL_PASSWORD")).hasSize(4).allSatisfy(e -> {
          assertThat(e.getValue()).isNull();
          assertThat(e.getValueFrom().getSecretKeyRef()).isNotNull();
        });
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();

    store.put("orders/workflows-postgres", secret("workflows-postgres", "17"));
    Deployment created = ReducerDeployment.build(pipeline, "img:1", 3, null, secrets);
    store.put("orders/workflows-postgres", secret("workflows-postgres", "18"));
    Deployment rotated = ReducerDeployment.build(pipeline, "img:1", 3, null, secrets);
    Deployment same = ReducerDeployment.build(pipeline, "img:1", 3, null, secrets);

    assertThat(WorkloadApplier.hash(created)).isNotEqualTo(WorkloadApplier.hash(before));
    assertThat(WorkloadApplier.hash(rotated)).isNotEqualTo(WorkloadApplier.hash(created));
    assertThat(WorkloadApplier.hash(same)).isEqualTo(WorkloadApplier.hash(rotated));
    assertThat(rotated.getSpec().getTemplate().getMetadata().getAnnotations().get(SecretVersions.ANNOTATION))
        .doesNotContain("18").hasSize(16);
  }

  @Test
  void aRolloutStartsNewReducersBeforeOldOnesStop() {
    Deployment deployment = ReducerDeployment.build(pipeline, "img:1", 2, null, secrets);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    assertThat(deployment.getSpec().getSelector().getMatchLabels()).containsEntry("reducer.io/pipeline", "workflows");
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .extracting(EnvVar::getName).doesNotContain("REDUCER_STATE_MACHINE");
  }

  private static Secret secret(String name, String resourceVersion) {
    return new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName(name).withNamespace("orders")
        .withUid("uid-" + name).withResourceVersion(resourceVersion).build()).build();
  }
}
