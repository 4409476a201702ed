package io.reducer.controller.app;

import static io.reducer.controller.app.OperatorFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ProjectionStatus;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.api.v1alpha1.common.HealthLevel;
import io.reducer.workloads.materializer.ProjectionSchema;
import io.reducer.workloads.materializer.TableOwner;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator against the mock API server (CRUD mode, our CRDs), a real broker and a real PostgreSQL:
 * Deployments follow partitions, pause and resume, lag shows in status, bad references give conditions,
 * and unchanged probes write nothing.
 */
class ProjectionOperatorIT {

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
  void deploymentFollowsPartitionsAndPauseResumeRestoresTheCount() throws Exception {
    fixture.kafka.createTopic("scale.state-committed", 3);
    fixture.pipeline("scale", fixture.kafka.bootstrapServers(), "pg", "scale");
    fixture.projection("scale-view", "scale", "  table: scale_view\n  materializer: {sessionTimeoutMs: 10000}");

    Deployment deployment = awaitDeploymentReplicas("scale-view-materializer", 3);
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactly("materialize");
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue())
            .isEqualTo("MATERIALIZER_SESSION_TIMEOUT_MS=10000"));
    assertThat(deployment.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(owner -> assertThat(owner.getKind()).isEqualTo("Projection"));
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      ProjectionStatus status = fixture.getProjection("scale-view").getStatus();
      assertThat(status.getPartitions()).isEqualTo(3);
      assertThat(status.getReplicas()).isEqualTo(3);
      assertThat(condition("scale-view", "Reconciling")).hasValueSatisfying(c ->
          assertThat(c.getReason()).isEqualTo("MaterializersNotReady"));
    });
    StatusCapture.capture(fixture.client, Projection.class, "scale-view", "progressing-materializers-not-ready");

    // What kubelet and the Deployment controller would report once the pods are up.
    markReady("scale-view-materializer", 3);
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      assertThat(condition("scale-view", "Ready")).hasValueSatisfying(c ->
          assertThat(c.getStatus()).isEqualTo(ConditionStatus.True));
      assertThat(condition("scale-view", "Reconciling")).isEmpty();
      assertThat(fixture.getProjection("scale-view").getStatus().getReadyReplicas()).isEqualTo(3);
    });
    StatusCapture.capture(fixture.client, Projection.class, "scale-view", "ready");

    fixture.kafka.admin().createPartitions(Map.of("scale.state-committed", NewPartitions.increaseTo(5))).all().get();
    awaitDeploymentReplicas("scale-view-materializer", 5);
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
        assertThat(fixture.getProjection("scale-view").getStatus().getPartitions()).isEqualTo(5));
    assertThat(events("scale-view")).anySatisfy(e -> assertThat(e).startsWith("ScaledUp:").contains("3 to 5"));

    edit("scale-view", p -> p.getSpec().setPaused(true));
    awaitDeploymentReplicas("scale-view-materializer", 0);
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
        assertThat(condition("scale-view", "Paused")).hasValueSatisfying(c -> {
          assertThat(c.getStatus()).isEqualTo(ConditionStatus.True);
          assertThat(c.getReason()).isEqualTo("SpecPaused");
        }));
    StatusCapture.capture(fixture.client, Projection.class, "scale-view", "paused-spec");

    edit("scale-view", p -> p.getSpec().setPaused(false));
    awaitDeploymentReplicas("scale-view-materializer", 5);
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      assertThat(condition("scale-view", "Paused")).hasValueSatisfying(c ->
          assertThat(c.getStatus()).isEqualTo(ConditionStatus.False));
      assertThat(events("scale-view")).anySatisfy(e -> assertThat(e).startsWith("Paused:"))
          .anySatisfy(e -> assertThat(e).startsWith("Resumed:"));
    });
  }

  @Test
  void aRefusedProjectionStillStopsWhenItOrItsPipelineIsPausedAndNothingElseChanges() throws Exception {
    fixture.kafka.createTopic("brake.state-committed", 2);
    fixture.pipeline("brake", fixture.kafka.bootstrapServers(), "pg", "brake");
    fixture.projection("brake-view", "brake", "  table: brake_view");
    String template = awaitDeploymentReplicas("brake-view-materializer", 2).getMetadata().getAnnotations()
        .get("reducer.io/template-hash");

    edit("brake-view", p -> p.getSpec().getMaterializer().setImage("elsewhere.test/reducer-workloads:2"));
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
        assertStalled("brake-view", "ImageNotAllowed", "elsewhere.test/reducer-workloads:2"));
    assertThat(deployment("brake-view-materializer").getSpec().getReplicas()).isEqualTo(2);
    StatusCapture.capture(fixture.client, Projection.class, "brake-view", "stalled-image-not-allowed");

    edit("brake-view", p -> p.getSpec().setPaused(true));
    awaitDeploymentReplicas("brake-view-materializer", 0);
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      assertStalled("brake-view", "ImageNotAllowed", "elsewhere.test/reducer-workloads:2");
      assertThat(condition("brake-view", "Paused")).hasValueSatisfying(c -> {
        assertThat(c.getStatus()).isEqualTo(ConditionStatus.True);
        assertThat(c.getReason()).isEqualTo("SpecPaused");
      });
      assertThat(fixture.getProjection("brake-view").getStatus().getReplicas()).isZero();
    });
    StatusCapture.capture(fixture.client, Projection.class, "brake-view", "stalled-and-paused");
    assertThat(events("brake-view")).anySatisfy(e -> assertThat(e).isEqualTo("Paused: Scaled materializers from 2 "
        + "to 0: spec.paused is true; the spec stays refused (ImageNotAllowed), so nothing else is changed"));

    // Unpaused but still refused: nothing comes back, and a count set by hand is left alone.
    edit("brake-view", p -> p.getSpec().setPaused(false));
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
        assertThat(condition("brake-view", "Paused")).hasValueSatisfying(c ->
            assertThat(c.getStatus()).isEqualTo(ConditionStatus.False)));
    fixture.client.apps().deployments().inNamespace(NAMESPACE).withName("brake-view-materializer").edit(d -> {
      d.getSpec().setReplicas(1);
      return d;
    });
    Thread.sleep(3_000); // three probe intervals
    assertThat(deployment("brake-view-materializer").getSpec().getReplicas()).isEqualTo(1);

    // The pipeline's circuit breaker stops it too.
    fixture.edit(ReducerPipeline.class, "brake", p -> p.getSpec().setPaused(true));
    awaitDeploymentReplicas("brake-view-materializer", 0);
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
        assertThat(condition("brake-view", "Paused")).hasValueSatisfying(c ->
            assertThat(c.getReason()).isEqualTo("PipelinePaused")));
    StatusCapture.capture(fixture.client, Projection.class, "brake-view", "stalled-and-paused-by-pipeline");
    Deployment stopped = deployment("brake-view-materializer");
    assertThat(stopped.getMetadata().getAnnotations()).containsEntry("reducer.io/template-hash", template);
    assertThat(stopped.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("registry.test/reducer-workloads:1");

    fixture.edit(ReducerPipeline.class, "brake", p -> p.getSpec().setPaused(false));
    edit("brake-view", p -> p.getSpec().getMaterializer().setImage(null));
    awaitDeploymentReplicas("brake-view-materializer", 2);
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(condition("brake-view", "Stalled")).isEmpty());
  }

  @Test
  void lagWithNoMaterializerRunningShowsInStatusAndUnchangedProbesWriteNothing() throws Exception {
    fixture.kafka.createTopic("lag.state-committed", 2);
    fixture.pipeline("lag", fixture.kafka.bootstrapServers(), "pg", "lag");
    fixture.projection("lag-view", "lag", "  table: lag_view");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(fixture.kafka.clientProperties(),
        new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < 120; i++) {
        producer.send(new ProducerRecord<>("lag.state-committed", "wf-" + i, "{\"workflow_key\":\"wf-" + i + "\"}"));
      }
    }

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      ProjectionStatus status = fixture.getProjection("lag-view").getStatus();
      assertThat(status.getConsumerLag()).isEqualTo(120L);
      assertThat(status.getPartitionLag()).extracting(p -> p.getLag()).containsExactlyInAnyOrder(
          status.getPartitionLag().get(0).getLag(), 120L - status.getPartitionLag().get(0).getLag());
      // Nothing applied yet, so the watermark lag cannot be known: absent and Unknown, never zero.
      assertThat(status.getWatermarkLagMs()).isNull();
      assertThat(status.getHealth()).isEqualTo(HealthLevel.Unknown);
    });

    String version = fixture.getProjection("lag-view").getMetadata().getResourceVersion();
    Thread.sleep(4_000); // four probe intervals with nothing new
    assertThat(fixture.getProjection("lag-view").getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(fixture.registry.scrape()).contains(
        "reducer_projection_consumer_lag{namespace=\"orders\",projection=\"lag-view\"} 120.0");
  }

  @Test
  void badReferencesAndAnUnreachableBrokerGiveConditionsThatSayWhatToFix() throws Exception {
    fixture.kafka.createTopic("refs.state-committed", 1);
    fixture.pipeline("refs", fixture.kafka.bootstrapServers(), "pg", "refs");
    fixture.pipeline("no-secret", fixture.kafka.bootstrapServers(), "absent-secret", "refs");
    fixture.pipeline("nowhere", "127.0.0.1:1", "pg", "refs");

    fixture.projection("orphan", "missing-pipeline", "");
    fixture.projection("elsewhere", "refs", "").getSpec();
    edit("elsewhere", p -> p.getSpec().getPipelineRef().setNamespace("payments"));
    fixture.projection("secretless", "no-secret", "");
    fixture.projection("unreachable", "nowhere", "");

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertStalled("orphan", "PipelineNotFound", "does not exist");
      assertStalled("elsewhere", "CrossNamespaceReference", "payments");
      assertStalled("secretless", "SecretNotFound", "absent-secret");
      assertThat(condition("unreachable", "Degraded")).hasValueSatisfying(c -> {
        assertThat(c.getStatus()).isEqualTo(ConditionStatus.True);
        assertThat(c.getReason()).isEqualTo("KafkaUnreachable");
        assertThat(c.getMessage()).contains("127.0.0.1:1");
      });
      assertThat(fixture.getProjection("unreachable").getStatus().getConsumerLag()).isNull();
      assertThat(fixture.getProjection("unreachable").getStatus().getHealth()).isEqualTo(HealthLevel.Unknown);
    });
    assertThat(fixture.client.apps().deployments().inNamespace(NAMESPACE).withName("orphan-materializer").get())
        .isNull();
    // A refused projection keeps its gauges across probe rounds: health Unknown, lag NaN rather than missing.
    Thread.sleep(3_000);
    assertThat(fixture.registry.scrape())
        .contains("reducer_projection_health{level=\"Unknown\",namespace=\"orders\",projection=\"orphan\"} 1.0")
        .contains("reducer_projection_consumer_lag{namespace=\"orders\",projection=\"orphan\"} NaN");

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(pipelineCondition("refs", "KafkaReachable")).isEqualTo(ConditionStatus.True + "/Connected");
      assertThat(pipelineCondition("refs", "DatabaseReachable")).isEqualTo(ConditionStatus.True + "/Connected");
      assertThat(pipelineCondition("refs", "Ready")).isEqualTo(ConditionStatus.True + "/Connected");
      assertThat(pipelineCondition("no-secret", "DatabaseReachable")).isEqualTo(ConditionStatus.False
          + "/SecretNotFound");
      assertThat(pipelineCondition("no-secret", "Stalled")).isEqualTo(ConditionStatus.True + "/SecretNotFound");
      assertThat(pipelineCondition("nowhere", "KafkaReachable")).isEqualTo(ConditionStatus.False
          + "/KafkaUnreachable");
    });
  }

  @Test
  void aProjectionNamingATableAnotherProjectionOwnsIsStalledAndNeverScaledUp() throws Exception {
    fixture.kafka.createTopic("owned.state-committed", 3);
    fixture.pipeline("owned", fixture.kafka.bootstrapServers(), "pg", "owned");
    // What the first projection's materializer recorded when it started on the table.
    try (Connection connection = fixture.postgres.connect()) {
      connection.setAutoCommit(false);
      ProjectionSchema.prepare(connection, "public", "owned_view", TableOwner.of(NAMESPACE, "first-view", "uid-1"));
    }

    fixture.projection("second-view", "owned", "  table: owned_view");

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertStalled("second-view", "TableOwnedByOtherProjection", "belongs to Projection " + NAMESPACE
            + "/first-view (uid uid-1)"));
    assertThat(events("second-view")).anySatisfy(e -> assertThat(e).startsWith("Refused:").contains("first-view"));
    Thread.sleep(3_000); // three probe intervals: three partitions would have meant three materializers
    Deployment deployment = deployment("second-view-materializer");
    assertThat(deployment == null ? 0 : deployment.getSpec().getReplicas()).isZero();
  }

  @Test
  void aFailedApiRequestShowsInStatusUntilARetryGetsThrough() throws Exception {
    fixture.kafka.createTopic("refused.state-committed", 2);
    fixture.pipeline("refused", fixture.kafka.bootstrapServers(), "pg", "refused");
    try (var refused = fixture.kubernetes.refuseWrites("/apis/apps/v1/namespaces/" + NAMESPACE + "/deployments")) {
      fixture.projection("refused-view", "refused", "  table: refused_view");

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(condition("refused-view", "Reconciling")).hasValueSatisfying(c -> {
            assertThat(c.getStatus()).isEqualTo(ConditionStatus.True);
            assertThat(c.getReason()).isEqualTo("KubernetesApiError");
            assertThat(c.getMessage()).contains("(503)").contains("the test refuses writes");
          }));
      assertThat(deployment("refused-view-materializer")).isNull();
    }

    awaitDeploymentReplicas("refused-view-materializer", 2);
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
        assertThat(condition("refused-view", "Reconciling").map(Condition::getReason))
            .isNotEqualTo(Optional.of("KubernetesApiError")));
  }

  private static void assertStalled(String projection, String reason, String messagePart) {
    assertThat(condition(projection, "Stalled")).hasValueSatisfying(c -> {
      assertThat(c.getStatus()).isEqualTo(ConditionStatus.True);
      assertThat(c.getReason()).isEqualTo(reason);
      assertThat(c.getMessage()).contains(messagePart);
    });
    assertThat(condition(projection, "Ready")).hasValueSatisfying(c ->
        assertThat(c.getStatus()).isEqualTo(ConditionStatus.False));
  }

  private static String pipelineCondition(String pipeline, String type) {
    var status = fixture.getPipeline(pipeline).getStatus();
    return status == null ? null
        : status.condition(type).map(c -> c.getStatus() + "/" + c.getReason()).orElse(null);
  }

  private static Optional<Condition> condition(String projection, String type) {
    Projection current = fixture.getProjection(projection);
    return current.getStatus() == null ? Optional.empty() : current.getStatus().condition(type);
  }

  private static Deployment awaitDeploymentReplicas(String name, int replicas) {
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      Deployment d = fixture.client.apps().deployments().inNamespace(NAMESPACE).withName(name).get();
      assertThat(d).isNotNull();
      assertThat(d.getSpec().getReplicas()).isEqualTo(replicas);
    });
    return fixture.client.apps().deployments().inNamespace(NAMESPACE).withName(name).get();
  }

  private static Deployment deployment(String name) {
    return fixture.client.apps().deployments().inNamespace(NAMESPACE).withName(name).get();
  }

  private static void markReady(String deployment, int ready) {
    fixture.client.apps().deployments().inNamespace(NAMESPACE).withName(deployment).editStatus(d -> {
      d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(ready)
          .withReadyReplicas(ready).withAvailableReplicas(ready).build());
      return d;
    });
  }

  private static void edit(String projection, java.util.function.Consumer<Projection> change) {
    fixture.edit(Projection.class, projection, change);
  }

  private static List<String> events(String involved) {
    return fixture.client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> involved.equals(e.getInvolvedObject().getName()))
        .map(e -> e.getReason() + ": " + e.getMessage()).toList();
  }
}
