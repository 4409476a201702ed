package io.reducer.workloads.reducer.fsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reducer.workloads.reducer.fsm.StateMachine.Transition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

class StateMachineTest {

  private static final String OURS = "{\"states\":[\"PENDING\",\"PROCESSING\",\"COMPLETED\",\"FAILED\"],"
      + "\"initialState\":\"PENDING\",\"terminalStates\":[\"COMPLETED\",\"FAILED\"],"
      + "\"transitions\":[{\"from\":\"PENDING\",\"to\":\"PROCESSING\",\"trigger\":\"start\"},"
      + "{\"from\":\"PROCESSING\",\"to\":\"COMPLETED\"},"
      + "{\"from\":\"PROCESSING\",\"to\":\"FAILED\",\"trigger\":\"fail\"}]}";

  private static final String CONTRACT = "{\"state_transitions\":{\"states\":[{\"state_name\":\"PENDING\"},"
      + "{\"state_name\":\"PROCESSING\"},{\"state_name\":\"COMPLETED\"},{\"state_name\":\"FAILED\"}],"
      + "\"initial_state\":\"PENDING\",\"terminal_states\":[\"COMPLETED\",\"FAILED\"],"
      + "\"transitions\":[{\"from_state\":\"PENDING\",\"to_state\":\"PROCESSING\",\"trigger\":\"start\"},"
      + "{\"from_state\":\"PROCESSING\",\"to_state\":\"COMPLETED\"},"
      + "{\"from_state\":\"PROCESSING\",\"to_state\":\"FAILED\",\"trigger\":\"fail\"}]}}";

  @Test
  void parsesOurShape() throws Exception {
    StateMachine machine = StateMachine.parse(OURS);
    assertThat(machine.states()).containsExactly("PENDING", "PROCESSING", "COMPLETED", "FAILED");
    assertThat(machine.initialState()).isEqualTo("PENDING");
    assertThat(machine.terminalStates()).containsExactly("COMPLETED", "FAILED");
    assertThat(machine.transitions()).containsExactly(new Transition("PENDING", "PROCESSING", "START"),
        new Transition("PROCESSING", "COMPLETED", "COMPLETED"), new Transition("PROCESSING", "FAILED", "FAIL"));
    assertThat(machine.target("PENDING", "start")).isEqualTo("PROCESSING");
    assertThat(machine.target("PROCESSING", "COMPLETED")).isEqualTo("COMPLETED");
    assertThat(machine.target("PENDING", "COMPLETED")).isNull();
    assertThat(machine.transitionsFrom("PROCESSING")).extracting(Transition::to).containsExactly("COMPLETED", "FAILED");
    assertThat(machine.isTerminal("COMPLETED")).isTrue();
    assertThat(machine.isTerminal("PROCESSING")).isFalse();
  }

  @Test
  void parsesTheRunbooksContractShapeToTheSameMachine() throws Exception {
    assertThat(StateMachine.parse(CONTRACT)).isEqualTo(StateMachine.parse(OURS));
  }

  @Test
  void theContractShapesOptionalFieldsTakeTheirDefaults() throws Exception {
    StateMachine machine = StateMachine.parse("{\"state_transitions\":{\"states\":[{\"state_name\":\"NEW\"},"
        + "{\"state_name\":\"DONE\"}],\"transitions\":[{\"from_state\":\"NEW\",\"to_state\":\"DONE\"}]}}");
    assertThat(machine.initialState()).isEqualTo("NEW");
    assertThat(machine.terminalStates()).isEmpty();
    assertThat(machine.transitions()).containsExactly(new Transition("NEW", "DONE", "DONE"));
  }

  @Test
  void defaultsAreTheFirstStateNoTerminalStatesAndTheTargetAsTrigger() throws Exception {
    StateMachine machine = StateMachine.parse("{\"states\":[\"B\",\"A\"],"
        + "\"transitions\":[{\"from\":\"B\",\"to\":\"A\"}]}");
    assertThat(machine.initialState()).isEqualTo("B");
    assertThat(machine.terminalStates()).isEmpty();
    assertThat(machine.transitions()).containsExactly(new Transition("B", "A", "A"));
    // JSON null means the same as a missing optional field.
    assertThat(StateMachine.parse("{\"states\":[\"B\",\"A\"],\"initialState\":null,\"terminalStates\":null,"
        + "\"transitions\":[{\"from\":\"B\",\"to\":\"A\",\"trigger\":null}]}")).isEqualTo(machine);
    assertThat(StateMachine.of(List.of("B", "A"), null, null, List.of(new Transition("B", "A")))).isEqualTo(machine);
  }

  @Test
  void namesAreComparedTrimmedAndUpperCased() throws Exception {
    StateMachine machine = StateMachine.parse("{\"states\":[\" pending\",\"Processing \",\"completed\",\"FAILED\"],"
        + "\"initialState\":\"Pending\",\"terminalStates\":[\"Completed\",\"failed\"],"
        + "\"transitions\":[{\"from\":\"PENDING\",\"to\":\"processing\",\"trigger\":\" Start \"},"
        + "{\"from\":\"processing\",\"to\":\"Completed\"},"
        + "{\"from\":\"Processing\",\"to\":\"failed\",\"trigger\":\"FAIL\"}]}");
    assertThat(machine).isEqualTo(StateMachine.parse(OURS));
    assertThat(machine.isState("pending")).isTrue();
    assertThat(machine.isState(" PENDING ")).isTrue();
    assertThat(machine.isState("PENDIN")).isFalse();
    assertThat(machine.isTrigger("start")).isTrue();
    assertThat(machine.isTerminal("failed")).isTrue();
    assertThat(machine.target("pending", "START")).isEqualTo("PROCESSING");
    assertThat(machine.transitionsFrom("processing")).hasSize(2);
    assertThat(StateMachine.normalize(" mixed Case\t")).isEqualTo("MIXED CASE");
  }

  @Test
  void normalizingDoesNotDependOnTheDefaultLocale() {
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.forLanguageTag("tr-TR"));
    try {
      // Upper-cased in Turkish, "idle" would become "\u0130DLE" and never match a state named IDLE.
      assertThat(StateMachine.normalize("idle")).isEqualTo("IDLE");
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void theDefaultMachineIsTheRunbooksWorkflow() {
    StateMachine machine = StateMachine.DEFAULT;
    assertThat(machine.states()).containsExactly("PENDING", "PROCESSING", "COMPLETED", "FAILED");
    assertThat(machine.initialState()).isEqualTo("PENDING");
    assertThat(machine.terminalStates()).containsExactly("COMPLETED", "FAILED");
    assertThat(machine.transitions()).containsExactly(new Transition("PENDING", "PROCESSING", "PROCESSING"),
        new Transition("PROCESSING", "COMPLETED", "COMPLETED"), new Transition("PROCESSING", "FAILED", "FAILED"),
        new Transition("PENDING", "FAILED", "FAILED"));
  }

  @Test
  void describesTheMachineOnOneLine() throws Exception {
    assertThat(StateMachine.DEFAULT.describe()).isEqualTo("PENDING -> PROCESSING, PROCESSING -> COMPLETED, "
        + "PROCESSING -> FAILED, PENDING -> FAILED (initial PENDING; terminal COMPLETED, FAILED)");
    assertThat(StateMachine.parse(OURS).describe()).isEqualTo("PENDING -START-> PROCESSING, PROCESSING -> COMPLETED, "
        + "PROCESSING -FAIL-> FAILED (initial PENDING; terminal COMPLETED, FAILED)");
    assertThat(StateMachine.parse("{\"states\":[\"A\",\"B\",\"C\"],\"transitions\":[{\"from\":\"A\",\"to\":\"B\"}]}")
        .describe()).isEqualTo("A -> B (initial A; terminal none; in no transition: C)");
    assertThat(StateMachine.of(List.of("ONLY"), null, List.of("ONLY"), List.of()).describe())
        .isEqualTo("no transitions (initial ONLY; terminal ONLY; in no transition: ONLY)");
  }

  @Test
  void toJsonWritesOurShapeAndRoundTrips() throws Exception {
    assertThat(StateMachine.DEFAULT.toJson()).isEqualTo("{\"states\":[\"PENDING\",\"PROCESSING\",\"COMPLETED\","
        + "\"FAILED\"],\"initialState\":\"PENDING\",\"terminalStates\":[\"COMPLETED\",\"FAILED\"],\"transitions\":["
        + "{\"from\":\"PENDING\",\"to\":\"PROCESSING\",\"trigger\":\"PROCESSING\"},"
        + "{\"from\":\"PROCESSING\",\"to\":\"COMPLETED\",\"trigger\":\"COMPLETED\"},"
        + "{\"from\":\"PROCESSING\",\"to\":\"FAILED\",\"trigger\":\"FAILED\"},"
        + "{\"from\":\"PENDING\",\"to\":\"FAILED\",\"trigger\":\"FAILED\"}]}");
    for (StateMachine machine : List.of(StateMachine.DEFAULT, StateMachine.parse(OURS), StateMachine.parse(CONTRACT),
        StateMachine.of(List.of("x", "y"), "y", List.of(), List.of()))) {
      StateMachine back = StateMachine.parse(machine.toJson());
      assertThat(back).isEqualTo(machine);
      assertThat(back.describe()).isEqualTo(machine.describe());
    }
  }

  @Test
  void theSameTransitionTwiceIsKeptOnce() throws Exception {
    StateMachine machine = StateMachine.of(List.of("A", "B"), null, null,
        List.of(new Transition("A", "B", "go"), new Transition("a", "b", "GO")));
    assertThat(machine.transitions()).containsExactly(new Transition("A", "B", "GO"));
  }

  @Test
  void aTerminalInitialStateIsAllowed() throws Exception {
    StateMachine stuck = StateMachine.of(List.of("DONE"), "DONE", List.of("DONE"), List.of());
    assertThat(stuck.isTerminal(stuck.initialState())).isTrue();
    StateMachine reachable = StateMachine.of(List.of("DONE", "OTHER"), "DONE", List.of("DONE"),
        List.of(new Transition("OTHER", "DONE")));
    assertThat(reachable.transitionsFrom("OTHER")).containsExactly(new Transition("OTHER", "DONE", "DONE"));
  }

  @Test
  void theDefinitionCannotBeChangedAfterwards() throws Exception {
    List<String> states = new ArrayList<>(List.of("A", "B"));
    List<Transition> transitions = new ArrayList<>(List.of(new Transition("A", "B")));
    StateMachine machine = StateMachine.of(states, null, null, transitions);
    states.add("C");
    transitions.add(new Transition("B", "A"));
    assertThat(machine.states()).containsExactly("A", "B");
    assertThat(machine.transitions()).hasSize(1);
    assertThatThrownBy(() -> machine.states().add("C")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> machine.transitions().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void unknownFieldsAreErrorsNamingTheField() {
    assertInvalid("{\"states\":[\"A\"],\"transitions\":[],\"intialState\":\"A\"}",
        "unknown field 'intialState' in the state machine definition (expected states, initialState, "
            + "terminalStates, transitions)");
    assertInvalid("{\"states\":[\"A\",\"B\"],\"transitions\":[{\"from\":\"A\",\"to\":\"B\",\"trigr\":\"go\"}]}",
        "unknown field 'trigr' in transitions[0] (expected from, to, trigger)");
    assertInvalid("{\"state_transitions\":{\"states\":[{\"state_name\":\"A\",\"name\":\"B\"}],\"transitions\":[]}}",
        "unknown field 'name' in state_transitions.states[0] (expected state_name)");
    assertInvalid("{\"state_transitions\":{\"states\":[{\"state_name\":\"A\"}],\"transitions\":[],"
        + "\"initialState\":\"A\"}}", "unknown field 'initialState' in state_transitions (expected states, "
        + "initial_state, terminal_states, transitions)");
    assertInvalid("{\"state_transitions\":{\"states\":[{\"state_name\":\"A\"}],\"transitions\":[{\"from\":\"A\","
        + "\"to_state\":\"A\"}]}}", "unknown field 'from' in state_transitions.transitions[0] (expected from_state, "
        + "to_state, trigger)");
    assertInvalid("{\"states\":[\"A\"],\"transitions\":[],\"state_transitions\":{}}",
        "unknown field 'states' in the state machine definition (runbooks' contract shape) (expected "
            + "state_transitions)");
  }

  @Test
  void malformedJsonAndWrongTypesAreErrors() {
    assertInvalid(null, "the state machine definition is empty");
    assertInvalid(" ", "the state machine definition is empty");
    assertInvalid("{\"states\":[\"A\"]", "the state machine definition is not valid JSON:");
    assertInvalid("{\"states\":[\"A\"],\"transitions\":[]} {}", "the state machine definition is not valid JSON:");
    assertInvalid("{\"states\":[\"A\"],\"states\":[\"B\"],\"transitions\":[]}",
        "the state machine definition is not valid JSON: Duplicate field 'states'");
    assertInvalid("[\"A\"]", "the state machine definition must be a JSON object, not array");
    assertInvalid("{}", "missing field 'states' (or 'state_transitions' for the runbooks' contract shape)");
    assertInvalid("{\"states\":[\"A\"]}", "missing field 'transitions'");
    assertInvalid("{\"states\":\"A\",\"transitions\":[]}", "states must be an array, not string");
    assertInvalid("{\"states\":[\"A\",7],\"transitions\":[]}", "states[1] must be a string, not number");
    assertInvalid("{\"states\":[\"A\"],\"initialState\":[\"A\"],\"transitions\":[]}",
        "initialState must be a string, not array");
    assertInvalid("{\"states\":[\"A\"],\"terminalStates\":\"A\",\"transitions\":[]}",
        "terminalStates must be an array, not string");
    assertInvalid("{\"states\":[\"A\"],\"transitions\":[\"A->A\"]}",
        "transitions[0] must be a JSON object, not string");
    assertInvalid("{\"states\":[\"A\"],\"transitions\":[{\"from\":\"A\"}]}", "missing field 'to' in transitions[0]");
    assertInvalid("{\"states\":[\"A\"],\"transitions\":[{\"from\":\"A\",\"to\":\"A\",\"trigger\":1}]}",
        "transitions[0].trigger must be a string, not number");
    assertInvalid("{\"states\":[\"A\"],\"transitions\":[{\"from\":null,\"to\":\"A\"}]}",
        "transitions[0].from must be a string, not null");
    assertInvalid("{\"state_transitions\":[]}", "state_transitions must be a JSON object, not array");
    assertInvalid("{\"state_transitions\":{\"states\":[\"A\"],\"transitions\":[]}}",
        "state_transitions.states[0] must be a JSON object, not string");
    assertInvalid("{\"state_transitions\":{\"states\":[{}],\"transitions\":[]}}",
        "missing field 'state_name' in state_transitions.states[0]");
    assertInvalid("{\"state_transitions\":{\"states\":[{\"state_name\":\"A\"}]}}",
        "missing field 'state_transitions.transitions'");
  }

  @Test
  void validationErrorsNameTheOffendingEntry() {
    assertInvalid("{\"states\":[],\"transitions\":[]}", "the state machine declares no states (states is empty)");
    assertInvalid("{\"states\":[\"PENDING\",\"DONE\",\" pending\"],\"transitions\":[]}",
        "state PENDING is declared twice: states[0] 'PENDING' and states[2] ' pending' (names are compared trimmed "
            + "and upper-cased)");
    assertInvalid("{\"states\":[\"A\",\"  \"],\"transitions\":[]}", "states[1] is blank; a name is required");
    assertInvalid("{\"states\":[\"A\"],\"initialState\":\"\",\"transitions\":[]}",
        "initialState is blank; a name is required");
    assertInvalid("{\"states\":[\"A\",\"B\"],\"initialState\":\"C\",\"transitions\":[]}",
        "the initial state C is not a declared state (states: A, B)");
    assertInvalid("{\"states\":[\"A\",\"B\"],\"terminalStates\":[\"B\",\"DONE\"],\"transitions\":[]}",
        "the terminal state DONE is not a declared state (states: A, B)");
    assertInvalid("{\"states\":[\"A\",\"B\"],\"terminalStates\":[\"B\",\"b\"],\"transitions\":[]}",
        "the terminal state B is listed twice in terminalStates");
    assertInvalid("{\"states\":[\"A\",\"B\"],\"transitions\":[{\"from\":\"A\",\"to\":\"B\"},{\"from\":\"X\","
        + "\"to\":\"B\"}]}", "transitions[1] (X -> B): its source X is not a declared state (states: A, B)");
    assertInvalid("{\"states\":[\"A\",\"B\"],\"transitions\":[{\"from\":\"A\",\"to\":\"C\",\"trigger\":\"go\"}]}",
        "transitions[0] (A -GO-> C): its target C is not a declared state (states: A, B)");
    assertInvalid("{\"states\":[\"A\",\"B\"],\"transitions\":[{\"from\":\"\",\"to\":\"B\"}]}",
        "transitions[0].from is blank; a name is required");
    assertInvalid("{\"states\":[\"A\",\"B\"],\"transitions\":[{\"from\":\"A\",\"to\":\" \"}]}",
        "transitions[0].to is blank; a name is required");
    assertInvalid("{\"states\":[\"A\",\"B\"],\"transitions\":[{\"from\":\"A\",\"to\":\"B\",\"trigger\":\"\"}]}",
        "transitions[0].trigger is blank; a name is required");
    assertInvalid("{\"states\":[\"A\",\"B\"],\"terminalStates\":[\"B\"],\"transitions\":[{\"from\":\"A\","
        + "\"to\":\"B\"},{\"from\":\"B\",\"to\":\"A\",\"trigger\":\"retry\"}]}",
        "transitions[1] (B -RETRY-> A) leaves B, a terminal state; no transition may leave a terminal state");
    assertInvalid("{\"states\":[\"A\",\"B\",\"C\"],\"transitions\":[{\"from\":\"A\",\"to\":\"B\",\"trigger\":\"go\"},"
        + "{\"from\":\"B\",\"to\":\"C\",\"trigger\":\"go\"},{\"from\":\"a\",\"to\":\"C\",\"trigger\":\"Go\"}]}",
        "transitions[2] (A -GO-> C) conflicts with transitions[0] (A -GO-> B): trigger GO from A cannot lead to both "
            + "B and C");
    assertInvalid("{\"states\":[\"A\",\"B\"],\"transitions\":[{\"from\":\"A\",\"to\":\"B\"},"
        + "{\"from\":\"A\",\"to\":\"A\",\"trigger\":\"B\"}]}",
        "transitions[1] (A -B-> A) conflicts with transitions[0] (A -> B): trigger B from A cannot lead to both B "
            + "and A");
  }

  @Test
  void theContractShapesMessagesUseItsFieldNames() {
    assertInvalid("{\"state_transitions\":{\"states\":[],\"transitions\":[]}}",
        "the state machine declares no states (state_transitions.states is empty)");
    assertInvalid("{\"state_transitions\":{\"states\":[{\"state_name\":\"A\"}],\"terminal_states\":[\" \"],"
        + "\"transitions\":[]}}", "state_transitions.terminal_states[0] is blank; a name is required");
    assertInvalid("{\"state_transitions\":{\"states\":[{\"state_name\":\"A\"}],\"transitions\":[{\"from_state\":\"A\","
        + "\"to_state\":\"\"}]}}", "state_transitions.transitions[0].to_state is blank; a name is required");
  }

  @Test
  void theObjectModelIsValidatedLikeJson() {
    assertThatThrownBy(() -> StateMachine.of(null, null, null, null))
        .isInstanceOf(StateMachineException.class)
        .hasMessage("the state machine declares no states (states is empty)");
    assertThatThrownBy(() -> StateMachine.of(Arrays.asList("A", null), null, null, null))
        .isInstanceOf(StateMachineException.class)
        .hasMessage("states[1] is missing; a name is required");
    assertThatThrownBy(() -> StateMachine.of(List.of("A"), null, null, Arrays.asList((Transition) null)))
        .isInstanceOf(StateMachineException.class)
        .hasMessage("transitions[0] is null");
    assertThatThrownBy(() -> StateMachine.of(List.of("A"), "a", List.of("a"), List.of(new Transition("A", "A"))))
        .isInstanceOf(StateMachineException.class)
        .hasMessage("transitions[0] (A -> A) leaves A, a terminal state; no transition may leave a terminal state");
  }

  private static void assertInvalid(String json, String message) {
    assertThatThrownBy(() -> StateMachine.parse(json))
        .as(json)
        .isInstanceOf(StateMachineException.class)
        .hasMessageStartingWith(message);
  }
}
