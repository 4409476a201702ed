package io.reducer.e2e.scenarios;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from its start to its end as of now, outside any consumer group, like a console consumer. */
final class TopicReader {

  private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

  private final String bootstrapServers;

  TopicReader(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /** Hands every record of every partition of {@code topic}, up to its current end, to {@code visitor}. */
  void readAll(String topic, Consumer<ConsumerRecord<String, String>> visitor) {
    try (KafkaConsumer<String, String> reader = reader()) {
      List<TopicPartition> partitions = partitions(reader, topic);
      reader.assign(partitions);
      reader.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = reader.endOffsets(partitions);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (!partitions.stream().allMatch(p -> reader.position(p) >= end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end " + end);
        }
        for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
          if (record.offset() < end.get(new TopicPartition(topic, record.partition()))) {
            visitor.accept(record);
          }
        }
      }
    }
  }

  /** Log-end offset of each partition. */
  Map<Integer, Long> endOffsets(String topic) {
    try (KafkaConsumer<String, String> reader = reader()) {
      Map<Integer, Long> end = new HashMap<>();
      reader.endOffsets(partitions(reader, topic)).forEach((p, offset) -> end.put(p.partition(), offset));
      return end;
    }
  }

  private KafkaConsumer<String, String> reader() {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
  }

  private static List<TopicPartition> partitions(KafkaConsumer<String, String> reader, String topic) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : reader.partitionsFor(topic)) {
      partitions.add(new TopicPartition(topic, info.partition()));
    }
    return partitions;
  }
}
