package io.reducer.controller.app;

import static io.reducer.controller.app.OperatorFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.WatermarkResetStatus;
import io.reducer.api.v1alpha1.reset.PartitionPlan;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import io.reducer.controller.reset.ResetHold;
import io.reducer.controller.workload.ReducerDeployment;
import io.reducer.testsupport.kubernetes.Annotations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A WatermarkReset of a pipeline's reducers (spec.pipelineRef), with the operator on the mock API server (no pods)
 * and a real broker and PostgreSQL: the reducers' progress is a committed offset of their consumer group, made by the
 * test. The reset holds the reducers at zero while it waits for approval, across an operator restart, moves the
 * group's offsets to the log start, and lets the reducers come back; the pipeline's projection runs throughout.
 */
class ReducerResetIT {

  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String ACTIONS = "rr.actions";
  private static final int PARTITIONS = 3;
  private static final String GROUP = "reducer." + NAMESPACE + ".pipeline.rr";

  private static OperatorFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = new OperatorFixture();
    fixture.databaseSecret("pg");
    fixture.startOperator();
    await().atMost(PATIENCE).until(fixture::operatorReady);
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void aResetOfTheReducersHoldsThemMovesTheirGroupToTheLogStartAfterApprovalAndLeavesTheProjectionRunning()
      throws Exception {
    fixture.kafka.createTopic(ACTIONS, PARTITIONS);
    fixture.kafka.createTopic("rr.state-committed", 2);
    produceActions(10);
    deleteRecordsBefore(0, 3);
    // What the reducers would have committed after applying some actions.
    commit(Map.of(0, 10L, 1, 7L, 2, 10L));
    fixture.pipeline("rr", fixture.kafka.bootstrapServers(), "pg", "rr", 2);
    fixture.projection("rr-view", "rr", "  table: rr_view");
    awaitReplicas("rr-reducer", 2);
    awaitReplicas("rr-view-materializer", 2);
    assertThat(ReducerDeployment.consumerGroup(fixture.getPipeline("rr"))).isEqualTo(GROUP);

    fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE).resource(YAML.unmarshal(String.join("\n",
        "apiVersion: reducer.io/v1alpha1",
        "kind: WatermarkReset",
        "metadata: {name: rr-rewind, namespace: " + NAMESPACE + "}",
        "spec:",
        "  pipelineRef: {name: rr}",
        "  target: {type: earliest}",
        "  approval: Manual"), WatermarkReset.class)).create();

    awaitPhase("rr-rewind", WatermarkResetPhase.AwaitingApproval);
    awaitReplicas("rr-reducer", 0);
    assertThat(fixture.getPipeline("rr").getMetadata().getAnnotations()).containsEntry(ResetHold.ANNOTATION,
        "rr-rewind");
    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(condition("rr", "ReducersReady")).isEqualTo("True/ResetInProgress");
      assertThat(condition("rr", "Paused")).isEqualTo("False/Running");
      assertThat(pipelineStatus("rr").getActiveReset()).isEqualTo("rr-rewind");
    });
    StatusCapture.capture(fixture.client, ReducerPipeline.class, "rr", "reducers-held-by-reset");
    StatusCapture.capture(fixture.client, WatermarkReset.class, "rr-rewind", "awaiting-approval-reducers");
    WatermarkResetStatus planned = status("rr-rewind");
    assertThat(planned.getPlan().getTopic()).isEqualTo(ACTIONS);
    assertThat(planned.getPlan().getConsumerGroup()).isEqualTo(GROUP);
    assertThat(planned.getPlan().getCurrentEpoch()).isNull();
    assertThat(planned.getPlan().getNewEpoch()).isNull();
    assertThat(planned.getPlan().isTruncate()).isFalse();
    assertThat(planned.getReplicasBeforeQuiesce()).isEqualTo(2);
    assertThat(planned.getJobName()).isNull();
    assertThat(planned.getPlan().getPartitions()).extracting(PartitionPlan::getPartition).containsExactly(0, 1, 2);
    assertThat(planned.getPlan().getPartitions()).extracting(PartitionPlan::getCurrentOffset)
        .containsExactly(10L, 7L, 10L);
    assertThat(planned.getPlan().getPartitions()).extracting(PartitionPlan::getNewOffset).containsExactly(3L, 0L, 0L);
    assertThat(planned.getPlan().getPartitions()).extracting(PartitionPlan::getLogEndOffset)
        .containsExactly(10L, 10L, 10L);
    assertThat(committed()).as("nothing moves before approval").isEqualTo(Map.of(0, 10L, 1, 7L, 2, 10L));
    assertThat(deployment("rr-view-materializer").getSpec().getReplicas()).isEqualTo(2);
    await().atMost(PATIENCE).untilAsserted(() ->
        assertThat(projectionCondition("rr-view", "Paused")).isEqualTo("False/Running"));

    // An operator restart while the reset waits changes nothing about it: the hold and the plan are in the cluster.
    fixture.stopOperator();
    fixture.startOperator();
    await().atMost(PATIENCE).until(fixture::operatorReady);
    assertThat(phase("rr-rewind")).isEqualTo(WatermarkResetPhase.AwaitingApproval);
    assertThat(deployment("rr-reducer").getSpec().getReplicas()).isZero();

    Annotations.annotate(fixture.client, WatermarkReset.class, NAMESPACE, "rr-rewind", "reducer.io/approve", "true");
    awaitPhase("rr-rewind", WatermarkResetPhase.Completed);
    StatusCapture.capture(fixture.client, WatermarkReset.class, "rr-rewind", "completed");
    assertThat(committed()).isEqualTo(Map.of(0, 3L, 1, 0L, 2, 0L));
    awaitReplicas("rr-reducer", 2);
    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(fixture.getPipeline("rr").getMetadata().getAnnotations()).doesNotContainKey(ResetHold.ANNOTATION);
      assertThat(pipelineStatus("rr").getActiveReset()).isNull();
      assertThat(condition("rr", "ReducersReady")).isNotEqualTo("True/ResetInProgress");
    });
    assertThat(status("rr-rewind").getHistory()).extracting(h -> h.getPhase()).containsExactly("Pending",
        "Quiescing", "Planned", "AwaitingApproval", "Resetting", "Resuming", "Completed");
    assertThat(events("rr")).contains("Paused: Scaled reducers from 2 to 0: WatermarkReset rr-rewind holds them "
        + "while it moves their consumer group's offsets; the projections keep running",
        "Resumed: Reducers scaled back to 2: WatermarkReset rr-rewind released them");

    // The projection of that pipeline was never paused.
    assertThat(deployment("rr-view-materializer").getSpec().getReplicas()).isEqualTo(2);
    assertThat(events("rr-view")).noneMatch(e -> e.startsWith("Paused:"));
    assertThat(fixture.getProjection("rr-view").getMetadata().getAnnotations() == null
        || !fixture.getProjection("rr-view").getMetadata().getAnnotations().containsKey(ResetHold.ANNOTATION))
        .isTrue();
  }

  private static void produceActions(int perPartition) throws Exception {
    Map<String, Object> properties = fixture.kafka.clientProperties();
    properties.put("key.serializer", StringSerializer.class.getName());
    properties.put("value.serializer", StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
      for (int p = 0; p < PARTITIONS; p++) {
        for (int i = 0; i < perPartition; i++) {
          producer.send(new ProducerRecord<>(ACTIONS, p, "wf-" + p + "-" + i, "{\"action\":\"start\"}"));
        }
      }
      producer.flush();
    }
  }

  /** Moves partition {@code partition}'s log start to {@code offset}, so earliest is not simply 0. */
  private static void deleteRecordsBefore(int partition, long offset) throws Exception {
    try (Admin admin = fixture.kafka.admin()) {
      admin.deleteRecords(Map.of(new TopicPartition(ACTIONS, partition), RecordsToDelete.beforeOffset(offset)))
          .all().get(20, TimeUnit.SECONDS);
    }
  }

  /** Commits offsets for the reducers' group as a reducer would, then leaves the group. */
  private static void commit(Map<Integer, Long> offsets) {
    try (KafkaConsumer<String, String> consumer = consumer()) {
      List<TopicPartition> partitions = new ArrayList<>();
      Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
      offsets.forEach((p, o) -> {
        partitions.add(new TopicPartition(ACTIONS, p));
        commit.put(new TopicPartition(ACTIONS, p), new OffsetAndMetadata(o));
      });
      consumer.assign(partitions);
      consumer.commitSync(commit);
    }
  }

  private static Map<Integer, Long> committed() throws Exception {
    try (Admin admin = fixture.kafka.admin()) {
      Map<Integer, Long> offsets = new TreeMap<>();
      admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS)
          .forEach((tp, o) -> {
            if (o != null && tp.topic().equals(ACTIONS)) {
              offsets.put(tp.partition(), o.offset());
            }
          });
      return offsets;
    }
  }

  private static KafkaConsumer<String, String> consumer() {
    Map<String, Object> properties = fixture.kafka.clientProperties();
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
    properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "reducer-stand-in");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return new KafkaConsumer<>(properties);
  }

  private static void awaitReplicas(String name, int replicas) {
    await().atMost(PATIENCE).untilAsserted(() -> {
      Deployment d = deployment(name);
      assertThat(d).as(name).isNotNull();
      assertThat(d.getSpec().getReplicas()).as(name).isEqualTo(replicas);
    });
  }

  private static void awaitPhase(String reset, WatermarkResetPhase phase) {
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(phase(reset)).as(() -> reset + ": "
        + Optional.ofNullable(status(reset)).map(WatermarkResetStatus::getMessage).orElse("no status"))
        .isEqualTo(phase));
  }

  private static Deployment deployment(String name) {
    return fixture.client.apps().deployments().inNamespace(NAMESPACE).withName(name).get();
  }

  private static WatermarkResetStatus status(String name) {
    WatermarkReset reset = fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE).withName(name).get();
    return reset == null ? null : reset.getStatus();
  }

  private static WatermarkResetPhase phase(String name) {
    return Optional.ofNullable(status(name)).map(WatermarkResetStatus::getPhase).orElse(null);
  }

  private static ReducerPipelineStatus pipelineStatus(String pipeline) {
    ReducerPipeline p = fixture.getPipeline(pipeline);
    return p.getStatus() == null ? new ReducerPipelineStatus() : p.getStatus();
  }

  private static String condition(String pipeline, String type) {
    return pipelineStatus(pipeline).condition(type).map(c -> c.getStatus() + "/" + c.getReason()).orElse(null);
  }

  private static String projectionCondition(String projection, String type) {
    Projection p = fixture.getProjection(projection);
    return p == null || p.getStatus() == null ? null
        : p.getStatus().condition(type).map(c -> c.getStatus() + "/" + c.getReason()).orElse(null);
  }

  private static List<String> events(String involved) {
    return fixture.client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> involved.equals(e.getInvolvedObject().getName()))
        .map(e -> e.getReason() + ": " + e.getMessage()).toList();
  }
}
