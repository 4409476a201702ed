package io.reducer.controller.kafka;

import java.util.Map;

/**
 * A topic to create. Null partitions or replication factor leave the choice to the broker's defaults
 * ({@code num.partitions}, {@code default.replication.factor}).
 */
public record TopicCreation(String name, Integer partitions, Integer replicationFactor, Map<String, String> config) {

  public TopicCreation {
    config = Map.copyOf(config);
  }
}
