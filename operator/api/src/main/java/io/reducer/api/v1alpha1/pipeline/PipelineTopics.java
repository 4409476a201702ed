package io.reducer.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** The three topics of a pure-reducer pipeline. */
@ValidationRule(value = "self.actions.name != self.stateCommitted.name && self.actions.name != self.dlq.name "
    + "&& self.stateCommitted.name != self.dlq.name", message = "actions, stateCommitted and dlq must be different topics")
public class PipelineTopics {

  @Required
  @JsonPropertyDescription("Topic the reducers consume actions from.")
  private TopicSpec actions;

  @Required
  @JsonPropertyDescription("Topic the reducers publish state-committed events to (through the outbox); the "
      + "default source of every Projection of this pipeline.")
  private TopicSpec stateCommitted;

  @Required
  @JsonPropertyDescription("Dead-letter topic that receives records the reducers or materializers cannot process.")
  private TopicSpec dlq;

  public TopicSpec getActions() {
    return actions;
  }

  public void setActions(TopicSpec actions) {
    this.actions = actions;
  }

  public TopicSpec getStateCommitted() {
    return stateCommitted;
  }

  public void setStateCommitted(TopicSpec stateCommitted) {
    this.stateCommitted = stateCommitted;
  }

  public TopicSpec getDlq() {
    return dlq;
  }

  public void setDlq(TopicSpec dlq) {
    this.dlq = dlq;
  }
}
