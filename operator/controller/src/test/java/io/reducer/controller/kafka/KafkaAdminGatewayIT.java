package io.reducer.controller.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.reducer.testsupport.kafka.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Kafka gateway against a real broker. */
class KafkaAdminGatewayIT {

  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void readsLogEndOffsetsOfEveryPartitionOfSeveralTopicsInOneProbe() throws Exception {
    broker.createTopic("probe.state", 3);
    broker.createTopic("probe.dlq", 1);
    produce("probe.state", 0, 5);
    produce("probe.state", 2, 7);
    produce("probe.dlq", 0, 2);

    try (KafkaAdminGateway gateway = new KafkaAdminGateway(broker.clientProperties(), Duration.ofSeconds(10))) {
      Map<String, TopicOffsets> offsets = gateway.topicOffsets(List.of("probe.state", "probe.dlq"));

      TopicOffsets state = offsets.get("probe.state");
      assertThat(state.partitions()).isEqualTo(3);
      assertThat(new long[] {state.logEnd(0), state.logEnd(1), state.logEnd(2)}).containsExactly(5, 0, 7);
      assertThat(state.logStart(0)).isZero();
      assertThat(offsets.get("probe.dlq").logEnd(0)).isEqualTo(2);
    }
  }

  @Test
  void countsTheRequestsItSendsSoTheOperatorCanExportItsLoadOnTheBroker() throws Exception {
    broker.createTopic("counted.state", 4);
    try (KafkaAdminGateway gateway = new KafkaAdminGateway(broker.clientProperties(), Duration.ofSeconds(10))) {
      gateway.topicOffsets(List.of("counted.state"));
      long afterFirst = gateway.requestsSent();
      gateway.topicOffsets(List.of("counted.state"));
      long afterSecond = gateway.requestsSent();

      assertThat(afterFirst).as("the first probe's requests, connection set-up included").isPositive();
      // describe, earliest and latest offsets: the same few requests per probe, once the client is connected.
      assertThat(afterSecond - afterFirst).isBetween(3L, 6L);
    }
  }

  @Test
  void readsAGroupsCommittedOffsetsOfOneTopicWithTheirMetadata() throws Exception {
    broker.createTopic("committed.dlq", 2);
    broker.createTopic("committed.other", 1);
    try (var admin = broker.admin()) {
      admin.alterConsumerGroupOffsets("replay-group", Map.of(
          new TopicPartition("committed.dlq", 0), new OffsetAndMetadata(0, "{\"matched\":0}"),
          new TopicPartition("committed.dlq", 1), new OffsetAndMetadata(0, ""),
          new TopicPartition("committed.other", 0), new OffsetAndMetadata(0, "x"))).all().get();
    }

    try (KafkaAdminGateway gateway = new KafkaAdminGateway(broker.clientProperties(), Duration.ofSeconds(10))) {
      Map<Integer, CommittedOffset> committed = gateway.committedOffsetsWithMetadata("replay-group", "committed.dlq");

      assertThat(committed).containsOnlyKeys(0, 1);
      assertThat(committed.get(0).metadata()).isEqualTo("{\"matched\":0}");
      assertThat(gateway.committedOffsets("replay-group", "committed.dlq")).containsEntry(1, 0L);
      assertThat(gateway.committedOffsetsWithMetadata("no-such-group", "committed.dlq")).isEmpty();
    }
  }

  @Test
  void managesSeveralTopicsPerCallAndMapsTheBrokersRefusalsPerTopic() throws Exception {
    broker.createTopic("manage.existing", 1, Map.of("retention.ms", "3600000"));
    try (KafkaAdminGateway gateway = new KafkaAdminGateway(broker.clientProperties(), Duration.ofSeconds(10))) {
      TopicObservation before = gateway.describeTopicsWithConfigs(List.of("manage.existing", "manage.new",
          "manage.default"));
      assertThat(before.missing()).containsExactlyInAnyOrder("manage.new", "manage.default");
      assertThat(before.found().get("manage.existing")).isEqualTo(new ObservedTopic("manage.existing", 1, 1,
          Map.of("retention.ms", "3600000")));

      CreatedTopics created = gateway.createTopics(List.of(
          new TopicCreation("manage.new", 3, 1, Map.of("cleanup.policy", "compact")),
          new TopicCreation("manage.default", null, null, Map.of()),
          new TopicCreation("manage.rejected", 1, null, Map.of("cleanup.policy", "shred")),
          new TopicCreation("manage.replicated", 1, 3, Map.of()),
          new TopicCreation("manage.existing", 1, null, Map.of())));
      assertThat(created.partitions()).containsOnly(Map.entry("manage.new", 3), Map.entry("manage.default", 1));
      assertThat(created.failed().get("manage.rejected").reason()).isEqualTo(KafkaFailure.Reason.TopicConfigRejected);
      assertThat(created.failed().get("manage.rejected").getMessage()).contains("shred");
      assertThat(created.failed().get("manage.replicated").reason())
          .isEqualTo(KafkaFailure.Reason.InvalidTopicRequest);
      assertThat(created.failed().get("manage.existing").reason()).isEqualTo(KafkaFailure.Reason.TopicAlreadyExists);

      assertThat(gateway.createPartitions(Map.of("manage.existing", 2, "manage.new", 2))).satisfies(failed -> {
        assertThat(failed).containsOnlyKeys("manage.new");
        assertThat(failed.get("manage.new").reason()).isEqualTo(KafkaFailure.Reason.InvalidTopicRequest);
      });
      assertThat(gateway.setConfigs(Map.of("manage.existing", Map.of("segment.ms", "600000"),
          "manage.new", Map.of("cleanup.policy", "shred")))).satisfies(failed -> {
            assertThat(failed).containsOnlyKeys("manage.new");
            assertThat(failed.get("manage.new").reason()).isEqualTo(KafkaFailure.Reason.TopicConfigRejected);
          });

      // The broker applies a committed config change a moment later (KRaft): describe until it shows.
      await("the config change is visible").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        TopicObservation after = gateway.describeTopicsWithConfigs(List.of("manage.existing", "manage.new"));
        // SET leaves the other configs of the topic alone.
        assertThat(after.found().get("manage.existing")).isEqualTo(new ObservedTopic("manage.existing", 2, 1,
            Map.of("retention.ms", "3600000", "segment.ms", "600000")));
        assertThat(after.found().get("manage.new").overrides()).isEqualTo(Map.of("cleanup.policy", "compact"));
      });
    }
  }

  @Test
  void aMissingTopicIsReportedAsTopicNotFound() {
    try (KafkaAdminGateway gateway = new KafkaAdminGateway(broker.clientProperties(), Duration.ofSeconds(10))) {
      assertThatThrownBy(() -> gateway.topicOffsets(List.of("no.such.topic")))
          .isInstanceOfSatisfying(KafkaFailure.class, f -> assertThat(f.reason()).isEqualTo(KafkaFailure.Reason.TopicNotFound));
    }
  }

  @Test
  void anUnreachableBrokerIsReportedAsKafkaUnreachableWithinTheTimeout() {
    Map<String, Object> nowhere = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
    try (KafkaAdminGateway gateway = new KafkaAdminGateway(nowhere, Duration.ofSeconds(2))) {
      assertThatThrownBy(() -> gateway.topicOffsets(List.of("anything")))
          .isInstanceOfSatisfying(KafkaFailure.class, f -> {
            assertThat(f.reason()).isEqualTo(KafkaFailure.Reason.KafkaUnreachable);
            assertThat(f.getMessage()).contains("127.0.0.1:1").contains("spec.kafka.bootstrapServers");
          });
    }
  }

  private static void produce(String topic, int partition, int count) throws Exception {
    Properties props = new Properties();
    props.putAll(broker.clientProperties());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, partition, "k" + i, "v" + i)).get();
      }
    }
  }
}
