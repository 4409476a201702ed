package io.reducer.workloads.reducer.fsm;

import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.workloads.reducer.fsm.StateMachine.Transition;
import io.reducer.workloads.reducer.spi.Action;
import io.reducer.workloads.reducer.spi.Reduction.Applied;
import io.reducer.workloads.reducer.spi.Reduction.Rejected;
import io.reducer.workloads.reducer.spi.Reduction;
import io.reducer.workloads.reducer.spi.WorkflowState;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StateMachineReducerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> STATES = List.of("PENDING", "PROCESSING", "COMPLETED", "FAILED");

  private final StateMachineReducer reducer = new StateMachineReducer(StateMachine.DEFAULT);

  @Test
  void theDefaultMachinesFullTable() {
    // Written out, not read from the machine: this is the runbooks' workflow a user relies on.
    Set<String> allowed = Set.of("PENDING->PROCESSING", "PROCESSING->COMPLETED", "PROCESSING->FAILED",
        "PENDING->FAILED");
    for (String from : STATES) {
      for (String to : STATES) {
        Reduction reduction = reducer.reduce(in(from), action(to));
        if (allowed.contains(from + "->" + to)) {
          assertThat(reduction).as(from + " -> " + to).isEqualTo(new Applied(to, "ns", "tag"));
        } else {
          assertRejected(reduction, StateMachineReducer.INVALID_TRANSITION, "workflow wf-1: " + to + " is not allowed "
              + "from " + from);
        }
      }
    }
    Set<String> allowedForNew = Set.of("PENDING", "PROCESSING", "FAILED");
    for (String to : STATES) {
      Reduction reduction = reducer.reduce(null, action(to));
      if (allowedForNew.contains(to)) {
        assertThat(reduction).as("new -> " + to).isEqualTo(new Applied(to, null, null));
      } else {
        assertRejected(reduction, StateMachineReducer.INVALID_TRANSITION, "workflow wf-1: " + to + " is not allowed "
            + "for a new workflow");
      }
    }
  }

  @Test
  void aNewWorkflowIsInTheInitialStateAndItsNameCreatesIt() {
    assertThat(reducer.reduce(null, action("PENDING"))).isEqualTo(new Applied("PENDING", null, null));
    assertThat(reducer.reduce(null, action(" pending "))).isEqualTo(new Applied("PENDING", null, null));
    assertThat(reducer.reduce(null, action("processing"))).isEqualTo(new Applied("PROCESSING", null, null));
    assertThat(reducer.reduce(null, action("COMPLETED"))).isEqualTo(new Rejected(
        StateMachineReducer.INVALID_TRANSITION, "workflow wf-1: COMPLETED is not allowed for a new workflow, which "
            + "starts in PENDING (allowed: PENDING -> PENDING, PROCESSING -> PROCESSING, FAILED -> FAILED)"));
    // Only a new workflow is created by the initial state's name; an existing one needs a transition.
    assertRejected(reducer.reduce(in("PENDING"), action("PENDING")), StateMachineReducer.INVALID_TRANSITION,
        "workflow wf-1: PENDING is not allowed from PENDING");
  }

  @Test
  void namedTriggersMoveTheWorkflowWhateverTheirCase() throws Exception {
    StateMachineReducer named = new StateMachineReducer(named());
    assertThat(named.reduce(null, action("start"))).isEqualTo(new Applied("PROCESSING", null, null));
    assertThat(named.reduce(in("PENDING"), action(" Start "))).isEqualTo(new Applied("PROCESSING", "ns", "tag"));
    assertThat(named.reduce(in("processing"), action("fail"))).isEqualTo(new Applied("FAILED", "ns", "tag"));
    assertThat(named.reduce(in("PROCESSING"), action("completed"))).isEqualTo(new Applied("COMPLETED", "ns", "tag"));
    // A state's name is not a trigger when the transition has its own.
    assertThat(named.reduce(in("PENDING"), action("PROCESSING"))).isEqualTo(new Rejected(
        StateMachineReducer.INVALID_TRANSITION, "workflow wf-1: PROCESSING is not allowed from PENDING (allowed: "
            + "START -> PROCESSING)"));
    assertThat(named.reduce(in("PROCESSING"), action("start"))).isEqualTo(new Rejected(
        StateMachineReducer.INVALID_TRANSITION, "workflow wf-1: START is not allowed from PROCESSING (allowed: "
            + "COMPLETED -> COMPLETED, FAIL -> FAILED)"));
  }

  @Test
  void rejectionsSayWhatIsAllowed() throws Exception {
    assertThat(reducer.reduce(in("PENDING"), action("COMPLETED"))).isEqualTo(new Rejected(
        StateMachineReducer.INVALID_TRANSITION, "workflow wf-1: COMPLETED is not allowed from PENDING (allowed: "
            + "PROCESSING -> PROCESSING, FAILED -> FAILED)"));
    assertThat(reducer.reduce(in("COMPLETED"), action("FAILED"))).isEqualTo(new Rejected(
        StateMachineReducer.INVALID_TRANSITION, "workflow wf-1: FAILED is not allowed from COMPLETED, which is "
            + "terminal (no transition leaves it)"));
    StateMachineReducer deadEnd = new StateMachineReducer(StateMachine.of(List.of("A", "B"), null, null,
        List.of(new Transition("A", "B"))));
    assertThat(deadEnd.reduce(in("B"), action("B"))).isEqualTo(new Rejected(StateMachineReducer.INVALID_TRANSITION,
        "workflow wf-1: B is not allowed from B (allowed: none)"));
  }

  @Test
  void aTriggerTheMachineDoesNotKnowIsAnUnknownState() throws Exception {
    assertThat(reducer.reduce(in("PENDING"), action("start"))).isEqualTo(new Rejected(
        StateMachineReducer.UNKNOWN_STATE, "workflow wf-1: 'start' is neither a state nor a trigger of the state "
            + "machine (states: PENDING, PROCESSING, COMPLETED, FAILED)"));
    assertThat(reducer.reduce(null, action("ARCHIVED"))).isEqualTo(new Rejected(StateMachineReducer.UNKNOWN_STATE,
        "workflow wf-1: 'ARCHIVED' is neither a state nor a trigger of the state machine (states: PENDING, "
            + "PROCESSING, COMPLETED, FAILED)"));
    assertThat(new StateMachineReducer(named()).reduce(in("PENDING"), action("stop"))).isEqualTo(new Rejected(
        StateMachineReducer.UNKNOWN_STATE, "workflow wf-1: 'stop' is neither a state nor a trigger of the state "
            + "machine (states: PENDING, PROCESSING, COMPLETED, FAILED; other triggers: START, FAIL)"));
    assertRejected(reducer.reduce(in("PENDING"), action(null)), StateMachineReducer.UNKNOWN_STATE,
        "workflow wf-1: 'null' is neither a state nor a trigger");
    assertRejected(reducer.reduce(in("PENDING"), action(" ")), StateMachineReducer.UNKNOWN_STATE,
        "workflow wf-1: ' ' is neither a state nor a trigger");
  }

  @Test
  void aWorkflowInAStateTheMachineDoesNotDeclareIsRejected() {
    assertThat(reducer.reduce(in("ARCHIVED"), action("PROCESSING"))).isEqualTo(new Rejected(
        StateMachineReducer.UNKNOWN_STATE, "workflow wf-1 is in state 'ARCHIVED', which the state machine does not "
            + "declare (states: PENDING, PROCESSING, COMPLETED, FAILED)"));
    assertRejected(reducer.reduce(in(null), action("PROCESSING")), StateMachineReducer.UNKNOWN_STATE,
        "workflow wf-1 is in state 'null', which the state machine does not declare");
    // The committed state is normalized like any name.
    assertThat(reducer.reduce(in(" processing"), action("COMPLETED"))).isEqualTo(new Applied("COMPLETED", "ns", "tag"));
  }

  @Test
  void namespaceAndTagComeFromThePayloadOrTheRow() {
    assertThat(reducer.reduce(in("PENDING"), action("PROCESSING", "{\"namespace\":\"n2\",\"tag\":\"t2\"}")))
        .isEqualTo(new Applied("PROCESSING", "n2", "t2"));
    assertThat(reducer.reduce(in("PENDING"), action("PROCESSING", "{\"tag\":\"t2\",\"other\":1}")))
        .isEqualTo(new Applied("PROCESSING", "ns", "t2"));
    assertThat(reducer.reduce(in("PENDING"), action("PROCESSING", "{\"namespace\":\"\",\"tag\":null}")))
        .isEqualTo(new Applied("PROCESSING", "", "tag"));
    assertThat(reducer.reduce(in("PENDING"), action("PROCESSING", "[{\"namespace\":\"n2\"}]")))
        .isEqualTo(new Applied("PROCESSING", "ns", "tag"));
    assertThat(reducer.reduce(null, action("PENDING", "{\"namespace\":\"n2\"}")))
        .isEqualTo(new Applied("PENDING", "n2", null));
  }

  @Test
  void aNamespaceOrTagThatIsNotTextIsAnInvalidPayload() {
    assertThat(reducer.reduce(in("PENDING"), action("PROCESSING", "{\"namespace\":7}"))).isEqualTo(new Rejected(
        StateMachineReducer.INVALID_PAYLOAD, "workflow wf-1: the payload's 'namespace' must be a string, not number"));
    assertThat(reducer.reduce(null, action("PENDING", "{\"namespace\":\"n\",\"tag\":{\"a\":1}}"))).isEqualTo(
        new Rejected(StateMachineReducer.INVALID_PAYLOAD, "workflow wf-1: the payload's 'tag' must be a string, not "
            + "object"));
    // A transition that is not allowed stays INVALID_TRANSITION whatever the payload.
    assertRejected(reducer.reduce(in("PENDING"), action("COMPLETED", "{\"tag\":false}")),
        StateMachineReducer.INVALID_TRANSITION, "workflow wf-1: COMPLETED is not allowed from PENDING");
  }

  @Test
  void aTransitionTriggeredByTheInitialStatesNameWinsOverCreation() throws Exception {
    StateMachineReducer triggeredByA = new StateMachineReducer(StateMachine.of(List.of("A", "B"), null, null,
        List.of(new Transition("A", "B", "A"))));
    assertThat(triggeredByA.reduce(null, action("a"))).isEqualTo(new Applied("B", null, null));
    assertThat(triggeredByA.reduce(null, action("B"))).isEqualTo(new Rejected(StateMachineReducer.INVALID_TRANSITION,
        "workflow wf-1: B is not allowed for a new workflow, which starts in A (allowed: A -> B)"));
  }

  @Test
  void aTerminalInitialStateOnlyCreatesWorkflows() throws Exception {
    StateMachineReducer endsAtOnce = new StateMachineReducer(StateMachine.of(List.of("DONE", "OTHER"), "DONE",
        List.of("DONE"), List.of(new Transition("OTHER", "DONE"))));
    assertThat(endsAtOnce.reduce(null, action("done"))).isEqualTo(new Applied("DONE", null, null));
    assertThat(endsAtOnce.reduce(null, action("OTHER"))).isEqualTo(new Rejected(StateMachineReducer.INVALID_TRANSITION,
        "workflow wf-1: OTHER is not allowed for a new workflow, which starts in DONE (allowed: DONE -> DONE)"));
    assertRejected(endsAtOnce.reduce(in("DONE"), action("DONE")), StateMachineReducer.INVALID_TRANSITION,
        "workflow wf-1: DONE is not allowed from DONE, which is terminal");
  }

  @Test
  void theNoArgumentConstructorRunsTheDefaultMachine() {
    assertThat(new StateMachineReducer().machine()).isSameAs(StateMachine.DEFAULT);
    assertThat(new StateMachineReducer().reduce(in("PROCESSING"), action("FAILED")))
        .isEqualTo(new Applied("FAILED", "ns", "tag"));
  }

  /** PENDING -START-> PROCESSING, PROCESSING -> COMPLETED, PROCESSING -FAIL-> FAILED. */
  private static StateMachine named() throws StateMachineException {
    return StateMachine.of(STATES, "PENDING", List.of("COMPLETED", "FAILED"), List.of(
        new Transition("PENDING", "PROCESSING", "start"), new Transition("PROCESSING", "COMPLETED"),
        new Transition("PROCESSING", "FAILED", "fail")));
  }

  private static WorkflowState in(String state) {
    return new WorkflowState("wf-1", 3, state, "ns", "tag", "previous");
  }

  private static Action action(String trigger) {
    return action(trigger, "{}");
  }

  private static Action action(String trigger, String payload) {
    try {
      return new Action("a-1", "wf-1", trigger, JSON.readTree(payload), "c-1");
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(payload, e);
    }
  }

  private static void assertRejected(Reduction reduction, String errorType, String messageStart) {
    assertThat(reduction).isInstanceOfSatisfying(Rejected.class, rejected -> {
      assertThat(rejected.errorType()).isEqualTo(errorType);
      assertThat(rejected.message()).startsWith(messageStart);
    });
  }
}
