package io.reducer.workloads.dlq;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

import io.reducer.workloads.deadletter.DeadLetterPublisher;

/** DLQ records as each supported writer produces them. */
final class DlqTestRecords {

  private DlqTestRecords() {
  }

  /** The materializer's format (DeadLetterPublisher): original key, value and headers plus x-error-*, x-original-*. */
  static ProducerRecord<byte[], byte[]> materializer(String dlq, Integer partition, Long timestamp, String key,
      String value, String originalTopic, String errorType, String correlationId, Map<String, String> original) {
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(dlq, partition, timestamp, bytes(key), bytes(value));
    original.forEach((name, text) -> add(record.headers(), name, text));
    add(record.headers(), "x-error-type", errorType);
    add(record.headers(), "x-error-message", "failed: " + errorType);
    add(record.headers(), "x-exception-class", "io.reducer.Example");
    add(record.headers(), "x-original-topic", originalTopic);
    add(record.headers(), "x-original-partition", "0");
    add(record.headers(), "x-original-offset", "42");
    if (correlationId != null) {
      add(record.headers(), "x-correlation-id", correlationId);
    }
    return record;
  }

  /** The runbooks' envelope, as their reprocess script reads it. */
  static ProducerRecord<byte[], byte[]> envelope(String dlq, String key, String originalTopic, String payloadJson,
      String errorType, String correlationId) {
    String value = "{\"original_topic\":" + (originalTopic == null ? "null" : "\"" + originalTopic + "\"")
        + ",\"original_payload\":" + payloadJson + ",\"error_type\":\"" + errorType + "\",\"error_message\":\"x\","
        + "\"correlation_id\":\"" + correlationId + "\",\"timestamp\":\"2025-10-21T12:00:00Z\"}";
    return new ProducerRecord<>(dlq, null, null, bytes(key), bytes(value));
  }

  /** Kafka Connect's DLQ with context headers: decimal text values. */
  static ProducerRecord<byte[], byte[]> connect(String dlq, String key, String value, String originalTopic,
      Map<String, String> original) {
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(dlq, null, null, bytes(key), bytes(value));
    original.forEach((name, text) -> add(record.headers(), name, text));
    add(record.headers(), "__connect.errors.topic", originalTopic);
    add(record.headers(), "__connect.errors.partition", "3");
    add(record.headers(), "__connect.errors.offset", "1234");
    add(record.headers(), "__connect.errors.connector.name", "jdbc-sink");
    add(record.headers(), "__connect.errors.task.id", "0");
    add(record.headers(), "__connect.errors.stage", "VALUE_CONVERTER");
    add(record.headers(), "__connect.errors.class.name", "org.apache.kafka.connect.json.JsonConverter");
    add(record.headers(), "__connect.errors.exception.class.name", "org.apache.kafka.connect.errors.DataException");
    add(record.headers(), "__connect.errors.exception.message", "Converting byte[] to Kafka Connect data failed");
    add(record.headers(), "__connect.errors.exception.stacktrace", "org.apache.kafka.connect.errors.DataException");
    return record;
  }

  /** Spring Kafka's DeadLetterPublishingRecoverer: binary partition, offset and timestamp. */
  static ProducerRecord<byte[], byte[]> spring(String dlq, String key, String value, String originalTopic,
      Map<String, String> original) {
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(dlq, null, null, bytes(key), bytes(value));
    original.forEach((name, text) -> add(record.headers(), name, text));
    add(record.headers(), "kafka_dlt-original-topic", originalTopic);
    record.headers().add("kafka_dlt-original-partition", ByteBuffer.allocate(4).putInt(1).array());
    record.headers().add("kafka_dlt-original-offset", ByteBuffer.allocate(8).putLong(99).array());
    record.headers().add("kafka_dlt-original-timestamp", ByteBuffer.allocate(8).putLong(1_700_000_000_000L).array());
    add(record.headers(), "kafka_dlt-original-timestamp-type", "CREATE_TIME");
    add(record.headers(), "kafka_dlt-original-consumer-group", "payments-service");
    add(record.headers(), "kafka_dlt-exception-fqcn",
        "org.springframework.kafka.listener.ListenerExecutionFailedException");
    add(record.headers(), "kafka_dlt-exception-cause-fqcn", "java.lang.IllegalArgumentException");
    add(record.headers(), "kafka_dlt-exception-message", "Listener failed");
    add(record.headers(), "kafka_dlt-exception-stacktrace", "...");
    return record;
  }

  static Map<String, String> headers(String... namesAndValues) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  static void add(Headers headers, String name, String value) {
    headers.add(name, bytes(value));
  }

  static byte[] bytes(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
