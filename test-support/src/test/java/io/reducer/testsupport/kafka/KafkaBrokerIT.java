package io.reducer.testsupport.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KafkaBrokerIT {

  private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(30);

  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    long started = System.nanoTime();
    broker = KafkaBroker.start();
    System.out.printf("broker first start (format + start + ready): %d ms%n", millisSince(started));
  }

  @AfterAll
  static void closeBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void producesAndConsumesWithKeysValuesAndHeaders() throws Exception {
    broker.createTopic("plain", 3);
    try (Admin admin = broker.admin()) {
      assertThat(admin.describeTopics(List.of("plain")).allTopicNames().get().get("plain").partitions())
          .hasSize(3);
    }

    try (KafkaProducer<String, String> producer = producer(Map.of())) {
      for (int i = 0; i < 30; i++) {
        ProducerRecord<String, String> record = new ProducerRecord<>("plain", "key-" + i, "value-" + i);
        record.headers().add("trace", ("t-" + i).getBytes(StandardCharsets.UTF_8));
        producer.send(record).get(30, TimeUnit.SECONDS);
      }
    }

    List<ConsumerRecord<String, String>> records = consumeWithGroup("plain", "plain-group", 30);
    assertThat(records).extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 30).mapToObj(i -> "key-" + i).toList());
    for (ConsumerRecord<String, String> record : records) {
      String n = record.key().substring("key-".length());
      assertThat(record.value()).isEqualTo("value-" + n);
      Header trace = record.headers().lastHeader("trace");
      assertThat(new String(trace.value(), StandardCharsets.UTF_8)).isEqualTo("t-" + n);
    }
    assertThat(records.stream().map(ConsumerRecord::partition).collect(Collectors.toSet()))
        .as("thirty keys spread over all three partitions").containsExactlyInAnyOrder(0, 1, 2);
  }

  @Test
  void readCommittedSeesCommittedTransactionsOnly() throws Exception {
    broker.createTopic("tx", 1);
    Map<String, Object> transactional = Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-producer");
    try (KafkaProducer<String, String> producer = producer(transactional)) {
      producer.initTransactions();

      producer.beginTransaction();
      producer.send(new ProducerRecord<>("tx", "a", "committed-1"));
      producer.commitTransaction();

      producer.beginTransaction();
      producer.send(new ProducerRecord<>("tx", "b", "aborted")).get(30, TimeUnit.SECONDS);
      producer.abortTransaction();

      producer.beginTransaction();
      producer.send(new ProducerRecord<>("tx", "c", "committed-2"));
      producer.commitTransaction();
    }

    assertThat(values(consumeAll("tx", "read_committed", 2)))
        .containsExactly("committed-1", "committed-2");
    // The aborted record really reached the log: only the isolation level hides it.
    assertThat(values(consumeAll("tx", "read_uncommitted", 3)))
        .containsExactly("committed-1", "aborted", "committed-2");
  }

  @Test
  void dataSurvivesKillAndRestart() throws Exception {
    broker.createTopic("crash", 2);
    produce("crash", "before-kill-", 10);

    broker.kill();
    assertThat(broker.isRunning()).isFalse();
    long restarted = System.nanoTime();
    broker.restart();
    System.out.printf("broker restart after kill: %d ms%n", millisSince(restarted));
    assertThat(broker.isRunning()).isTrue();

    assertThat(values(consumeAll("crash", "read_committed", 10)))
        .containsExactlyInAnyOrderElementsOf(expected("before-kill-", 10));
    produce("crash", "after-kill-", 5);
    assertThat(values(consumeAll("crash", "read_committed", 15)))
        .hasSize(15).containsAll(expected("after-kill-", 5));
  }

  @Test
  void dataSurvivesStopAndRestart() throws Exception {
    broker.createTopic("graceful", 1);
    produce("graceful", "before-stop-", 10);

    long stopping = System.nanoTime();
    broker.stop();
    System.out.printf("broker graceful stop: %d ms%n", millisSince(stopping));
    assertThat(broker.isRunning()).isFalse();
    long restarted = System.nanoTime();
    broker.restart();
    System.out.printf("broker restart after stop: %d ms%n", millisSince(restarted));

    assertThat(values(consumeAll("graceful", "read_committed", 10)))
        .containsExactlyElementsOf(expected("before-stop-", 10));
    produce("graceful", "after-stop-", 5);
    assertThat(values(consumeAll("graceful", "read_committed", 15)))
        .endsWith(expected("after-stop-", 5).toArray(String[]::new));
  }

  @Test
  void transactionsWorkAfterKill() throws Exception {
    broker.createTopic("tx-crash", 1);
    broker.kill();
    long restarted = System.nanoTime();
    broker.restart();
    System.out.printf("broker restart after kill: %d ms%n", millisSince(restarted));
    Map<String, Object> transactional = Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-after-kill");
    try (KafkaProducer<String, String> producer = producer(transactional)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("tx-crash", "k", "committed"));
      producer.commitTransaction();
    }
    assertThat(values(consumeAll("tx-crash", "read_committed", 1))).containsExactly("committed");
  }

  private static void produce(String topic, String prefix, int count) throws Exception {
    try (KafkaProducer<String, String> producer = producer(Map.of())) {
      for (String value : expected(prefix, count)) {
        producer.send(new ProducerRecord<>(topic, value, value)).get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static List<String> expected(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
  }

  private static KafkaProducer<String, String> producer(Map<String, Object> extra) {
    Map<String, Object> properties = broker.clientProperties();
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    properties.putAll(extra);
    return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
  }

  /** Reads every partition from the beginning without a consumer group. */
  private static List<ConsumerRecord<String, String>> consumeAll(String topic, String isolation, int expected) {
    Map<String, Object> properties = broker.clientProperties();
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      return pollUntil(consumer, expected);
    }
  }

  private static List<ConsumerRecord<String, String>> consumeWithGroup(String topic, String group, int expected) {
    Map<String, Object> properties = broker.clientProperties();
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(Set.of(topic));
      List<ConsumerRecord<String, String>> records = pollUntil(consumer, expected);
      consumer.commitSync();
      return records;
    }
  }

  /** Polls until {@code expected} records arrived, then briefly more to catch unexpected extras. */
  private static List<ConsumerRecord<String, String>> pollUntil(KafkaConsumer<String, String> consumer,
                                int expected) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    long deadline = System.nanoTime() + CONSUME_TIMEOUT.toNanos();
    while (records.size() < expected && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }
    consumer.poll(Duration.ofMillis(300)).forEach(records::add);
    return records;
  }

  private static List<String> values(List<ConsumerRecord<String, String>> records) {
    return records.stream().map(ConsumerRecord::value).toList();
  }

  private static long millisSince(long nanoTime) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
  }
}
