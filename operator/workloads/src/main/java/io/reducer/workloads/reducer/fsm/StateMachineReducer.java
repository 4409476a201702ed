package io.reducer.workloads.reducer.fsm;

import io.reducer.workloads.reducer.fsm.StateMachine.Transition;
import io.reducer.workloads.reducer.spi.Action;
import io.reducer.workloads.reducer.spi.Reducer;
import io.reducer.workloads.reducer.spi.Reduction;
import io.reducer.workloads.reducer.spi.WorkflowState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The built-in reducer: moves a workflow along a declarative {@link StateMachine}, so that a team with a plain
 * workflow writes a definition instead of code. The action's trigger (normalized like the machine's names) selects
 * the transition out of the workflow's current state; a workflow with no state yet is in the initial state, and the
 * initial state's own name also creates it there. The payload's text fields {@code namespace} and {@code tag}, when
 * present and not null, replace the row's values; otherwise they are carried over.
 *
 * <p>Pure and immutable, so safe from any thread; the rejection messages are prepared up front because the runtime
 * calls it tens of thousands of times per second.
 */
public final class StateMachineReducer implements Reducer {

  /** The trigger is known to the machine but does not lead anywhere from the workflow's state. */
  public static final String INVALID_TRANSITION = "INVALID_TRANSITION";
  /** The trigger is neither a state nor a trigger of the machine, or the workflow is in a state it does not declare. */
  public static final String UNKNOWN_STATE = "UNKNOWN_STATE";
  /** The payload's {@code namespace} or {@code tag} is not text. */
  public static final String INVALID_PAYLOAD = "INVALID_PAYLOAD";

  private final StateMachine machine;
  /** state -> what follows "X is not allowed from STATE" in a rejection. */
  private final Map<String, String> notAllowedFrom;
  private final String notAllowedForNew;
  private final String statesAndTriggers;

  /** Runs {@link StateMachine#DEFAULT}; {@code --reducer-class} needs a no-argument constructor. */
  public StateMachineReducer() {
    this(StateMachine.DEFAULT);
  }

  public StateMachineReducer(StateMachine machine) {
    this.machine = Objects.requireNonNull(machine, "machine");
    Map<String, String> messages = new HashMap<>();
    for (String state : machine.states()) {
      messages.put(state, machine.terminal(state)
          ? " from " + state + ", which is terminal (no transition leaves it)"
          : " from " + state + " (allowed: " + allowed(machine.transitionsFrom(state), null) + ")");
    }
    this.notAllowedFrom = Map.copyOf(messages);
    String initial = machine.initialState();
    String creation = machine.next(initial, initial) == null ? initial + " -> " + initial : null;
    this.notAllowedForNew = " for a new workflow, which starts in " + initial + " (allowed: "
        + allowed(machine.transitionsFrom(initial), creation) + ")";
    List<String> otherTriggers = new ArrayList<>();
    for (Transition t : machine.transitions()) {
      if (!machine.declares(t.trigger()) && !otherTriggers.contains(t.trigger())) {
        otherTriggers.add(t.trigger());
      }
    }
    this.statesAndTriggers = " (states: " + String.join(", ", machine.states())
        + (otherTriggers.isEmpty() ? "" : "; other triggers: " + String.join(", ", otherTriggers)) + ")";
  }

  public StateMachine machine() {
    return machine;
  }

  @Override
  public Reduction reduce(WorkflowState current, Action action) {
    String key = action.workflowKey();
    String trigger = action.action() == null ? "" : StateMachine.normalize(action.action());
    String from;
    if (current == null) {
      from = machine.initialState();
    } else {
      from = current.state() == null ? "" : StateMachine.normalize(current.state());
      if (!machine.declares(from)) {
        return new Reduction.Rejected(UNKNOWN_STATE, "workflow " + key + " is in state '" + current.state()
            + "', which the state machine does not declare" + statesAndTriggers);
      }
    }
    String to = machine.next(from, trigger);
    if (to == null && current == null && trigger.equals(from)) {
      to = from;
    }
    if (to != null) {
      return applied(to, current, action);
    }
    if (machine.declares(trigger) || machine.triggeredBy(trigger)) {
      return new Reduction.Rejected(INVALID_TRANSITION, "workflow " + key + ": " + trigger + " is not allowed"
          + (current == null ? notAllowedForNew : notAllowedFrom.get(from)));
    }
    return new Reduction.Rejected(UNKNOWN_STATE, "workflow " + key + ": '" + action.action()
        + "' is neither a state nor a trigger of the state machine" + statesAndTriggers);
  }

  private static Reduction applied(String to, WorkflowState current, Action action) {
    String namespace = current == null ? null : current.namespace();
    String tag = current == null ? null : current.tag();
    JsonNode payload = action.payload();
    // Only an object has fields; any other payload says nothing about namespace or tag.
    if (payload != null && payload.isObject()) {
      JsonNode value = payload.get("namespace");
      if (value != null && !value.isNull()) {
        if (!value.isTextual()) {
          return invalidPayload(action, "namespace", value);
        }
        namespace = value.textValue();
      }
      value = payload.get("tag");
      if (value != null && !value.isNull()) {
        if (!value.isTextual()) {
          return invalidPayload(action, "tag", value);
        }
        tag = value.textValue();
      }
    }
    return new Reduction.Applied(to, namespace, tag);
  }

  private static Reduction invalidPayload(Action action, String field, JsonNode value) {
    return new Reduction.Rejected(INVALID_PAYLOAD, "workflow " + action.workflowKey() + ": the payload's '" + field
        + "' must be a string, not " + value.getNodeType().name().toLowerCase(Locale.ROOT));
  }

  /** {@code TRIGGER -> TO, ...}, after {@code first} when it is not null; {@code none} when there is nothing. */
  private static String allowed(List<Transition> transitions, String first) {
    List<String> entries = new ArrayList<>();
    if (first != null) {
      entries.add(first);
    }
    for (Transition t : transitions) {
      entries.add(t.trigger() + " -> " + t.to());
    }
    return entries.isEmpty() ? "none" : String.join(", ", entries);
  }
}
