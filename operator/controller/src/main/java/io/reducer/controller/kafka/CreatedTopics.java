package io.reducer.controller.kafka;

import java.util.Map;

/**
 * The outcome of one batched topic creation.
 *
 * @param partitions the partition count of each created topic (the broker's choice where none was asked for)
 * @param failed the topics the broker did not create, with why
 */
public record CreatedTopics(Map<String, Integer> partitions, Map<String, KafkaFailure> failed) {

  public CreatedTopics {
    partitions = Map.copyOf(partitions);
    failed = Map.copyOf(failed);
  }
}
