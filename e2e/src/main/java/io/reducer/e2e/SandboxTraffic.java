package io.reducer.e2e;

import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The sandbox's traffic: state-committed events of workflows moving through their states, as the reducer
 * publishes them, with a share of poison records (a truncated payload, an event without a version) like the
 * ones the runbooks' DLQ procedures deal with.
 */
final class SandboxTraffic {

  private static final String[] STATES = {"PENDING", "PROCESSING", "COMPLETED"};

  private SandboxTraffic() {
  }

  /**
   * Produces {@code events} valid events over {@code workflows} keys (versions rising per key) and
   * {@code poison} poison records.
   */
  static void produce(Map<String, Object> kafka, String topic, int workflows, int events, int poison) {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka, new StringSerializer(),
        new StringSerializer())) {
      for (int i = 0; i < events; i++) {
        String key = "wf-" + (i % workflows);
        long version = i / workflows + 1;
        producer.send(new ProducerRecord<>(topic, key, event(key, version)));
      }
      for (int i = 0; i < poison; i++) {
        String key = "wf-poison-" + i;
        String value = i % 2 == 0
            ? event(key, 1).substring(0, 40)
            : "{\"workflow_key\":\"" + key + "\",\"state\":\"PENDING\",\"namespace\":\"orders\"}";
        producer.send(new ProducerRecord<>(topic, key, value));
      }
      producer.flush();
    }
  }

  static String event(String key, long version) {
    String state = STATES[(int) Math.min(version - 1, STATES.length - 1)];
    return "{\"workflow_key\":\"" + key + "\",\"version\":" + version + ",\"state\":\"" + state + "\","
        + "\"namespace\":\"orders\",\"tag\":\"sandbox\",\"last_action\":\"advance\",\"correlation_id\":\"c-" + key
        + "-" + version + "\",\"committed_at\":\"" + Instant.now() + "\"}";
  }
}
