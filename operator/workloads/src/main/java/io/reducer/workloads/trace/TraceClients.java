package io.reducer.workloads.trace;

import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.reducer.workloads.kafka.AdminClients;
import io.reducer.workloads.kafka.ConsumerSettings;
import io.reducer.workloads.kafka.KafkaFailures;

/**
 * The Kafka clients of a trace: an admin client to describe the topics, and a consumer that is only ever
 * {@code assign()}ed: no group, nothing committed, committed records only.
 */
final class TraceClients {

  static final int TIMEOUT_MS = 10_000;

  private TraceClients() {
  }

  static Admin admin(TraceConfig config) throws TraceConfigException {
    QuietKafkaLogs.apply();
    try {
      return AdminClients.create(config.kafkaSecurity().clientProperties(config.bootstrapServers()),
          "reducer-trace-admin", TIMEOUT_MS);
    } catch (KafkaException e) {
      throw new TraceConfigException(KafkaFailures.invalidClient(config.bootstrapServers(), e), e);
    }
  }

  /**
   * read_committed: records of aborted transactions (a failed DLQ replay) are not part of the pipeline's history,
   * and end offsets are the last stable offsets. No group id, so {@code assign()} only and no offset is committed.
   */
  static KafkaConsumer<byte[], byte[]> consumer(TraceConfig config) throws TraceConfigException {
    QuietKafkaLogs.apply();
    Map<String, Object> properties = config.kafkaSecurity().clientProperties(config.bootstrapServers());
    properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "reducer-trace");
    ConsumerSettings.readCommitted(properties);
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    // A start offset that retention deleted meanwhile continues at the oldest record left.
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
    properties.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 32 * 1024 * 1024);
    properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    try {
      return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    } catch (KafkaException e) {
      throw new TraceConfigException(KafkaFailures.invalidClient(config.bootstrapServers(), e), e);
    }
  }
}
