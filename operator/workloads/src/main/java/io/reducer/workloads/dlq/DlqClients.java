package io.reducer.workloads.dlq;

import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.kafka.AdminClients;
import io.reducer.workloads.kafka.ConsumerSettings;
import io.reducer.workloads.kafka.KafkaFailures;

/**
 * The Kafka clients of both commands, tuned for moving many small records: large fetches and polls, large
 * producer batches with a short linger, no compression (the records were compressed or not by whoever wrote
 * them; compressing again costs CPU the broker on the same machine needs).
 */
final class DlqClients {

  static final int TIMEOUT_MS = 10_000;
  /** Records handed over per poll; the replay loop works through them one by one. */
  static final int MAX_POLL_RECORDS = 20_000;

  private DlqClients() {
  }

  static Admin admin(SelectionConfig config) throws ConfigException {
    try {
      return AdminClients.create(connection(config), "reducer-dlq-admin", TIMEOUT_MS);
    } catch (KafkaException e) {
      throw new ConfigException(KafkaFailures.invalidClient(config.bootstrapServers(), e), e);
    }
  }

  /**
   * Reads committed records only: a DLQ written in transactions shows no aborted records, and end offsets are the
   * last stable offsets. With a group, the replay's committed position can be read; the consumer itself never
   * commits (the replay commits through its producer's transactions).
   */
  static KafkaConsumer<byte[], byte[]> consumer(SelectionConfig config, String group, String clientId)
      throws ConfigException {
    Map<String, Object> properties = connection(config);
    if (group != null) {
      properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    }
    properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    ConsumerSettings.readCommitted(properties);
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A position below the log start (retention deleted records since) continues at the oldest record left.
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
    // A poll that drains every fetched partition lets the consumer send the next fetches before returning, so
    // they travel while the records are handled: fetches smaller than a poll (2 MiB is 20,000 records of 100 B).
    properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2 * 1024 * 1024);
    properties.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
    properties.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 1024 * 1024);
    properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
    try {
      return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    } catch (KafkaException e) {
      throw new ConfigException(KafkaFailures.invalidClient(config.bootstrapServers(), e), e);
    }
  }

  static KafkaProducer<byte[], byte[]> transactionalProducer(SelectionConfig config, String transactionalId)
      throws ConfigException {
    Map<String, Object> properties = connection(config);
    properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    properties.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    properties.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    // Below the broker's default max.message.bytes (1 MiB): a full batch must be accepted by any topic.
    properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
    properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
    properties.put(ProducerConfig.SEND_BUFFER_CONFIG, 1024 * 1024);
    properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
    try {
      return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    } catch (KafkaException e) {
      throw new ConfigException(KafkaFailures.invalidClient(config.bootstrapServers(), e), e);
    }
  }

  /** Bootstrap servers and security settings, to which each client adds its own. */
  private static Map<String, Object> connection(SelectionConfig config) {
    return config.kafkaSecurity().clientProperties(config.bootstrapServers());
  }
}
