package io.reducer.e2e;

import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The sandbox's traffic: actions that move workflows through the runbooks' states, as a producing service sends
 * them, with a share of invalid transitions (an action on a completed workflow) like the ones the runbooks' DLQ
 * procedures deal with.
 */
final class SandboxTraffic {

  private static final String[] STATES = {"PENDING", "PROCESSING", "COMPLETED"};

  private SandboxTraffic() {
  }

  /**
   * Produces, for each of {@code workflows} keys, the actions PENDING, PROCESSING and COMPLETED in that order (so
   * each workflow ends at version 3), and then for {@code invalid} of them an action PROCESSING, which a completed
   * workflow refuses as INVALID_TRANSITION. Keys are the workflow keys, so a workflow's actions stay in order.
   */
  static void produceActions(Map<String, Object> kafka, String topic, int workflows, int invalid) {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka, new StringSerializer(),
        new StringSerializer())) {
      for (String state : STATES) {
        for (int i = 0; i < workflows; i++) {
          String key = "wf-" + i;
          producer.send(new ProducerRecord<>(topic, key, action(key, state + "-" + key, state)));
        }
      }
      for (int i = 0; i < invalid; i++) {
        String key = "wf-" + i;
        producer.send(new ProducerRecord<>(topic, key, action(key, "late-" + key, "PROCESSING")));
      }
      producer.flush();
    }
  }

  static String action(String key, String actionId, String trigger) {
    return "{\"action_id\":\"" + actionId + "\",\"workflow_key\":\"" + key + "\",\"action\":\"" + trigger
        + "\",\"payload\":{\"namespace\":\"orders\",\"tag\":\"sandbox\"},\"correlation_id\":\"c-" + actionId
        + "\"}";
  }
}
