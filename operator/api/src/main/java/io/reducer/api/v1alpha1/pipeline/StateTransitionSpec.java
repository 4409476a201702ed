package io.reducer.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One edge of the state machine: the trigger that moves a workflow from one state to another. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StateTransitionSpec {

  @Required
  @Size(min = 1, max = 128)
  @JsonPropertyDescription("State the transition leaves; must be one of states.")
  private String from;

  @Required
  @Size(min = 1, max = 128)
  @JsonPropertyDescription("State the transition enters; must be one of states.")
  private String to;

  @Size(min = 1, max = 128)
  @JsonPropertyDescription("The action (an action record's `action` field) that fires it. Omit for the target "
      + "state's name.")
  private String trigger;

  public String getFrom() {
    return from;
  }

  public void setFrom(String from) {
    this.from = from;
  }

  public String getTo() {
    return to;
  }

  public void setTo(String to) {
    this.to = to;
  }

  public String getTrigger() {
    return trigger;
  }

  public void setTrigger(String trigger) {
    this.trigger = trigger;
  }
}
