package io.reducer.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/**
 * The workflow state machine the built-in reducer applies: its states, where a workflow starts and ends, and the
 * transitions actions may trigger. The operator checks that it holds together before any reducer pod changes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StateMachineSpec {

  @Required
  @Size(min = 1, max = 256)
  @JsonPropertyDescription("Every state a workflow can be in, e.g. [PENDING, PROCESSING, COMPLETED, FAILED]. Names "
      + "are compared case-insensitively and stored upper-case.")
  private List<@Size(min = 1, max = 128) String> states = new ArrayList<>();

  @Size(max = 128)
  @JsonPropertyDescription("State of a workflow's first version. Omit for the first entry of states.")
  private String initialState;

  @Size(max = 256)
  @JsonPropertyDescription("States a workflow never leaves, e.g. [COMPLETED, FAILED]; an action on a workflow in "
      + "one of them is rejected to the dead-letter topic.")
  private List<@Size(min = 1, max = 128) String> terminalStates = new ArrayList<>();

  @Required
  @Size(min = 1, max = 4096)
  @JsonPropertyDescription("Allowed transitions. An action whose trigger has no transition from the workflow's "
      + "current state is rejected to the dead-letter topic as INVALID_TRANSITION.")
  private List<StateTransitionSpec> transitions = new ArrayList<>();

  public List<String> getStates() {
    return states;
  }

  public void setStates(List<String> states) {
    this.states = states;
  }

  public String getInitialState() {
    return initialState;
  }

  public void setInitialState(String initialState) {
    this.initialState = initialState;
  }

  public List<String> getTerminalStates() {
    return terminalStates;
  }

  public void setTerminalStates(List<String> terminalStates) {
    this.terminalStates = terminalStates;
  }

  public List<StateTransitionSpec> getTransitions() {
    return transitions;
  }

  public void setTransitions(List<StateTransitionSpec> transitions) {
    this.transitions = transitions;
  }
}
