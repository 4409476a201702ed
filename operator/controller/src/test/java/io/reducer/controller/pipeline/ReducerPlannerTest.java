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

class ReducerPlannerTest {

  private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

  private final ReducerPipelineStatus status = new ReducerPipelineStatus();
  private final ReducerWorkload spec = new ReducerWorkload();

  @Test
  void replicasFollowTheSpecButNeverExceedTheActionsPartitions() {
    spec.setReplicas(5);
    ReducerPlan created = ReducerPlanner.plan(status, spec, running(3, null, 0), 1, NOW);
    assertThat(created.replicas()).isEqualTo(3);
    assertThat(created.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.DeploymentCreated);
    assertThat(created.events().get(0).message()).contains("capped at the actions topic's 3 partitions");
    assertThat(status.getReducersReady()).isEqualTo("0/3");
    assertThat(condition("ReducersReady").getReason()).isEqualTo("Starting");

    ReducerPlan ready = ReducerPlanner.plan(status, spec, running(6, 3, 3), 1, NOW);
    assertThat(ready.replicas()).isEqualTo(5);
    assertThat(ready.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.ScaledUp);
    assertThat(status.getReducersReady()).isEqualTo("3/5");

    ReducerPlan steady = ReducerPlanner.plan(status, spec, running(6, 5, 5), 1, NOW);
    assertThat(steady.events()).isEmpty();
    assertThat(condition("ReducersReady").getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(status.getReducersReady()).isEqualTo("5/5");
  }

  @Test
  void reducersStartingAreWorkInProgressForKstatusAndNotOnceTheyRun() {
    spec.setReplicas(2);
    ReducerPlanner.plan(status, spec, running(2, 2, 1), 1, NOW);
    assertThat(condition("Reconciling").getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(condition("Reconciling").getReason()).isEqualTo("ReducersStarting");
    assertThat(condition("Reconciling").getMessage()).isEqualTo("1/2 reducer pods ready");

    ReducerPlanner.plan(status, spec, running(2, 2, 2), 1, NOW);
    assertThat(status.condition("Reconciling")).as("nothing in progress any more").isEmpty();
  }

  @Test
  void unknownPartitionsKeepTheCurrentCountAndCreateNothing() {
    ReducerPlan none = ReducerPlanner.plan(status, spec, running(null, null, 0), 1, NOW);
    assertThat(none.replicas()).isNull();
    assertThat(none.check().ok()).isTrue();
    assertThat(condition("ReducersReady").getReason()).isEqualTo("WaitingForActionsTopic");
    assertThat(status.getReducersReady()).isNull();

    ReducerPlan kept = ReducerPlanner.plan(status, spec, running(null, 2, 2), 1, NOW);
    assertThat(kept.replicas()).isEqualTo(2);
    assertThat(kept.events()).isEmpty();
  }

  @Test
  void pauseScalesToZeroOnceAndResumeRestoresTheSameCount() {
    spec.setReplicas(2);
    ReducerPlanner.plan(status, spec, running(4, 2, 2), 1, NOW);

    ReducerPlan paused = ReducerPlanner.plan(status, spec, paused(EmergencyStop.Reason.AnnotationPaused, 2), 1, NOW);
    assertThat(paused.replicas()).isZero();
    assertThat(paused.events()).extracting(PlannedEvent::message)
        .containsExactly("Scaled reducers from 2 to 0: annotation reducer.io/paused is \"true\"");
    assertThat(condition("Paused").getReason()).isEqualTo("AnnotationPaused");
    assertThat(status.getReplicasBeforePause()).isEqualTo(2);

    ReducerPlan stillPaused = ReducerPlanner.plan(status, spec, paused(EmergencyStop.Reason.AnnotationPaused, 0), 1,
        NOW);
    assertThat(stillPaused.events()).isEmpty();
    assertThat(stillPaused.replicas()).isZero();

    ReducerPlan resumed = ReducerPlanner.plan(status, spec, running(4, 0, 0), 1, NOW);
    assertThat(resumed.replicas()).isEqualTo(2);
    assertThat(resumed.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.Resumed);
    assertThat(condition("Paused").getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(status.getReplicasBeforePause()).isNull();
  }

  @Test
  void nothingIsCreatedForZeroReplicasOrWhileACredentialIsMissing() {
    spec.setReplicas(0);
    ReducerPlan none = ReducerPlanner.plan(status, spec, running(4, null, 0), 1, NOW);
    assertThat(none.replicas()).isNull();
    assertThat(status.getReducersReady()).isEqualTo("0/0");

    spec.setReplicas(2);
    ReducerPlan blocked = ReducerPlanner.plan(status, spec,
        new ReducerObservation(null, null, null, 4, null, 0, true, null), 1, NOW);
    assertThat(blocked.replicas()).isNull();
    assertThat(blocked.events()).isEmpty();
    assertThat(condition("ReducersReady").getReason()).isEqualTo("WaitingForConnections");

    ReducerPlan existing = ReducerPlanner.plan(status, spec,
        new ReducerObservation(null, null, null, 4, 2, 2, true, null), 1, NOW);
    assertThat(existing.replicas()).isNull();
    assertThat(status.getReducersReady()).isEqualTo("2/2");
  }

  @Test
  void aPausedPipelineWithoutReducersCreatesNone() {
    ReducerPlan plan = ReducerPlanner.plan(status, spec, paused(EmergencyStop.Reason.SpecPaused, null), 1, NOW);
    assertThat(plan.replicas()).isNull();
    assertThat(plan.events()).extracting(PlannedEvent::message).containsExactly("No reducer runs: spec.paused is true");
  }

  @Test
  void aRefusedSpecLeavesTheReducersAloneStallsAndWarnsOnceButAPauseStillStopsThem() {
    ReducerObservation refused = new ReducerObservation(null, ReducerPlanner.INVALID_STATE_MACHINE,
        "spec.reducer.stateMachine does not hold together: x", 4, 2, 2, false, null);
    ReducerPlan plan = ReducerPlanner.plan(status, spec, refused, 1, NOW);
    assertThat(plan.replicas()).isNull();
    assertThat(plan.check().ok()).isFalse();
    assertThat(plan.check().needsUser()).isTrue();
    assertThat(plan.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.Refused);
    assertThat(condition("ReducersReady").getReason()).isEqualTo("InvalidStateMachine");
    assertThat(ReducerPlanner.plan(status, spec, refused, 1, NOW).events()).isEmpty();

    ReducerPlan pausedAnyway = ReducerPlanner.plan(status, spec, new ReducerObservation(
        EmergencyStop.Reason.SpecPaused, refused.refusalReason(), refused.refusalMessage(), 4, 2, 2, false, null), 1,
        NOW);
    assertThat(pausedAnyway.replicas()).isZero();
    assertThat(pausedAnyway.scaleOnly()).isTrue();
  }

  @Test
  void aResetHoldsTheReducersAtZeroWithoutPausingThePipelineAndReleasedTheyComeBack() {
    spec.setReplicas(2);
    ReducerPlanner.plan(status, spec, running(4, 2, 2), 1, NOW);

    ReducerPlan held = ReducerPlanner.plan(status, spec, held("rewind", 2), 1, NOW);
    assertThat(held.replicas()).isZero();
    assertThat(held.scaleOnly()).isFalse();
    assertThat(held.check().ok()).isTrue();
    assertThat(held.events()).extracting(PlannedEvent::message).containsExactly("Scaled reducers from 2 to 0: "
        + "WatermarkReset rewind holds them while it moves their consumer group's offsets; the projections keep running");
    assertThat(condition("ReducersReady").getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(condition("ReducersReady").getReason()).isEqualTo(ReducerPlanner.RESET_IN_PROGRESS);
    assertThat(condition("Paused").getStatus()).as("Paused is the user's pause").isEqualTo(ConditionStatus.False);
    assertThat(status.getActiveReset()).isEqualTo("rewind");
    assertThat(status.getReplicasBeforePause()).isNull();

    ReducerPlan stillHeld = ReducerPlanner.plan(status, spec, held("rewind", 0), 1, NOW);
    assertThat(stillHeld.replicas()).isZero();
    assertThat(stillHeld.events()).isEmpty();

    ReducerPlan released = ReducerPlanner.plan(status, spec, running(4, 0, 0), 1, NOW);
    assertThat(released.replicas()).isEqualTo(2);
    assertThat(released.events()).extracting(PlannedEvent::message)
        .containsExactly("Reducers scaled back to 2: WatermarkReset rewind released them");
    assertThat(status.getActiveReset()).isNull();
    assertThat(condition("ReducersReady").getReason()).isEqualTo("Starting");
  }

  @Test
  void aHoldOnARefusedSpecOnlyScalesAndAHoldOnAPausedPipelineLeavesThePauseInCharge() {
    ReducerPlan refusedHeld = ReducerPlanner.plan(status, spec, new ReducerObservation(null,
        ReducerPlanner.INVALID_STATE_MACHINE, "bad machine", 4, 2, 2, false, "rewind"), 1, NOW);
    assertThat(refusedHeld.replicas()).isZero();
    assertThat(refusedHeld.scaleOnly()).isTrue();
    assertThat(condition("ReducersReady").getReason()).isEqualTo(ReducerPlanner.INVALID_STATE_MACHINE);

    ReducerPlan pausedHeld = ReducerPlanner.plan(new ReducerPipelineStatus(), spec, new ReducerObservation(
        EmergencyStop.Reason.SpecPaused, null, null, 4, 2, 0, false, "rewind"), 1, NOW);
    assertThat(pausedHeld.replicas()).isZero();
  }

  @Test
  void aStateMachineThatDoesNotHoldTogetherIsRefusedWithTheEntryNamed() throws Exception {
    assertThat(ReducerPlanner.stateMachine(spec)).isEmpty();

    StateMachineSpec machine = new StateMachineSpec();
    machine.setStates(List.of("open", "closed"));
    machine.setTransitions(List.of(transition("open", "closed")));
    spec.setStateMachine(machine);
    assertThat(ReducerPlanner.stateMachine(spec).orElseThrow().initialState()).isEqualTo("OPEN");

    machine.setTransitions(List.of(transition("open", "archived")));
    assertThatThrownBy(() -> ReducerPlanner.stateMachine(spec)).isInstanceOf(StateMachineException.class)
        .hasMessageContaining("ARCHIVED");
    machine.setTransitions(List.of(transition("open", "closed")));
    machine.setInitialState("draft");
    assertThatThrownBy(() -> ReducerPlanner.stateMachine(spec)).isInstanceOf(StateMachineException.class)
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
