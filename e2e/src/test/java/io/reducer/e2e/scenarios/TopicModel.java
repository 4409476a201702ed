package io.reducer.e2e.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The oracle of every scenario: what a projection must hold, rebuilt from the topic alone. For each key, the newest
 * version among the valid events (a JSON object with an integral version) at or after the given start offsets,
 * as {@code version:state}, the shape {@link ReadModel#table} reads. The sentinels of {@link StateCommittedProducer}
 * are keys of one event each, so the model names every one of them and a table without one fails the comparison.
 */
public final class TopicModel {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TopicReader reader;

  public TopicModel(String bootstrapServers) {
    this.reader = new TopicReader(bootstrapServers);
  }

  /** The model of the records at or after {@code start} per partition (partitions not named: from the start). */
  public Map<String, String> from(String topic, Map<Integer, Long> start) {
    Map<String, Long> newest = new HashMap<>();
    Map<String, String> model = new HashMap<>();
    reader.readAll(topic, record -> {
      JsonNode event = valid(record.value());
      if (event == null || record.offset() < start.getOrDefault(record.partition(), 0L)) {
        return;
      }
      long version = event.get("version").asLong();
      if (version > newest.getOrDefault(record.key(), Long.MIN_VALUE)) {
        newest.put(record.key(), version);
        model.put(record.key(), version + ":" + event.path("state").asText());
      }
    });
    return model;
  }

  /** The records a materializer must dead-letter, by {@code partition/offset}. */
  public Map<String, String> poison(String topic) {
    Map<String, String> poison = new HashMap<>();
    reader.readAll(topic, record -> {
      if (valid(record.value()) == null) {
        poison.put(record.partition() + "/" + record.offset(), record.value());
      }
    });
    return poison;
  }

  /** Log-end offset of each partition. */
  public Map<Integer, Long> endOffsets(String topic) {
    return reader.endOffsets(topic);
  }

  /** Records in the topic, poison included: what the watermarks sum to once a projection has applied all. */
  public long records(String topic) {
    return endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
  }

  /** The event if it is a JSON object with an integral version, else null (poison). */
  private static JsonNode valid(String value) {
    try {
      JsonNode node = value == null ? null : JSON.readTree(value);
      return node != null && node.isObject() && node.path("version").isIntegralNumber() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }
}
