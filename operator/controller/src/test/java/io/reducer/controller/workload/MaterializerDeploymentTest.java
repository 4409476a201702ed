package io.reducer.controller.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.controller.connections.SecretSource;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The materializer Deployment built from the examples in manifests/examples. */
class MaterializerDeploymentTest {

  private static final SecretSource NO_SECRETS = (namespace, name) -> Optional.empty();

  private final Projection projection = example("projection.yaml", Projection.class);
  private final ReducerPipeline pipeline = example("reducerpipeline.yaml", ReducerPipeline.class);
  private final Deployment deployment =
      MaterializerDeployment.build(projection, pipeline, "ghcr.io/reducer/workloads:0.1.0", 6, NO_SECRETS);
  private final PodSpec pod = deployment.getSpec().getTemplate().getSpec();
  private final Container container = pod.getContainers().get(0);

  @Test
  void runsTheMaterializeCommandWithTheComputedReplicas() {
    assertThat(deployment.getMetadata().getName()).isEqualTo("workflow-projection-materializer");
    assertThat(deployment.getMetadata().getNamespace()).isEqualTo("orders");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(6);
    assertThat(container.getImage()).isEqualTo("ghcr.io/reducer/workloads:0.1.0");
    assertThat(container.getArgs()).containsExactly("materialize");
  }

  @Test
  void configurationComesFromThePipelineWithDefaultsFilledIn() {
    Map<String, String> env = container.getEnv().stream().filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));

    assertThat(env).containsEntry("MATERIALIZER_TOPIC", "prod.workflows.evt.state-committed.v1")
        .containsEntry("MATERIALIZER_DLQ_TOPIC", "prod.workflows.evt.state-committed.v1.dlq")
        .containsEntry("MATERIALIZER_GROUP", "reducer.orders.workflow-projection")
        .containsEntry("MATERIALIZER_PROJECTION", "workflow-projection")
        .containsEntry("MATERIALIZER_TABLE", "workflow_projection")
        .containsEntry("MATERIALIZER_JDBC_URL", "jdbc:postgresql://postgres.orders.svc:5432/workflows?sslmode=require")
        .containsEntry("MATERIALIZER_MAX_RECORDS", "500")
        .containsEntry("KAFKA_BOOTSTRAP_SERVERS", pipeline.getSpec().getKafka().getBootstrapServers());
  }

  @Test
  void thePodsKnowTheProjectionTheyWriteFor() {
    // Namespace and name key the watermarks and own the table; the uid is recorded with the owner.
    projection.getMetadata().setUid("6f1c2d9e-0000-4000-8000-000000000001");
    Map<String, String> env = MaterializerDeployment.build(projection, pipeline, "ghcr.io/reducer/workloads:0.1.0", 1,
        NO_SECRETS).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));

    assertThat(env).containsEntry("MATERIALIZER_NAMESPACE", "orders")
        .containsEntry("MATERIALIZER_PROJECTION", "workflow-projection")
        .containsEntry("MATERIALIZER_PROJECTION_UID", "6f1c2d9e-0000-4000-8000-000000000001");
  }

  /** A container restarted in place rejoins the group under the same id and gets its partitions back at once. */
  @Test
  void eachPodIsAStaticGroupMemberUnderItsOwnName() {
    assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("MATERIALIZER_GROUP_INSTANCE_ID"))
        .singleElement()
        .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name"));
  }

  @Test
  void theSessionTimeoutReachesThePodsOnlyWhenTheProjectionSetsIt() {
    assertThat(container.getEnv()).extracting(EnvVar::getName).doesNotContain("MATERIALIZER_SESSION_TIMEOUT_MS");

    projection.getSpec().getMaterializer().setSessionTimeoutMs(10000);
    Deployment withTimeout = MaterializerDeployment.build(projection, pipeline, "ghcr.io/reducer/workloads:0.1.0", 6, NO_SECRETS);
    assertThat(withTimeout.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .filteredOn(e -> e.getName().equals("MATERIALIZER_SESSION_TIMEOUT_MS")).singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEqualTo("10000"));
    assertThat(WorkloadApplier.hash(withTimeout)).isNotEqualTo(WorkloadApplier.hash(deployment));
  }

  @Test
  void databaseCredentialsArriveOnlyAsSecretReferences() {
    EnvVar password = container.getEnv().stream().filter(e -> e.getName().equals("PGPASSWORD")).findFirst().orElseThrow();
    EnvVar user = container.getEnv().stream().filter(e -> e.getName().equals("PGUSER")).findFirst().orElseThrow();

    assertThat(password.getValue()).isNull();
    assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("workflows-postgres");
    assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
    assertThat(user.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("username");
  }

  @Test
  void podsFollowTheRestrictedPodSecurityStandard() {
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
  }

  @Test
  void probesUseTheMaterializersEndpointsAndLabelsFindThePods() {
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .containsEntry("reducer.io/projection", "workflow-projection");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
  }

  static <T> T example(String file, Class<T> type) {
    return Examples.read(file, type);
  }
}
