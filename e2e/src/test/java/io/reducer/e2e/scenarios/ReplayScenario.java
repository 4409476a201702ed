package io.reducer.e2e.scenarios;

import static io.reducer.e2e.scenarios.ScenarioCluster.NAMESPACE;
import static io.reducer.e2e.scenarios.ScenarioCluster.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.DlqReplayStatus;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import io.reducer.testsupport.kubernetes.Annotations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One DlqReplay of its own dead-letter topic, {@code <name>.dlq}, filled with the runbooks' JSON envelopes
 * ({@code payload-0}, {@code payload-1}, ...) that all go back to {@code <name>.repaired}; both topics have two
 * partitions. Its status, Jobs, pods and Events as kubectl shows them, and the target as a read_committed consumer
 * sees it.
 */
final class ReplayScenario {

  private static final int PARTITIONS = 2;

  private final ScenarioCluster cluster;
  private final String pipeline;
  private final String name;
  private final String topics;
  private final int records;

  private ReplayScenario(ScenarioCluster cluster, String pipeline, String name, String topics, int records) {
    this.cluster = cluster;
    this.pipeline = pipeline;
    this.name = name;
    this.topics = topics;
    this.records = records;
  }

  /** Creates the DLQ and the target and writes {@code records} envelopes to the DLQ; the DlqReplay comes later. */
  static ReplayScenario seed(ScenarioCluster cluster, String pipeline, String name, int records) {
    ReplayScenario scenario = new ReplayScenario(cluster, pipeline, name, name, records);
    cluster.createTopic(scenario.dlqTopic(), PARTITIONS);
    cluster.createTopic(scenario.targetTopic(), PARTITIONS);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(cluster.kafkaClientProperties(),
        new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < records; i++) {
        producer.send(new ProducerRecord<>(scenario.dlqTopic(), "k-" + i, "{\"original_topic\":\""
            + scenario.targetTopic() + "\",\"original_payload\":\"payload-" + i + "\","
            + "\"error_type\":\"VALIDATION_ERROR\",\"correlation_id\":\"c-" + i + "\"}"));
      }
    }
    return scenario;
  }

  String name() {
    return name;
  }

  /** Another DlqReplay, named {@code other}, of the same DLQ and target (created with {@link #create}). */
  ReplayScenario another(String other) {
    return new ReplayScenario(cluster, pipeline, other, topics, records);
  }

  int records() {
    return records;
  }

  String dlqTopic() {
    return topics + ".dlq";
  }

  String targetTopic() {
    return topics + ".repaired";
  }

  /** kubectl apply of the DlqReplay of this DLQ, with {@code specLines} (approval, ratePerSecond) under spec. */
  void create(String... specLines) {
    // The target is not one of the pipeline's topics, so the spec must allow it: the envelopes name it.
    List<String> spec = new ArrayList<>(List.of("pipelineRef: {name: " + pipeline + "}", "dlqTopic: " + dlqTopic(),
        "allowedTargets: [" + targetTopic() + "]"));
    spec.addAll(List.of(specLines));
    cluster.resources().create(DlqReplay.class,
        ScenarioResources.manifest("DlqReplay", name, spec.toArray(String[]::new)));
  }

  /** kubectl annotate dlqr NAME reducer.io/approve=true */
  void approve() {
    Annotations.annotate(cluster.client(), DlqReplay.class, NAMESPACE, name, "reducer.io/approve", "true");
  }

  DlqReplayStatus status() {
    DlqReplay replay = cluster.client().resources(DlqReplay.class).inNamespace(NAMESPACE).withName(name).get();
    return replay == null || replay.getStatus() == null ? new DlqReplayStatus() : replay.getStatus();
  }

  DlqReplayPhase phase() {
    return status().getPhase();
  }

  DlqReplayStatus awaitPhase(DlqReplayPhase phase) {
    await("replay " + name + " reaches " + phase).atMost(PATIENCE).untilAsserted(() ->
        assertThat(phase()).isEqualTo(phase));
    return status();
  }

  /** Records replayed so far, as the operator last read them from the replay's committed checkpoints. */
  long replayed() {
    DlqReplayStatus status = status();
    return status.getProgress() == null ? 0 : status.getProgress().getReplayed();
  }

  /** Waits until the replay Job has committed some records: the replay is mid-way (with a rate limit). */
  void awaitSomeReplayed() {
    await("some records of " + name + " replayed").atMost(PATIENCE).until(() -> replayed() > 0);
  }

  String inspectJobName() {
    return name + "-inspect";
  }

  String replayJobName() {
    return name + "-replay";
  }

  /** The Job of that name, or null. */
  Job job(String job) {
    return cluster.client().batch().v1().jobs().inNamespace(NAMESPACE).withName(job).get();
  }

  static boolean succeeded(Job job) {
    return job != null && job.getStatus() != null && Integer.valueOf(1).equals(job.getStatus().getSucceeded());
  }

  /** The pods Kubernetes ran for the Job (label job-name). */
  List<Pod> pods(String job) {
    return cluster.client().pods().inNamespace(NAMESPACE).withLabel("job-name", job).list().getItems();
  }

  Pod runningPod(String job) {
    return pods(job).stream().filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
        .findFirst().orElseThrow(() -> new AssertionError("no running pod of Job " + job));
  }

  /** The Events with {@code reason} on this DlqReplay, as kubectl describe lists them. */
  List<Event> events(String reason) {
    return cluster.client().v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())).toList();
  }

  /** Each reason was recorded once: one Event, count 1. */
  void assertRecordedOnce(String... reasons) {
    for (String reason : reasons) {
      assertThat(events(reason)).as("Events %s of %s", reason, name).singleElement()
          .extracting(Event::getCount).isEqualTo(1);
    }
  }

  /** Every DLQ record is in the target exactly once for a read_committed consumer, and progress counts them. */
  void assertEveryRecordReplayedOnce() {
    assertThat(status().getProgress().getReplayed()).as("progress.replayed").isEqualTo(records);
    assertThat(readCommitted(targetTopic())).as("values in %s, read_committed", targetTopic())
        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, records).mapToObj(i -> "payload-" + i).toList());
  }

  /** The values of {@code topic} up to its last stable offset, as a read_committed consumer outside any group. */
  private List<String> readCommitted(String topic) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrapServers());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + UUID.randomUUID());
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(properties, new StringDeserializer(),
        new StringDeserializer())) {
      List<TopicPartition> partitions = IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topic, p))
          .toList();
      reader.assign(partitions);
      reader.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = reader.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (!partitions.stream().allMatch(p -> reader.position(p) >= end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end " + end);
        }
        reader.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
      }
    }
    return values;
  }
}
