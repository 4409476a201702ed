package io.reducer.controller.pipeline;

import io.reducer.controller.kafka.CreatedTopics;
import io.reducer.controller.kafka.KafkaFailure;
import java.util.Map;

/**
 * What the broker answered to a {@link TopicChangeSet}'s three calls, per topic.
 *
 * @param raiseFailures topics whose partitions were not raised, with why
 * @param configFailures topics whose configs were not set, with why
 */
public record TopicActions(CreatedTopics created, Map<String, KafkaFailure> raiseFailures,
    Map<String, KafkaFailure> configFailures) {

  public TopicActions {
    raiseFailures = Map.copyOf(raiseFailures);
    configFailures = Map.copyOf(configFailures);
  }

  /** The answer to changes that needed no call. */
  public static TopicActions none() {
    return new TopicActions(new CreatedTopics(Map.of(), Map.of()), Map.of(), Map.of());
  }
}
