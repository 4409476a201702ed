package io.reducer.e2e.scenarios;

import static io.reducer.e2e.scenarios.ScenarioCluster.NAMESPACE;
import static io.reducer.e2e.scenarios.ScenarioCluster.PATIENCE;
import static io.reducer.e2e.scenarios.ScenarioResources.condition;
import static io.reducer.e2e.scenarios.ScenarioResources.dlqTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ProjectionStatus;
import io.reducer.api.v1alpha1.projection.PartitionLag;
import io.reducer.testsupport.ProjectLayout;
import io.reducer.testsupport.crd.CrdValidationResult;
import io.reducer.testsupport.crd.CrdValidator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input next to a healthy projection: a reference to another namespace, a pipeline whose Secret is missing, a
 * hostile table name, and poison events. Each gets its own clear condition or DLQ entry, none gets pods, and the
 * healthy projection keeps materializing with fresh status.
 */
class BadInputIT {

  @RegisterExtension
  static final ScenarioCluster cluster = new ScenarioCluster();

  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final String PIPELINE = "good";
  private static final String HOSTILE_TABLE = "x; DROP TABLE good_view";

  @Test
  void eachBadInputGetsItsConditionOrDeadLetterAndTheHealthyProjectionKeepsWorking() throws Exception {
    ScenarioResources resources = cluster.resources();
    // The reducer's canonical table, as in a running pipeline: the operator compares projections with it.
    cluster.database().execute("CREATE TABLE workflow_state (workflow_key text PRIMARY KEY, version bigint NOT NULL)");
    WatchedProjection healthy = cluster.pipelineWithProjection(PIPELINE, 2);
    try (StateCommittedProducer producer = cluster.producer(healthy.topic())) {
      producer.produce(400);
      healthy.awaitReadyAndHealthy();

      resources.create(Projection.class, ScenarioResources.manifest("Projection", "elsewhere",
          "pipelineRef: {name: " + PIPELINE + ", namespace: other-team}", "table: elsewhere_view"));
      resources.pipeline("locked", 1, "no-such-secret");
      resources.projection("locked-view", "locked", "locked_view");
      assertThat(admission(hostileProjection()).errors()).as("the API server's admission refuses it")
          .anySatisfy(error -> assertThat(error).contains("spec.table"));
      // Stored anyway, as on an API server with an outdated CRD: the operator's own check must hold.
      cluster.client().resource(hostileProjection()).create();
      producer.produce(400);
    }

    healthy.awaitCaughtUp();
    Map<Integer, Long> end = new TopicModel(cluster.kafkaBootstrapServers()).endOffsets(healthy.topic());
    await("the healthy projection's status follows the topic").atMost(PATIENCE).untilAsserted(() ->
        assertThat(healthy.status().getPartitionLag().stream()
            .collect(Collectors.toMap(PartitionLag::getPartition, PartitionLag::getLogEndOffset))).isEqualTo(end));
    healthy.awaitReadyAndHealthy();
    healthy.assertEqualsModel();
    assertPoisonIsDeadLetteredOnce(healthy);

    await("each bad input shows its reason").atMost(PATIENCE).untilAsserted(() -> {
      assertStalled(resources.projectionStatus("elsewhere"), "CrossNamespaceReference");
      assertStalled(resources.projectionStatus("locked-view"), "SecretNotFound");
      assertThat(condition(resources.pipelineStatus("locked"), "Stalled")).isEqualTo("True/SecretNotFound");
      assertStalled(resources.projectionStatus("hostile"), "InvalidTableName");
    });
    assertThat(resources.projectionStatus("elsewhere").condition("Stalled").orElseThrow().getMessage())
        .contains("other-team");
    assertThat(resources.projectionStatus("locked-view").condition("Stalled").orElseThrow().getMessage())
        .contains("no-such-secret");
    assertThat(resources.projectionStatus("hostile").condition("Stalled").orElseThrow().getMessage())
        .contains("spec.table");
    assertThat(cluster.client().apps().deployments().inNamespace(NAMESPACE).list().getItems())
        .as("no pods for what cannot work").extracting(d -> d.getMetadata().getName())
        .containsExactly("good-view-materializer");
    assertThat(cluster.database().tableExists("good_view")).isTrue();
  }

  /** Every poison record of the topic is in the DLQ with the headers an SRE filters and replays by. */
  private static void assertPoisonIsDeadLetteredOnce(WatchedProjection healthy) {
    String bootstrap = cluster.kafkaBootstrapServers();
    Map<String, String> poison = new TopicModel(bootstrap).poison(healthy.topic());
    List<DeadLetters.Letter> letters = DeadLetters.read(bootstrap, dlqTopic(PIPELINE));
    assertThat(poison).isNotEmpty();
    assertThat(letters).allSatisfy(letter -> {
      assertThat(letter.header("x-original-topic")).isEqualTo(healthy.topic());
      assertThat(letter.header("x-error-message")).isNotBlank();
      String kind = letter.value().equals(StateCommittedProducer.POISON_NOT_JSON) ? "DESERIALIZATION_ERROR"
          : "VALIDATION_ERROR";
      assertThat(letter.header("x-error-type")).as(letter.value()).isEqualTo(kind);
      assertThat(poison.get(letter.header("x-original-partition") + "/" + letter.header("x-original-offset")))
          .as("the original record of %s", letter.headers()).isEqualTo(letter.value());
    });
    // At-least-once by design (docs/materializer.md); with no crash here every poison record lands exactly once.
    assertThat(letters).extracting(l -> l.header("x-original-partition") + "/" + l.header("x-original-offset"))
        .containsExactlyInAnyOrderElementsOf(poison.keySet());
  }

  private static void assertStalled(ProjectionStatus status, String reason) {
    assertThat(condition(status, "Stalled")).isEqualTo("True/" + reason);
    assertThat(condition(status, "Ready")).isEqualTo("False/" + reason);
  }

  private static Projection hostileProjection() {
    return YAML.unmarshal(ScenarioResources.manifest("Projection", "hostile", "pipelineRef: {name: " + PIPELINE + "}",
        "table: '" + HOSTILE_TABLE + "'"), Projection.class);
  }

  private static CrdValidationResult admission(Projection projection) throws Exception {
    return CrdValidator.fromYaml(ProjectLayout.root().resolve("crds").resolve("projections.reducer.io-v1.yml"))
        .validateCreate(YAML.convertValue(projection, ObjectNode.class));
  }
}
