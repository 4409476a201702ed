package io.reducer.controller.kafka;

import java.util.Map;
import java.util.Set;

/**
 * What one describe of several topics found: the topics that exist, the ones that do not, and the ones the broker
 * would not describe (e.g. no Describe or DescribeConfigs permission), so one bad topic does not hide the others.
 */
public record TopicObservation(Map<String, ObservedTopic> found, Set<String> missing,
    Map<String, KafkaFailure> failed) {

  public TopicObservation {
    found = Map.copyOf(found);
    missing = Set.copyOf(missing);
    failed = Map.copyOf(failed);
  }
}
