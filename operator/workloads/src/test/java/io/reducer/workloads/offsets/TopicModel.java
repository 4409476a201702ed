package io.reducer.workloads.offsets;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reducer.workloads.materializer.TestCluster;

/** What a projection must hold after materializing a topic from given offsets: the newest version per key. */
final class TopicModel {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TopicModel() {
  }

  /** key -> "version:state", from the records at or after {@code from} of each partition (read from the broker). */
  static Map<String, String> from(TestCluster cluster, String topic, int partitions, Map<Integer, Long> from)
      throws Exception {
    Map<String, Long> newest = new HashMap<>();
    Map<String, String> model = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : cluster.readAll(topic, partitions)) {
      if (record.offset() < from.get(record.partition())) {
        continue;
      }
      JsonNode event = JSON.readTree(record.value());
      String key = event.get("workflow_key").asText();
      long version = event.get("version").asLong();
      if (version > newest.getOrDefault(key, Long.MIN_VALUE)) {
        newest.put(key, version);
        model.put(key, version + ":" + event.get("state").asText());
      }
    }
    return model;
  }
}
