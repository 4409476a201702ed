package io.reducer.workloads.materializer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.producer.ProducerRecord;

/** state-committed records as the reducer publishes them (DESIGN.md section 4). */
public final class TestEvents {

  private TestEvents() {
  }

  public static ProducerRecord<String, String> event(String topic, String key, long version) {
    return event(topic, key, version, state(version));
  }

  public static ProducerRecord<String, String> event(String topic, String key, long version, String state) {
    String correlation = key + "-c" + version;
    String json = "{\"workflow_key\":\"" + key + "\",\"version\":" + version + ",\"state\":\"" + state + "\","
        + "\"namespace\":\"default\",\"tag\":\"t\",\"last_action\":\"act-" + version + "\","
        + "\"correlation_id\":\"" + correlation + "\",\"committed_at\":\"" + Instant.now() + "\"}";
    return raw(topic, key, json, correlation);
  }

  static ProducerRecord<String, String> raw(String topic, String key, String value, String correlationId) {
    ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
    if (correlationId != null) {
      record.headers().add("correlation-id", correlationId.getBytes(StandardCharsets.UTF_8));
    }
    return record;
  }

  static String state(long version) {
    return "S" + version;
  }
}
