package io.reducer.controller.kafka;

import java.util.Map;

/**
 * A topic as the broker describes it: what TopicChanges compares with the spec.
 *
 * @param replicationFactor replicas of partition 0, as {@code kafka-topics --describe} reports it
 * @param overrides the topic-level configs (those set on the topic, not inherited from the broker)
 */
public record ObservedTopic(String name, int partitions, int replicationFactor, Map<String, String> overrides) {

  public ObservedTopic {
    overrides = Map.copyOf(overrides);
  }
}
