package io.reducer.workloads.dlq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.reducer.testsupport.kafka.KafkaBroker;

/** What the DLQ tests do with the broker: produce, read a whole topic, look at a group's committed offsets. */
final class DlqTestKafka {

  private DlqTestKafka() {
  }

  static KafkaProducer<byte[], byte[]> producer(KafkaBroker broker) {
    Map<String, Object> properties = broker.clientProperties();
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
  }

  static void produce(KafkaBroker broker, List<ProducerRecord<byte[], byte[]>> records) {
    try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
      records.forEach(producer::send);
      producer.flush();
    }
  }

  /** Every record of a topic up to its current end, in partition then offset order. */
  static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaBroker broker, String topic, boolean committedOnly) {
    Map<String, Object> properties = broker.clientProperties();
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = IntStream.range(0, consumer.partitionsFor(topic).size())
          .mapToObj(p -> new TopicPartition(topic, p)).toList();
      if (committedOnly) {
        broker.awaitNoOpenTransaction(topic);
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new LinkedHashMap<>();
      partitions.forEach(tp -> byPartition.put(tp, new ArrayList<>()));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end " + end);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(r -> byPartition.get(
            new TopicPartition(r.topic(), r.partition())).add(r));
      }
      List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
      byPartition.values().forEach(all::addAll);
      return all;
    }
  }

  /** Sum of a group's committed offsets minus where the topic started: records the group has moved past. */
  static long committedSum(KafkaBroker broker, String group) throws Exception {
    try (Admin admin = broker.admin()) {
      return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
          .values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
    }
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : DlqTestRecords.text(header.value());
  }

  /** Headers as name=value text, in order. */
  static List<String> headers(ConsumerRecord<byte[], byte[]> record) {
    List<String> result = new ArrayList<>();
    record.headers().forEach(h -> result.add(h.key() + "=" + DlqTestRecords.text(h.value())));
    return result;
  }
}
