package io.reducer.controller.pipeline;

import io.reducer.api.v1alpha1.pipeline.TopicStatus.State;
import io.reducer.controller.kafka.KafkaFailure;
import io.reducer.controller.kafka.ObservedTopic;
import io.reducer.controller.kafka.TopicCreation;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The changes that bring a pipeline's topics to the spec, one entry per declared topic, plus what the operator
 * refuses to change. The reconciler makes each kind of change for all topics in one Admin call.
 */
public record TopicChangeSet(List<Entry> entries) {

  public TopicChangeSet {
    entries = List.copyOf(entries);
  }

  /**
   * What was found for one topic and what to do about it.
   *
   * @param observed the topic on the broker; null when it is missing or could not be described
   * @param describeFailure why the broker would not describe it; null otherwise
   * @param create the creation of a missing topic; null when it exists
   * @param raiseTo the partition count to raise an existing topic to; null for no change
   * @param configSet declared configs whose value on the topic differs, to SET; empty for none
   * @param refusals changes the spec asks for that the operator never makes, in the order found
   */
  public record Entry(DeclaredTopic declared, ObservedTopic observed, KafkaFailure describeFailure,
      TopicCreation create, Integer raiseTo, Map<String, String> configSet, List<Refusal> refusals) {

    public Entry {
      configSet = Collections.unmodifiableMap(new TreeMap<>(configSet));
      refusals = List.copyOf(refusals);
    }
  }

  /** A change the operator refuses: the topic state and the message saying what the topic has and why. */
  public record Refusal(State state, String message) {
  }

  /** Topics to create, for one createTopics call. */
  public List<TopicCreation> creations() {
    return entries.stream().filter(e -> e.create() != null).map(Entry::create).toList();
  }

  /** Partition totals by topic, for one createPartitions call. */
  public Map<String, Integer> raises() {
    Map<String, Integer> raises = new TreeMap<>();
    entries.stream().filter(e -> e.raiseTo() != null).forEach(e -> raises.put(e.declared().name(), e.raiseTo()));
    return raises;
  }

  /** Configs to SET by topic, for one incrementalAlterConfigs call. */
  public Map<String, Map<String, String>> configSets() {
    Map<String, Map<String, String>> sets = new TreeMap<>();
    entries.stream().filter(e -> !e.configSet().isEmpty()).forEach(e -> sets.put(e.declared().name(), e.configSet()));
    return sets;
  }
}
