package io.reducer.controller.pipeline;

import io.reducer.api.v1alpha1.pipeline.PipelineTopics;
import io.reducer.api.v1alpha1.pipeline.TopicSpec;
import io.reducer.api.v1alpha1.pipeline.TopicStatus.Role;
import java.util.List;
import java.util.Map;

/** One topic of a pipeline's spec with its role, so decisions and messages can name the field it came from. */
public record DeclaredTopic(Role role, TopicSpec spec) {

  /** The pipeline's topics in the order status lists them: actions, stateCommitted, dlq. */
  public static List<DeclaredTopic> of(PipelineTopics topics) {
    return List.of(new DeclaredTopic(Role.actions, topics.getActions()),
        new DeclaredTopic(Role.stateCommitted, topics.getStateCommitted()),
        new DeclaredTopic(Role.dlq, topics.getDlq()));
  }

  public String name() {
    return spec.getName();
  }

  /** The declared config; empty when none is declared. */
  public Map<String, String> config() {
    return spec.getConfig() == null ? Map.of() : spec.getConfig();
  }

  /** The spec field of this topic, for messages, e.g. spec.topics.dlq. */
  public String field() {
    return "spec.topics." + role.name();
  }
}
