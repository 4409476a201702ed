package io.reducer.e2e.scenarios;

import static io.reducer.e2e.scenarios.ScenarioCluster.NAMESPACE;
import static io.reducer.e2e.scenarios.ScenarioCluster.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.DlqReplayStatus;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import io.reducer.testsupport.kubernetes.Annotations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kill -9 of a replay pod mid-way: Kubernetes starts another pod of the Job, which resumes after the last committed
 * transaction, and a read_committed consumer of the target sees every DLQ record of the snapshot exactly once.
 */
class ReplayKillIT {

  @RegisterExtension
  static final ScenarioCluster cluster = new ScenarioCluster();

  private static final String DLQ = "replaykill.envelopes";
  private static final String TARGET = "replaykill.repaired";
  private static final int RECORDS = 6_000;

  @Test
  void aKilledReplayPodIsRetriedAndEveryRecordLandsOnce() throws Exception {
    cluster.resources().pipeline("replaykill", 1, "pg");
    cluster.createTopic(DLQ, 2);
    cluster.createTopic(TARGET, 2);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(cluster.kafkaClientProperties(),
        new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < RECORDS; i++) {
        producer.send(new ProducerRecord<>(DLQ, "k-" + i, "{\"original_topic\":\"" + TARGET + "\","
            + "\"original_payload\":\"payload-" + i + "\",\"error_type\":\"VALIDATION_ERROR\","
            + "\"correlation_id\":\"c-" + i + "\"}"));
      }
    }
    // The rate limit stretches the replay over a few seconds, so the kill lands mid-way.
    cluster.resources().create(DlqReplay.class, ScenarioResources.manifest("DlqReplay", "repair",
        "pipelineRef: {name: replaykill}", "dlqTopic: " + DLQ, "ratePerSecond: 1000", "approval: Manual"));
    await("preview").atMost(PATIENCE).until(() -> phase() == DlqReplayPhase.AwaitingApproval);
    assertThat(status().getPreview().getMatched()).isEqualTo(RECORDS);

    Annotations.annotate(cluster.client(), DlqReplay.class, NAMESPACE, "repair", "reducer.io/approve", "true");
    await("some records replayed").atMost(PATIENCE).until(() ->
        status().getProgress() != null && status().getProgress().getReplayed() > 0);
    Pod running = cluster.client().pods().inNamespace(NAMESPACE).withLabel("job-name", "repair-replay").list()
        .getItems().stream().filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
        .findFirst().orElseThrow();
    cluster.killPod(running.getMetadata().getName());

    await("replay finished").atMost(PATIENCE).until(() -> phase() == DlqReplayPhase.Succeeded);
    Job job = cluster.client().batch().v1().jobs().inNamespace(NAMESPACE).withName("repair-replay").get();
    assertThat(job.getStatus().getFailed()).as("the killed pod counts as a failure").isEqualTo(1);
    assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
    assertThat(status().getProgress().getReplayed()).isEqualTo(RECORDS);

    List<String> seen = readCommitted(TARGET);
    Set<String> distinct = new HashSet<>(seen);
    assertThat(seen).as("records in the target, read_committed").hasSize(RECORDS);
    assertThat(distinct).hasSize(RECORDS);
  }

  private static DlqReplayStatus status() {
    DlqReplay replay = cluster.client().resources(DlqReplay.class).inNamespace(NAMESPACE).withName("repair").get();
    return replay == null || replay.getStatus() == null ? new DlqReplayStatus() : replay.getStatus();
  }

  private static DlqReplayPhase phase() {
    return status().getPhase();
  }

  private static List<String> readCommitted(String topic) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrapServers());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + UUID.randomUUID());
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(properties, new StringDeserializer(),
        new StringDeserializer())) {
      List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
      reader.assign(partitions);
      reader.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = reader.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (!partitions.stream().allMatch(p -> reader.position(p) >= end.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
    }
    return values;
  }
}
