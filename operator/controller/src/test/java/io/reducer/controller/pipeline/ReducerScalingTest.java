package io.reducer.controller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.api.v1alpha1.pipeline.ReducerWorkload;
import io.reducer.api.v1alpha1.pipeline.StateMachineSpec;
import io.reducer.api.v1alpha1.pipeline.StateTransitionSpec;
import io.reducer.controller.events.EventReason;
import io.reducer.controller.events.PlannedEvent;
import io.reducer.controller.workload.EmergencyStop;
import io.reducer.workloads.reducer.fsm.StateMachineException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReducerScalingTest {

  private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

  private final ReducerPipelineStatus status = new ReducerPipelineStatus();
  private final ReducerWorkload spec = new ReducerWorkload();

  @Test
  void replicasFollowTheSpecButNeverExceedTheActionsPartitions() {
    spec.setReplicas(5);
    ReducerScaling.Outcome created = ReducerScaling.decide(status, spec, running(3, null, 0), 1, NOW);
    assertThat(created.change()).isEqualTo(new ReducerChange.Apply(3));
    assertThat(created.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.DeploymentCreated);
    assertThat(created.events().get(0).message()).contains("capped at the actions topic's 3 partitions");
    assertThat(status.getReducersReady()).isEqualTo("0/3");
    assertThat(condition("ReducersReady").getReason()).isEqualTo("Starting");

    ReducerScaling.Outcome ready = ReducerScaling.decide(status, spec, running(6, 3, 3), 1, NOW);
    assertThat(ready.change()).isEqualTo(new ReducerChange.Apply(5));
    assertThat(ready.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.ScaledUp);
    assertThat(status.getReducersReady()).isEqualTo("3/5");

    ReducerScaling.Outcome steady = ReducerScaling.decide(status, spec, running(6, 5, 5), 1, NOW);
    assertThat(steady.events()).isEmpty();
    assertThat(condition("ReducersReady").getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(status.getReducersReady()).isEqualTo("5/5");
  }

  @Test
  void reducersStartingAreWorkInProgressForKstatusAndNotOnceTheyRun() {
    spec.setReplicas(2);
    ReducerScaling.decide(status, spec, running(2, 2, 1), 1, NOW);
    assertThat(condition("Reconciling").getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(condition("Reconciling").getReason()).isEqualTo("ReducersStarting");
    assertThat(condition("Reconciling").getMessage()).isEqualTo("1/2 reducer pods ready");

    ReducerScaling.decide(status, spec, running(2, 2, 2), 1, NOW);
    assertThat(status.condition("Reconciling")).as("nothing in progress any more").isEmpty();
  }

  @Test
  void unknownPartitionsKeepTheCurrentCountAndCreateNothing() {
    ReducerScaling.Outcome none = ReducerScaling.decide(status, spec, running(null, null, 0), 1, NOW);
    assertThat(none.change()).isNull();
    assertThat(none.check().ok()).isTrue();
    assertThat(condition("ReducersReady").getReason()).isEqualTo("WaitingForActionsTopic");
    assertThat(status.getReducersReady()).isNull();

    ReducerScaling.Outcome kept = ReducerScaling.decide(status, spec, running(null, 2, 2), 1, NOW);
    assertThat(kept.change()).isEqualTo(new ReducerChange.Apply(2));
    assertThat(kept.events()).isEmpty();
  }

  @Test
  void pauseScalesToZeroOnceAndResumeRestoresTheSameCount() {
    spec.setReplicas(2);
    ReducerScaling.decide(status, spec, running(4, 2, 2), 1, NOW);

    ReducerScaling.Outcome paused = ReducerScaling.decide(status, spec,
        paused(EmergencyStop.Reason.AnnotationPaused, 2), 1, NOW);
    assertThat(paused.change()).isEqualTo(new ReducerChange.Apply(0));
    assertThat(paused.events()).extracting(PlannedEvent::message)
        .containsExactly("Scaled reducers from 2 to 0: annotation reducer.io/paused is \"true\"");
    assertThat(condition("Paused").getReason()).isEqualTo("AnnotationPaused");
    assertThat(status.getReplicasBeforePause()).isEqualTo(2);

    ReducerScaling.Outcome stillPaused = ReducerScaling.decide(status, spec,
        paused(EmergencyStop.Reason.AnnotationPaused, 0), 1, NOW);
    assertThat(stillPaused.events()).isEmpty();
    assertThat(stillPaused.change()).isEqualTo(new ReducerChange.Apply(0));

    ReducerScaling.Outcome resumed = ReducerScaling.decide(status, spec, running(4, 0, 0), 1, NOW);
    assertThat(resumed.change()).isEqualTo(new ReducerChange.Apply(2));
    assertThat(resumed.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.Resumed);
    assertThat(condition("Paused").getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(status.getReplicasBeforePause()).isNull();
  }

  @Test
  void nothingIsCreatedForZeroReplicasOrWhileACredentialIsMissing() {
    spec.setReplicas(0);
    ReducerScaling.Outcome none = ReducerScaling.decide(status, spec, running(4, null, 0), 1, NOW);
    assertThat(none.change()).isNull();
    assertThat(status.getReducersReady()).isEqualTo("0/0");

    spec.setReplicas(2);
    ReducerScaling.Outcome blocked = ReducerScaling.decide(status, spec,
        new ReducerObservation(null, null, null, 4, null, 0, true, null), 1, NOW);
    assertThat(blocked.change()).isNull();
    assertThat(blocked.events()).isEmpty();
    assertThat(condition("ReducersReady").getReason()).isEqualTo("WaitingForConnections");

    ReducerScaling.Outcome existing = ReducerScaling.decide(status, spec,
        new ReducerObservation(null, null, null, 4, 2, 2, true, null), 1, NOW);
    assertThat(existing.change()).isNull();
    assertThat(status.getReducersReady()).isEqualTo("2/2");
  }

  @Test
  void aPausedPipelineWithoutReducersCreatesNone() {
    ReducerScaling.Outcome outcome = ReducerScaling.decide(status, spec, paused(EmergencyStop.Reason.SpecPaused, null),
        1, NOW);
    assertThat(outcome.change()).isNull();
    assertThat(outcome.events()).extracting(PlannedEvent::message)
        .containsExactly("No reducer runs: spec.paused is true");
  }

  @Test
  void aRefusedSpecLeavesTheReducersAloneStallsAndWarnsOnceButAPauseStillStopsThem() {
    ReducerObservation refused = new ReducerObservation(null, ReducerScaling.INVALID_STATE_MACHINE,
        "spec.reducer.stateMachine does not hold together: x", 4, 2, 2, false, null);
    ReducerScaling.Outcome outcome = ReducerScaling.decide(status, spec, refused, 1, NOW);
    assertThat(outcome.change()).isNull();
    assertThat(outcome.check().ok()).isFalse();
    assertThat(outcome.check().needsUser()).isTrue();
    assertThat(outcome.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.Refused);
    assertThat(condition("ReducersReady").getReason()).isEqualTo("InvalidStateMachine");
    assertThat(ReducerScaling.decide(status, spec, refused, 1, NOW).events()).isEmpty();

    ReducerScaling.Outcome pausedAnyway = ReducerScaling.decide(status, spec, new ReducerObservation(
        EmergencyStop.Reason.SpecPaused, refused.refusalReason(), refused.refusalMessage(), 4, 2, 2, false, null), 1,
        NOW);
    assertThat(pausedAnyway.change()).isEqualTo(new ReducerChange.ScaleOnly(0));

    ReducerScaling.Outcome nothingToStop = ReducerScaling.decide(new ReducerPipelineStatus(), spec,
        new ReducerObservation(EmergencyStop.Reason.SpecPaused, refused.refusalReason(), refused.refusalMessage(), 4,
            null, 0, false, "rewind"), 1, NOW);
    assertThat(nothingToStop.change()).as("no Deployment to scale, and none is created").isNull();
  }

  @Test
  void aResetHoldsTheReducersAtZeroWithoutPausingThePipelineAndReleasedTheyComeBack() {
    spec.setReplicas(2);
    ReducerScaling.decide(status, spec, running(4, 2, 2), 1, NOW);

    ReducerScaling.Outcome held = ReducerScaling.decide(status, spec, held("rewind", 2), 1, NOW);
    assertThat(held.change()).isEqualTo(new ReducerChange.Apply(0));
    assertThat(held.check().ok()).isTrue();
    assertThat(held.events()).extracting(PlannedEvent::message).containsExactly("Scaled reducers from 2 to 0: "
        + "WatermarkReset rewind holds them while it moves their consumer group's offsets; the projections keep running");
    assertThat(condition("ReducersReady").getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(condition("ReducersReady").getReason()).isEqualTo(ReducerScaling.RESET_IN_PROGRESS);
    assertThat(condition("Paused").getStatus()).as("Paused is the user's pause").isEqualTo(ConditionStatus.False);
    assertThat(status.getActiveReset()).isEqualTo("rewind");
    assertThat(status.getReplicasBeforePause()).isNull();

    ReducerScaling.Outcome stillHeld = ReducerScaling.decide(status, spec, held("rewind", 0), 1, NOW);
    assertThat(stillHeld.change()).isEqualTo(new ReducerChange.Apply(0));
    assertThat(stillHeld.events()).isEmpty();

    ReducerScaling.Outcome released = ReducerScaling.decide(status, spec, running(4, 0, 0), 1, NOW);
    assertThat(released.change()).isEqualTo(new ReducerChange.Apply(2));
    assertThat(released.events()).extracting(PlannedEvent::message)
        .containsExactly("Reducers scaled back to 2: WatermarkReset rewind released them");
    assertThat(status.getActiveReset()).isNull();
    assertThat(condition("ReducersReady").getReason()).isEqualTo("Starting");
  }

  @Test
  void aHoldOnARefusedSpecOnlyScalesAndAHoldOnAPausedPipelineLeavesThePauseInCharge() {
    ReducerScaling.Outcome refusedHeld = ReducerScaling.decide(status, spec, new ReducerObservation(null,
        ReducerScaling.INVALID_STATE_MACHINE, "bad machine", 4, 2, 2, false, "rewind"), 1, NOW);
    assertThat(refusedHeld.change()).isEqualTo(new ReducerChange.ScaleOnly(0));
    assertThat(condition("ReducersReady").getReason()).isEqualTo(ReducerScaling.INVALID_STATE_MACHINE);

    ReducerScaling.Outcome pausedHeld = ReducerScaling.decide(new ReducerPipelineStatus(), spec, new ReducerObservation(
        EmergencyStop.Reason.SpecPaused, null, null, 4, 2, 0, false, "rewind"), 1, NOW);
    assertThat(pausedHeld.change()).isEqualTo(new ReducerChange.Apply(0));
  }

  @Test
  void aStateMachineThatDoesNotHoldTogetherIsRefusedWithTheEntryNamed() throws Exception {
    assertThat(ReducerScaling.stateMachine(spec)).isEmpty();

    StateMachineSpec machine = new StateMachineSpec();
    machine.setStates(List.of("open", "closed"));
    machine.setTransitions(List.of(transition("open", "closed")));
    spec.setStateMachine(machine);
    assertThat(ReducerScaling.stateMachine(spec).orElseThrow().initialState()).isEqualTo("OPEN");

    machine.setTransitions(List.of(transition("open", "archived")));
    assertThatThrownBy(() -> ReducerScaling.stateMachine(spec)).isInstanceOf(StateMachineException.class)
        .hasMessageContaining("ARCHIVED");
    machine.setTransitions(List.of(transition("open", "closed")));
    machine.setInitialState("draft");
    assertThatThrownBy(() -> ReducerScaling.stateMachine(spec)).isInstanceOf(StateMachineException.class)
        .hasMessageContaining("DRAFT");
  }

  private static StateTransitionSpec transition(String from, String to) {
    StateTransitionSpec transition = new StateTransitionSpec();
    transition.setFrom(from);
    transition.setTo(to);
    return transition;
  }

  private static ReducerObservation running(Integer partitions, Integer deploymentReplicas, int ready) {
    return new ReducerObservation(null, null, null, partitions, deploymentReplicas, ready, false, null);
  }

  private static ReducerObservation paused(EmergencyStop.Reason reason, Integer deploymentReplicas) {
    return new ReducerObservation(reason, null, null, 4, deploymentReplicas, 0, false, null);
  }

  private static ReducerObservation held(String reset, Integer deploymentReplicas) {
    return new ReducerObservation(null, null, null, 4, deploymentReplicas, 0, false, reset);
  }

  private Condition condition(String type) {
    return status.condition(type).orElseThrow(() -> new AssertionError("no " + type + " condition"));
  }
}
