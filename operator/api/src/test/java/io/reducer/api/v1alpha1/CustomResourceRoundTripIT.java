package io.reducer.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.api.v1alpha1.common.HealthLevel;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import io.reducer.api.v1alpha1.projection.PartitionLag;
import io.reducer.testsupport.kubernetes.MockKubernetes;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The model against an API server with the committed CRDs installed (fabric8 mock server, CRUD mode). */
class CustomResourceRoundTripIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static MockKubernetes kubernetes;
  private static KubernetesClient client;

  @BeforeAll
  static void startApiServer() {
    kubernetes = MockKubernetes.withCommittedCrds();
    client = kubernetes.client();
  }

  @AfterAll
  static void stopApiServer() {
    kubernetes.close();
  }

  static List<Path> examples() {
    return Examples.files().toList();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleIsStoredAndReadBackUnchanged(Path file) throws Exception {
    CustomResource<?, ?> written = Examples.parse(file);
    written.getMetadata().setNamespace("roundtrip-" + written.getKind().toLowerCase());

    client.resource(written).create();
    CustomResource<?, ?> read = client.resources(written.getClass())
        .inNamespace(written.getMetadata().getNamespace()).withName(written.getMetadata().getName()).get();

    assertThat(read).as("stored %s", file.getFileName()).isNotNull();
    JsonNode readSpec = JSON.valueToTree(read.getSpec());
    assertThat(readSpec).as("spec of %s after a round trip", file.getFileName())
        .isEqualTo((JsonNode) JSON.valueToTree(written.getSpec()));
    // Nothing the example says is lost between the YAML, the model and the stored object.
    assertThat(JsonSubset.missing(Examples.tree(file).path("spec"), readSpec, "spec"))
        .as("fields of %s lost on the way", file.getFileName()).isEmpty();
  }

  @Test
  void statusPatchThroughTheSubresourceLeavesSpecUntouched() {
    Projection projection = new Projection();
    projection.getMetadata().setName("orders-view");
    projection.getMetadata().setNamespace("status");
    projection.setSpec(new ProjectionSpec());
    projection.getSpec().setPipelineRef(new io.reducer.api.v1alpha1.common.LocalReference("workflows"));
    Projection created = client.resource(projection).create();
    JsonNode specBefore = JSON.valueToTree(created.getSpec());

    ProjectionStatus status = new ProjectionStatus();
    status.setObservedGeneration(created.getMetadata().getGeneration());
    status.setPartitions(12);
    status.setReplicas(6);
    status.setConsumerLag(1234L);
    status.setHealth(HealthLevel.Warning);
    PartitionLag lag = new PartitionLag();
    lag.setPartition(0);
    lag.setLag(1234L);
    status.setPartitionLag(List.of(lag));
    status.getConditions().add(new Condition("Ready", ConditionStatus.True, "Reconciled", "materializers running"));
    created.setStatus(status);
    // A status write carrying a different spec must not change the spec.
    created.getSpec().setTable("hijacked");
    client.resource(created).updateStatus();

    Projection read = client.resources(Projection.class).inNamespace("status").withName("orders-view").get();
    assertThat(read.getStatus().getConsumerLag()).isEqualTo(1234L);
    assertThat(read.getStatus().getHealth()).isEqualTo(HealthLevel.Warning);
    assertThat(read.getStatus().condition("Ready")).get().extracting(Condition::getStatus)
        .isEqualTo(ConditionStatus.True);
    assertThat((JsonNode) JSON.valueToTree(read.getSpec())).isEqualTo(specBefore);
    assertThat(read.getSpec().getTable()).isEqualTo(ProjectionSpec.DEFAULT_TABLE);
  }

  @Test
  void statusPatchOfAOneShotKindKeepsItsImmutableSpec() {
    DlqReplay replay = new DlqReplay();
    replay.getMetadata().setName("replay-1");
    replay.getMetadata().setNamespace("status");
    replay.setSpec(new DlqReplaySpec());
    replay.getSpec().setPipelineRef(new io.reducer.api.v1alpha1.common.LocalReference("workflows"));
    DlqReplay created = client.resource(replay).create();

    DlqReplay patched = client.resources(DlqReplay.class).inNamespace("status").withName("replay-1")
        .editStatus(r -> {
          DlqReplayStatus s = new DlqReplayStatus();
          s.setPhase(DlqReplayPhase.AwaitingApproval);
          r.setStatus(s);
          return r;
        });

    assertThat(patched.getStatus().getPhase()).isEqualTo(DlqReplayPhase.AwaitingApproval);
    DlqReplay read = client.resources(DlqReplay.class).inNamespace("status").withName("replay-1").get();
    assertThat(read.getStatus().getPhase()).isEqualTo(DlqReplayPhase.AwaitingApproval);
    assertThat((JsonNode) JSON.valueToTree(read.getSpec())).isEqualTo(JSON.valueToTree(created.getSpec()));
  }

  @Test
  void resourcesAreListedByKindAndDeleted() {
    WatermarkReset reset = new WatermarkReset();
    reset.getMetadata().setName("reset-1");
    reset.getMetadata().setNamespace("crud");
    reset.setSpec(new WatermarkResetSpec());
    reset.getSpec().setProjectionRef(new io.reducer.api.v1alpha1.common.LocalReference("orders-view"));
    client.resource(reset).create();

    assertThat(client.resources(WatermarkReset.class).inNamespace("crud").list().getItems())
        .extracting(r -> r.getMetadata().getName()).containsExactly("reset-1");
    client.resources(WatermarkReset.class).inNamespace("crud").withName("reset-1").delete();
    assertThat(client.resources(WatermarkReset.class).inNamespace("crud").list().getItems()).isEmpty();
  }
}
