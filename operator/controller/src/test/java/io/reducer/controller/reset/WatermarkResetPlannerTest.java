package io.reducer.controller.reset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.WatermarkResetSpec;
import io.reducer.api.v1alpha1.common.Approval;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.api.v1alpha1.common.LocalReference;
import io.reducer.api.v1alpha1.common.PhaseTransition;
import io.reducer.api.v1alpha1.reset.CompletedReset;
import io.reducer.api.v1alpha1.reset.ResetPlan;
import io.reducer.api.v1alpha1.reset.ResetTarget;
import io.reducer.api.v1alpha1.reset.ResetTargetType;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import io.reducer.controller.events.EventReason;
import io.reducer.controller.events.PlannedEvent;
import io.reducer.controller.kafka.ConsumerGroupState;
import io.reducer.workloads.materializer.Watermark;
import io.reducer.controller.reset.ResetStep.Action;
import io.reducer.controller.workload.JobOutcome;
import io.reducer.workloads.offsets.PlannedPartition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatermarkResetPlannerTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final ConsumerGroupState EMPTY = new ConsumerGroupState("reducer.orders.p", "Empty", List.of());
  private static final String GROUP = "reducer.orders.pipeline.p";
  private static final ConsumerGroupState REDUCERS_EMPTY = new ConsumerGroupState(GROUP, "Empty", List.of());

  @Test
  void aNewResetIsPendingAndGoesOnAtOnce() {
    ResetStep step = WatermarkResetPlanner.step(reset(Approval.Automatic, false), new ResetObservation(), NOW);

    assertThat(step.status().getPhase()).isEqualTo(WatermarkResetPhase.Pending);
    assertThat(step.again()).isTrue();
    assertThat(step.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("Pending");
  }

  @Test
  void aResetWaitsItsTurnWhileAnotherHoldsTheProjection() {
    WatermarkReset reset = at(reset(Approval.Automatic, false), WatermarkResetPhase.Pending);
    ResetStep step = WatermarkResetPlanner.step(reset, new ResetObservation().heldBy("first-reset"), NOW);

    assertThat(step.status().getPhase()).isEqualTo(WatermarkResetPhase.Pending);
    assertThat(step.action()).isEqualTo(Action.NONE);
    assertThat(step.status().getMessage()).contains("WatermarkReset first-reset holds projection orders/p");
    assertThat(step.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("WaitingForOtherReset");
    assertThat(step.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.Waiting);
    assertThat(step.requeue()).isNotNull();
  }

  @Test
  void aMissingProjectionKeepsTheResetPendingWithTheFix() {
    WatermarkReset reset = at(reset(Approval.Automatic, false), WatermarkResetPhase.Pending);
    ResetStep step = WatermarkResetPlanner.step(reset, new ResetObservation().targetMissing(), NOW);

    assertThat(step.status().getPhase()).isEqualTo(WatermarkResetPhase.Pending);
    assertThat(step.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("ProjectionNotFound");
    assertThat(step.status().getMessage()).contains("spec.projectionRef");
  }

  @Test
  void quiescingHoldsTheProjectionAndRemembersItsReplicas() {
    WatermarkReset reset = at(reset(Approval.Automatic, false), WatermarkResetPhase.Pending);
    ResetStep step = WatermarkResetPlanner.step(reset, new ResetObservation().holding(true).replicas(6), NOW);

    assertThat(step.status().getPhase()).isEqualTo(WatermarkResetPhase.Quiescing);
    assertThat(step.action()).isEqualTo(Action.HOLD);
    assertThat(step.status().getReplicasBeforeQuiesce()).isEqualTo(6);
    assertThat(step.again()).isTrue();
  }

  @Test
  void aLiveGroupIsNeverResetAndItsMembersAreNamed() {
    WatermarkReset reset = at(reset(Approval.Automatic, false), WatermarkResetPhase.Quiescing);
    ConsumerGroupState live = new ConsumerGroupState("reducer.orders.p", "Stable",
        List.of("consumer-1 (client materializer-0, host /10.0.0.7)"));
    ResetStep step = WatermarkResetPlanner.step(reset, new ResetObservation().group(live), NOW);

    assertThat(step.status().getPhase()).isEqualTo(WatermarkResetPhase.Quiescing);
    assertThat(step.status().getPlan()).isNull();
    assertThat(step.action()).isEqualTo(Action.HOLD);
    assertThat(step.status().getMessage()).contains("1 member(s)").contains("state Stable").contains("materializer-0");
    assertThat(step.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("GroupNotEmpty");
  }

  @Test
  void anUnreachableClusterIsWaitedOutNotTakenForAnEmptyGroup() {
    WatermarkReset reset = at(reset(Approval.Automatic, false), WatermarkResetPhase.Quiescing);
    ResetStep step = WatermarkResetPlanner.step(reset,
        new ResetObservation().groupUnknown("KafkaUnreachable", "no answer from k:9092"), NOW);

    assertThat(step.status().getPhase()).isEqualTo(WatermarkResetPhase.Quiescing);
    assertThat(step.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("KafkaUnreachable");
  }

  @Test
  void anEmptyGroupIsPlannedAndThePlanRecordedBeforeAnythingChanges() {
    WatermarkReset reset = at(reset(Approval.Manual, false), WatermarkResetPhase.Quiescing);
    ResetStep step = WatermarkResetPlanner.step(reset,
        new ResetObservation().group(EMPTY).plan(PlanAttempt.planned(plan())), NOW);

    assertThat(step.status().getPhase()).isEqualTo(WatermarkResetPhase.Planned);
    assertThat(step.status().getPlan().getNewEpoch()).isEqualTo(4L);
    assertThat(step.action()).isEqualTo(Action.NONE);
    assertThat(step.events()).extracting(PlannedEvent::message)
        .containsExactly("plan: 2 partition(s) of state-committed, epoch 3 -> 4, projection table truncated and rebuilt");
  }

  @Test
  void aPlanThatCannotBeMadeFailsAndReleasesTheProjection() {
    WatermarkReset reset = at(reset(Approval.Automatic, false), WatermarkResetPhase.Quiescing);
    ResetStep step = WatermarkResetPlanner.step(reset, new ResetObservation().group(EMPTY)
        .plan(PlanAttempt.refused("PlanRefused", "partition 7 does not exist")), NOW);

    assertThat(step.status().getPhase()).isEqualTo(WatermarkResetPhase.Failed);
    assertThat(step.action()).isEqualTo(Action.RELEASE);
    assertThat(step.status().condition("Stalled").orElseThrow().getReason()).isEqualTo("PlanRefused");
    assertThat(step.status().condition("Ready").orElseThrow().getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(step.status().condition("Reconciling")).isEmpty();
    assertThat(step.status().getMessage()).contains("partition 7 does not exist");
  }

  @Test
  void manualApprovalWaitsForTheAnnotationAndSaysHowToGiveIt() {
    WatermarkReset reset = planned(reset(Approval.Manual, false));
    ResetStep step = WatermarkResetPlanner.step(reset, new ResetObservation(), NOW);

    assertThat(step.status().getPhase()).isEqualTo(WatermarkResetPhase.AwaitingApproval);
    assertThat(step.action()).isEqualTo(Action.NONE);
    assertThat(step.status().getMessage())
        .startsWith("approve with: kubectl annotate watermarkreset r1 -n orders reducer.io/approve=true (within PT1H");

    reset.setStatus(step.status());
    ResetStep still = WatermarkResetPlanner.step(reset, new ResetObservation(), NOW.plusSeconds(60));
    assertThat(still.status().getPhase()).isEqualTo(WatermarkResetPhase.AwaitingApproval);
    assertThat(still.action()).isEqualTo(Action.NONE);

    ResetStep approved = WatermarkResetPlanner.step(reset, new ResetObservation().approved(true), NOW.plusSeconds(90));
    assertThat(approved.status().getPhase()).isEqualTo(WatermarkResetPhase.Resetting);
    assertThat(approved.action()).isEqualTo(Action.START_JOB);
    assertThat(approved.status().getJobName()).isEqualTo("r1-reset");
  }

  @Test
  void aDryRunStopsAtThePlanAndResumes() {
    ResetStep step = WatermarkResetPlanner.step(planned(reset(Approval.Manual, true)), new ResetObservation(), NOW);

    assertThat(step.status().getPhase()).isEqualTo(WatermarkResetPhase.Resuming);
    assertThat(step.action()).isEqualTo(Action.RELEASE);
    assertThat(step.status().getJobName()).isNull();
  }

  @Test
  void aMissingJobIsStartedAgainUnderTheSameName() {
    WatermarkReset reset = resetting(reset(Approval.Automatic, false));
    ResetStep step = WatermarkResetPlanner.step(reset, new ResetObservation(), NOW);

    assertThat(step.action()).isEqualTo(Action.START_JOB);
    assertThat(step.status().getPhase()).isEqualTo(WatermarkResetPhase.Resetting);
    assertThat(step.status().getJobName()).isEqualTo("r1-reset");
  }

  @Test
  void aCompletedJobResumesTheProjectionThenTheResetCompletes() {
    WatermarkReset reset = resetting(reset(Approval.Automatic, false));
    String result = "{\"result\":\"Completed\",\"currentEpoch\":3,\"newEpoch\":4,\"truncated\":true,"
        + "\"message\":\"moved 2 partition(s), epoch 3 -> 4, projection table truncated\"}";
    ResetStep step = WatermarkResetPlanner.step(reset,
        new ResetObservation().job(new JobOutcome(JobOutcome.State.SUCCEEDED, null, result, 0)), NOW);

    assertThat(step.status().getPhase()).isEqualTo(WatermarkResetPhase.Resuming);
    assertThat(step.action()).isEqualTo(Action.RELEASE);
    assertThat(step.status().getMessage()).contains("epoch 3 -> 4");

    reset.setStatus(step.status());
    ResetStep waiting = WatermarkResetPlanner.step(reset, new ResetObservation().released(false), NOW);
    assertThat(waiting.status().getPhase()).isEqualTo(WatermarkResetPhase.Resuming);
    assertThat(waiting.action()).isEqualTo(Action.RELEASE);

    ResetStep done = WatermarkResetPlanner.step(reset, new ResetObservation().released(true), NOW.plusSeconds(1));
    assertThat(done.status().getPhase()).isEqualTo(WatermarkResetPhase.Completed);
    assertThat(done.status().condition("Ready").orElseThrow().getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(done.status().condition("Reconciling")).isEmpty();
    assertThat(done.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.ResetCompleted);
    assertThat(done.status().getHistory()).extracting(PhaseTransition::getPhase)
        .containsExactly("Pending", "Quiescing", "Planned", "Resetting", "Resuming", "Completed");
  }

  @Test
  void aJobWhosePodCannotStartStallsTheResetWithTheProjectionHeldUntilThePodStarts() {
    WatermarkReset reset = resetting(reset(Approval.Automatic, false));
    JobOutcome stuck = new JobOutcome(JobOutcome.State.RUNNING, null, null, 0,
        "pod r1-reset-x2k9q: CreateContainerConfigError: secret \"pg\" not found");
    ResetStep step = WatermarkResetPlanner.step(reset, new ResetObservation().job(stuck), NOW);

    assertThat(step.status().getPhase()).isEqualTo(WatermarkResetPhase.Resetting);
    assertThat(step.action()).as("the projection stays held").isEqualTo(Action.NONE);
    assertThat(step.status().getMessage()).startsWith("Job r1-reset cannot start its pod r1-reset-x2k9q: "
        + "CreateContainerConfigError: secret \"pg\" not found");
    assertThat(step.status().condition("Stalled").orElseThrow().getReason()).isEqualTo("JobPodNotStarting");
    assertThat(step.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.JobPodNotStarting);

    reset.setStatus(step.status());
    ResetStep again = WatermarkResetPlanner.step(reset, new ResetObservation().job(stuck), NOW.plusSeconds(1));
    assertThat(again.events()).as("one warning per episode").isEmpty();

    reset.setStatus(again.status());
    ResetStep started = WatermarkResetPlanner.step(reset,
        new ResetObservation().job(new JobOutcome(JobOutcome.State.RUNNING, null, null, 0)), NOW.plusSeconds(2));
    assertThat(started.status().condition("Stalled")).isEmpty();
    assertThat(started.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("Resetting");
  }

  @Test
  void aFailedJobFailsTheResetWithItsMessageAndReleasesTheProjection() {
    WatermarkReset reset = resetting(reset(Approval.Automatic, false));
    String result = "{\"result\":\"Failed\",\"message\":\"the projection's epoch is 5, not the expected 3\"}";
    ResetStep step = WatermarkResetPlanner.step(reset, new ResetObservation()
        .job(new JobOutcome(JobOutcome.State.FAILED, "BackoffLimitExceeded", result, 3)), NOW);

    assertThat(step.status().getPhase()).isEqualTo(WatermarkResetPhase.Failed);
    assertThat(step.action()).isEqualTo(Action.RELEASE);
    assertThat(step.status().getMessage())
        .isEqualTo("Job r1-reset failed (BackoffLimitExceeded): the projection's epoch is 5, not the expected 3");
    assertThat(step.status().condition("Stalled").orElseThrow().getReason()).isEqualTo("ResetJobFailed");
    assertThat(step.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.ResetFailed);
  }

  @Test
  void aJobThatSucceedsWithoutAResultIsNotTakenForAReset() {
    WatermarkReset reset = resetting(reset(Approval.Automatic, false));
    ResetStep step = WatermarkResetPlanner.step(reset,
        new ResetObservation().job(JobOutcome.of(new JobBuilder().withNewStatus().addNewCondition()
            .withType("Complete").withStatus("True").endCondition().endStatus().build(), List.of())), NOW);

    assertThat(step.status().getPhase()).isEqualTo(WatermarkResetPhase.Failed);
    assertThat(step.status().condition("Stalled").orElseThrow().getReason()).isEqualTo("ResetNotApplied");
  }

  @Test
  void finishedResetsStayFinished() {
    WatermarkReset reset = at(reset(Approval.Automatic, false), WatermarkResetPhase.Completed);
    ResetStep step = WatermarkResetPlanner.step(reset, new ResetObservation().targetMissing(), NOW);

    assertThat(step.status().getPhase()).isEqualTo(WatermarkResetPhase.Completed);
    assertThat(step.action()).isEqualTo(Action.NONE);
    assertThat(step.requeue()).isNull();
  }

  @Test
  void aResetOfTheReducersHoldsThePipelineAndWaitsUntilItsReconcilerHasScaledThemToZero() {
    WatermarkReset reset = at(reducersReset(Approval.Manual, false), WatermarkResetPhase.Pending);
    ResetStep step = WatermarkResetPlanner.step(reset, new ResetObservation().holding(true).replicas(2), NOW);

    assertThat(step.status().getPhase()).isEqualTo(WatermarkResetPhase.Quiescing);
    assertThat(step.action()).isEqualTo(Action.HOLD);
    assertThat(step.status().getReplicasBeforeQuiesce()).isEqualTo(2);
    assertThat(step.status().getMessage())
        .isEqualTo("reducers of pipeline orders/p held at 0 replicas; waiting for consumer group to empty");

    reset.setStatus(step.status());
    ResetStep pending = WatermarkResetPlanner.step(reset, new ResetObservation().holdApplied(false).group(EMPTY), NOW);
    assertThat(pending.status().getPhase()).isEqualTo(WatermarkResetPhase.Quiescing);
    assertThat(pending.action()).isEqualTo(Action.HOLD);
    assertThat(pending.status().getPlan()).as("an empty group is not enough while the reducers may start").isNull();
    assertThat(pending.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("HoldPending");

    ConsumerGroupState live = new ConsumerGroupState(GROUP, "Stable",
        List.of("consumer-1 (client reducer-0, host /10.0.0.9)"));
    ResetStep members = WatermarkResetPlanner.step(reset, new ResetObservation().holdApplied(true).group(live), NOW);
    assertThat(members.status().getPhase()).isEqualTo(WatermarkResetPhase.Quiescing);
    assertThat(members.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("GroupNotEmpty");
    assertThat(members.status().getMessage()).contains("consumer group " + GROUP).contains("reducer-0");
  }

  @Test
  void aResetOfTheReducersPlansWithoutEpochWaitsForApprovalMovesTheOffsetsItselfAndResumes() {
    WatermarkReset reset = at(reducersReset(Approval.Manual, false), WatermarkResetPhase.Quiescing);
    ResetStep planned = WatermarkResetPlanner.step(reset,
        new ResetObservation().holdApplied(true).group(REDUCERS_EMPTY).plan(PlanAttempt.planned(reducerPlan())), NOW);
    assertThat(planned.status().getPhase()).isEqualTo(WatermarkResetPhase.Planned);
    assertThat(planned.status().getPlan().getNewEpoch()).as("no epoch for the reducers").isNull();
    assertThat(planned.status().getPlan().getCurrentEpoch()).isNull();
    assertThat(planned.events()).extracting(PlannedEvent::message)
        .containsExactly("plan: 2 partition(s) of p.actions, group offsets only (no watermark, no epoch)");

    reset.setStatus(planned.status());
    ResetStep awaiting = WatermarkResetPlanner.step(reset, new ResetObservation(), NOW);
    assertThat(awaiting.status().getPhase()).isEqualTo(WatermarkResetPhase.AwaitingApproval);
    assertThat(awaiting.action()).isEqualTo(Action.NONE);

    reset.setStatus(awaiting.status());
    ResetStep resetting = WatermarkResetPlanner.step(reset, new ResetObservation().approved(true), NOW);
    assertThat(resetting.status().getPhase()).isEqualTo(WatermarkResetPhase.Resetting);
    assertThat(resetting.action()).isEqualTo(Action.MOVE_OFFSETS);
    assertThat(resetting.status().getJobName()).as("no Job for the reducers").isNull();
    assertThat(resetting.again()).as("read the offsets back at once").isTrue();
    assertThat(resetting.status().getMessage()).contains("moves the offsets of consumer group " + GROUP)
        .contains("dedup log");

    reset.setStatus(resetting.status());
    ResetStep notYet = WatermarkResetPlanner.step(reset,
        new ResetObservation().group(REDUCERS_EMPTY).committed(Map.of(0, 120L)), NOW);
    assertThat(notYet.status().getPhase()).isEqualTo(WatermarkResetPhase.Resetting);
    assertThat(notYet.action()).as("moving again is harmless").isEqualTo(Action.MOVE_OFFSETS);

    ResetStep failedMove = WatermarkResetPlanner.step(reset, new ResetObservation().group(REDUCERS_EMPTY)
        .committed(Map.of(0, 120L)).moveFailed("KafkaUnreachable", "no answer from k:9092"), NOW);
    assertThat(failedMove.status().getPhase()).isEqualTo(WatermarkResetPhase.Resetting);
    assertThat(failedMove.action()).isEqualTo(Action.NONE);
    assertThat(failedMove.requeue()).isNotNull();
    assertThat(failedMove.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("KafkaUnreachable");
    assertThat(failedMove.status().getMessage()).contains("no answer from k:9092");

    ConsumerGroupState intruder = new ConsumerGroupState(GROUP, "Stable", List.of("consumer-9 (client by-hand)"));
    ResetStep joined = WatermarkResetPlanner.step(reset,
        new ResetObservation().group(intruder).committed(Map.of(0, 120L)), NOW);
    assertThat(joined.status().getPhase()).isEqualTo(WatermarkResetPhase.Resetting);
    assertThat(joined.action()).as("a member is never moved under").isEqualTo(Action.NONE);
    assertThat(joined.status().getMessage()).contains("by-hand");

    ResetStep moved = WatermarkResetPlanner.step(reset,
        new ResetObservation().group(REDUCERS_EMPTY).committed(Map.of(0, 0L, 1, 0L)), NOW);
    assertThat(moved.status().getPhase()).isEqualTo(WatermarkResetPhase.Resuming);
    assertThat(moved.action()).isEqualTo(Action.RELEASE);

    reset.setStatus(moved.status());
    ResetStep stillHeld = WatermarkResetPlanner.step(reset, new ResetObservation().released(false), NOW);
    assertThat(stillHeld.action()).isEqualTo(Action.RELEASE);
    ResetStep done = WatermarkResetPlanner.step(reset, new ResetObservation().released(true), NOW.plusSeconds(1));
    assertThat(done.status().getPhase()).isEqualTo(WatermarkResetPhase.Completed);
    assertThat(done.status().getMessage()).isEqualTo("the reducers run again from the new offsets of consumer group "
        + GROUP);
    assertThat(done.status().getHistory()).extracting(PhaseTransition::getPhase).containsExactly("Pending",
        "Quiescing", "Planned", "AwaitingApproval", "Resetting", "Resuming", "Completed");
  }

  @Test
  void aMissingPipelineKeepsAResetOfTheReducersPendingWithTheFix() {
    WatermarkReset reset = at(reducersReset(Approval.Automatic, false), WatermarkResetPhase.Pending);
    ResetStep step = WatermarkResetPlanner.step(reset, new ResetObservation().targetMissing(), NOW);

    assertThat(step.status().getPhase()).isEqualTo(WatermarkResetPhase.Pending);
    assertThat(step.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("PipelineNotFound");
    assertThat(step.status().getMessage()).startsWith("ReducerPipeline orders/p does not exist")
        .contains("spec.pipelineRef");
  }

  @Test
  void aDryRunOfTheReducersMovesNothing() {
    WatermarkReset reset = at(reducersReset(Approval.Automatic, true), WatermarkResetPhase.Planned);
    ResetStep step = WatermarkResetPlanner.step(reset, new ResetObservation(), NOW);

    assertThat(step.status().getPhase()).isEqualTo(WatermarkResetPhase.Resuming);
    assertThat(step.action()).isEqualTo(Action.RELEASE);

    reset.setStatus(step.status());
    ResetStep done = WatermarkResetPlanner.step(reset, new ResetObservation().released(true), NOW);
    assertThat(done.status().getMessage()).isEqualTo("dry run finished; the reducers run again");
  }

  @Test
  void aResetGoesOnOnlyOnceTheProjectionNamesItAsHolder() {
    WatermarkReset reset = at(reset(Approval.Automatic, false), WatermarkResetPhase.Pending);
    // Nobody else holds it, but this reset has not (yet) won the hold: it must not quiesce on that belief.
    ResetStep taking = WatermarkResetPlanner.step(reset, new ResetObservation().replicas(6), NOW);

    assertThat(taking.status().getPhase()).isEqualTo(WatermarkResetPhase.Pending);
    assertThat(taking.action()).isEqualTo(Action.HOLD);
    assertThat(taking.again()).isTrue();
    assertThat(taking.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("TakingHold");

    // It lost: the winner holds the projection, and this one waits naming it.
    ResetStep lost = WatermarkResetPlanner.step(reset, new ResetObservation().heldBy("other"), NOW);
    assertThat(lost.status().getPhase()).isEqualTo(WatermarkResetPhase.Pending);
    assertThat(lost.action()).isEqualTo(Action.NONE);
    assertThat(lost.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("WaitingForOtherReset");
    assertThat(lost.status().getMessage()).contains("WatermarkReset other holds projection orders/p");

    ResetStep won = WatermarkResetPlanner.step(reset, new ResetObservation().holding(true).replicas(6), NOW);
    assertThat(won.status().getPhase()).isEqualTo(WatermarkResetPhase.Quiescing);
  }

  @Test
  void aCopyOfACompletedResetCreatedAgainIsRefusedAndChangesNothing() {
    WatermarkReset original = reset(Approval.Automatic, false);
    List<CompletedReset> remembered = List.of(new CompletedReset("r1", "uid-of-the-original",
        CompletedResets.digest(original.getSpec()), "2026-02-27T08:00:00Z"));
    WatermarkReset copy = at(reset(Approval.Automatic, false), WatermarkResetPhase.Pending);
    ResetStep step = WatermarkResetPlanner.step(copy, new ResetObservation().completed(remembered).holding(true), NOW);

    assertThat(step.status().getPhase()).isEqualTo(WatermarkResetPhase.Failed);
    assertThat(step.action()).isEqualTo(Action.NONE);
    assertThat(step.status().condition("Stalled").orElseThrow().getReason()).isEqualTo("AlreadyCompleted");
    assertThat(step.status().getMessage())
        .contains("already completed on projection orders/p at 2026-02-27T08:00:00Z (uid uid-of-the-original)")
        .contains("spec.runAgain: true");

    // Another spec under the same name is another reset.
    WatermarkReset other = at(reset(Approval.Automatic, true), WatermarkResetPhase.Pending);
    assertThat(WatermarkResetPlanner.step(other, new ResetObservation().completed(remembered).holding(true), NOW)
        .status().getPhase()).isEqualTo(WatermarkResetPhase.Quiescing);

    // runAgain runs it once more; a copy of that run is refused in turn.
    WatermarkReset again = reset(Approval.Automatic, false);
    again.getSpec().setRunAgain(true);
    again = at(again, WatermarkResetPhase.Pending);
    assertThat(WatermarkResetPlanner.step(again, new ResetObservation().completed(remembered).holding(true), NOW)
        .status().getPhase()).isEqualTo(WatermarkResetPhase.Quiescing);
    List<CompletedReset> ranAgain = List.of(remembered.get(0), new CompletedReset("r1", "uid-of-the-second",
        CompletedResets.digest(again.getSpec()), "2026-02-28T08:00:00Z"));
    ResetStep refused = WatermarkResetPlanner.step(again, new ResetObservation().completed(ranAgain).holding(true),
        NOW);
    assertThat(refused.status().getPhase()).isEqualTo(WatermarkResetPhase.Failed);
    assertThat(refused.status().getMessage()).contains("under a new name");
  }

  @Test
  void theOriginalIsNotTakenForACopyOfItself() {
    WatermarkReset reset = reset(Approval.Automatic, false);
    reset.getMetadata().setUid("uid-1");
    List<CompletedReset> remembered = List.of(new CompletedReset("r1", "uid-1",
        CompletedResets.digest(reset.getSpec()), "2026-02-27T08:00:00Z"));
    reset = at(reset, WatermarkResetPhase.Pending);

    assertThat(WatermarkResetPlanner.step(reset, new ResetObservation().completed(remembered).holding(true), NOW)
        .status().getPhase()).isEqualTo(WatermarkResetPhase.Quiescing);
  }

  @Test
  void aCompletedResetIsRememberedByItsTargetBeforeItIsRecordedCompleted() {
    WatermarkReset reset = at(reset(Approval.Automatic, false), WatermarkResetPhase.Resuming);
    ResetStep done = WatermarkResetPlanner.step(reset, new ResetObservation().released(true), NOW);

    assertThat(done.status().getPhase()).isEqualTo(WatermarkResetPhase.Completed);
    assertThat(done.action()).isEqualTo(Action.REMEMBER);

    ResetStep gone = WatermarkResetPlanner.step(reset, new ResetObservation().targetMissing().released(true), NOW);
    assertThat(gone.status().getPhase()).isEqualTo(WatermarkResetPhase.Completed);
    assertThat(gone.action()).isEqualTo(Action.NONE);
  }

  @Test
  void aJobOfTheResetsNameThatItDoesNotOwnBlocksAndIsNeverAdopted() {
    WatermarkReset reset = resetting(reset(Approval.Automatic, false));
    ResetStep step = WatermarkResetPlanner.step(reset, new ResetObservation()
        .foreignJob("Job r1-reset exists but belongs to WatermarkReset r1 (uid old)"), NOW);

    assertThat(step.status().getPhase()).isEqualTo(WatermarkResetPhase.Resetting);
    assertThat(step.action()).isEqualTo(Action.NONE);
    assertThat(step.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("JobNotOwned");
    assertThat(step.status().getMessage()).contains("belongs to WatermarkReset r1 (uid old)");
    assertThat(step.requeue()).isNotNull();
  }

  @Test
  void aManualResetNotApprovedInTimeFailsAndReleasesTheProjection() {
    WatermarkReset reset = reset(Approval.Manual, false);
    reset.getSpec().setApprovalTimeout("PT10M");
    reset = planned(reset);
    ResetStep waiting = WatermarkResetPlanner.step(reset, new ResetObservation(), NOW);
    assertThat(waiting.status().getPhase()).isEqualTo(WatermarkResetPhase.AwaitingApproval);
    reset.setStatus(waiting.status());

    ResetStep still = WatermarkResetPlanner.step(reset, new ResetObservation(), NOW.plusSeconds(9 * 60 + 30));
    assertThat(still.status().getPhase()).isEqualTo(WatermarkResetPhase.AwaitingApproval);
    assertThat(still.action()).isEqualTo(Action.NONE);
    assertThat(still.requeue()).isEqualTo(java.time.Duration.ofSeconds(30));

    ResetStep late = WatermarkResetPlanner.step(reset, new ResetObservation(), NOW.plusSeconds(10 * 60));
    assertThat(late.status().getPhase()).isEqualTo(WatermarkResetPhase.Failed);
    assertThat(late.action()).isEqualTo(Action.RELEASE);
    assertThat(late.status().condition("Stalled").orElseThrow().getReason()).isEqualTo("ApprovalTimedOut");
    assertThat(late.status().getMessage()).contains("not approved within spec.approvalTimeout PT10M");

    // Approval in time still goes on.
    ResetStep approved = WatermarkResetPlanner.step(reset, new ResetObservation().approved(true),
        NOW.plusSeconds(9 * 60));
    assertThat(approved.status().getPhase()).isEqualTo(WatermarkResetPhase.Resetting);
  }

  @Test
  void theApprovalTimeoutIsAnHourUnlessTheSpecSaysOtherwise() {
    WatermarkReset reset = planned(reset(Approval.Manual, false));
    reset.getSpec().setApprovalTimeout(null);
    reset.setStatus(WatermarkResetPlanner.step(reset, new ResetObservation(), NOW).status());

    assertThat(WatermarkResetPlanner.step(reset, new ResetObservation(), NOW.plusSeconds(3599)).status().getPhase())
        .isEqualTo(WatermarkResetPhase.AwaitingApproval);
    assertThat(WatermarkResetPlanner.step(reset, new ResetObservation(), NOW.plusSeconds(3600)).status().getPhase())
        .isEqualTo(WatermarkResetPhase.Failed);
  }

  @Test
  void aCompletedJobsSummaryIsCheckedAgainstTheWatermarksAndGroupOffsetsOfEveryPlannedPartition() {
    WatermarkReset reset = resetting(reset(Approval.Automatic, false));
    // The Job's termination message is a summary: no partitions, a count and where the whole plan is.
    String summary = "{\"result\":\"Completed\",\"currentEpoch\":3,\"newEpoch\":4,\"truncated\":true,"
        + "\"partitionCount\":2,\"appliedTo\":{\"watermarkTable\":\"public.projection_watermarks\"},"
        + "\"message\":\"moved 2 partition(s)\"}";
    JobOutcome job = new JobOutcome(JobOutcome.State.SUCCEEDED, null, summary, 0);
    Map<Integer, Watermark> rows = Map.of(0, watermark(0, 0, 4), 1, watermark(1, 0, 4));

    ResetStep unreadable = WatermarkResetPlanner.step(reset, new ResetObservation().job(job)
        .appliedUnreadable("database down"), NOW);
    assertThat(unreadable.status().getPhase()).isEqualTo(WatermarkResetPhase.Resetting);
    assertThat(unreadable.status().getMessage()).contains("database down; trying again");
    assertThat(unreadable.action()).isEqualTo(Action.NONE);

    ResetStep applied = WatermarkResetPlanner.step(reset, new ResetObservation().job(job)
        .applied(rows, Map.of(0, 0L, 1, 0L)), NOW);
    assertThat(applied.status().getPhase()).isEqualTo(WatermarkResetPhase.Resuming);
    assertThat(applied.status().getMessage()).contains("moved 2 partition(s); checked all 2 planned partitions: "
        + "watermarks at epoch 4 and the group's committed offsets");

    ResetStep notApplied = WatermarkResetPlanner.step(reset, new ResetObservation().job(job)
        .applied(Map.of(0, watermark(0, 0, 4), 1, watermark(1, 80, 3)), Map.of(0, 0L)), NOW);
    assertThat(notApplied.status().getPhase()).isEqualTo(WatermarkResetPhase.Failed);
    assertThat(notApplied.action()).isEqualTo(Action.RELEASE);
    assertThat(notApplied.status().condition("Stalled").orElseThrow().getReason()).isEqualTo("ResetNotApplied");
    assertThat(notApplied.status().getMessage()).contains("1 of 2 planned partitions do not show it: partition 1: "
        + "watermark 80 at epoch 3, group offset none; planned 0 at epoch 4");
  }

  @Test
  void notAppliedNamesEveryPartitionOfATwoHundredPartitionPlanThatDiffers() {
    List<PlannedPartition> planned = new java.util.ArrayList<>();
    Map<Integer, Watermark> rows = new java.util.HashMap<>();
    Map<Integer, Long> committed = new java.util.HashMap<>();
    for (int p = 0; p < 200; p++) {
      planned.add(new PlannedPartition(p, 100L, 10L + p, 0, 100));
      rows.put(p, watermark(p, 10L + p, 8));
      committed.put(p, 10L + p);
    }
    ResetPlan plan = ResetPlans.toStatus("t", "g", 7, false, planned);
    assertThat(ResetPlans.notApplied(plan, rows, committed)).isEmpty();
    rows.remove(17);
    committed.put(199, 5L);
    rows.put(3, watermark(3, 13, 7));
    assertThat(ResetPlans.notApplied(plan, rows, committed)).extracting(s -> s.substring(0, s.indexOf(':')))
        .containsExactly("partition 3", "partition 17", "partition 199");
  }

  private static Watermark watermark(int partition, long nextOffset, long epoch) {
    return new Watermark(partition, nextOffset, epoch, null, NOW);
  }

  private static WatermarkReset reducersReset(Approval approval, boolean dryRun) {
    WatermarkReset reset = reset(approval, dryRun);
    reset.getSpec().setProjectionRef(null);
    reset.getSpec().setPipelineRef(new LocalReference("p"));
    reset.getSpec().setRebuild(false);
    return reset;
  }

  private static ResetPlan reducerPlan() {
    return ResetPlans.toStatus("p.actions", GROUP,
        List.of(new PlannedPartition(0, 120L, 0, 0, 120), new PlannedPartition(1, null, 0, 0, 80)));
  }

  private static WatermarkReset reset(Approval approval, boolean dryRun) {
    WatermarkResetSpec spec = new WatermarkResetSpec();
    spec.setProjectionRef(new LocalReference("p"));
    ResetTarget target = new ResetTarget();
    target.setType(ResetTargetType.EARLIEST);
    spec.setTarget(target);
    spec.setRebuild(true);
    spec.setApproval(approval);
    spec.setDryRun(dryRun);
    WatermarkReset reset = new WatermarkReset();
    reset.setMetadata(new ObjectMetaBuilder().withName("r1").withNamespace("orders").withGeneration(1L).build());
    reset.setSpec(spec);
    return reset;
  }

  /** The reset as it would be after walking the machine up to {@code phase}. */
  private static WatermarkReset at(WatermarkReset reset, WatermarkResetPhase phase) {
    ResetStep step = WatermarkResetPlanner.step(reset, new ResetObservation(), NOW.minusSeconds(60));
    reset.setStatus(step.status());
    List<WatermarkResetPhase> path = List.of(WatermarkResetPhase.Quiescing, WatermarkResetPhase.Planned,
        WatermarkResetPhase.Resetting, WatermarkResetPhase.Resuming, WatermarkResetPhase.Completed);
    for (WatermarkResetPhase next : path) {
      if (reset.getStatus().getPhase() == phase) {
        return reset;
      }
      boolean reducers = reset.getSpec().getPipelineRef() != null;
      ResetObservation seen = new ResetObservation().holding(true).group(EMPTY)
          .plan(PlanAttempt.planned(reducers ? reducerPlan() : plan())).approved(true)
          .released(true).job(new JobOutcome(JobOutcome.State.SUCCEEDED, null,
              "{\"result\":\"Completed\",\"currentEpoch\":3,\"newEpoch\":4,\"message\":\"moved\"}", 0))
          .committed(Map.of(0, 0L, 1, 0L));
      reset.setStatus(WatermarkResetPlanner.step(reset, seen, NOW.minusSeconds(50)).status());
      assertThat(reset.getStatus().getPhase()).isIn(next, WatermarkResetPhase.AwaitingApproval);
    }
    return reset;
  }

  private static WatermarkReset planned(WatermarkReset reset) {
    return at(reset, WatermarkResetPhase.Planned);
  }

  private static WatermarkReset resetting(WatermarkReset reset) {
    return at(reset, WatermarkResetPhase.Resetting);
  }

  private static ResetPlan plan() {
    return ResetPlans.toStatus("state-committed", "reducer.orders.p", 3, true,
        List.of(new PlannedPartition(0, 120L, 0, 0, 120), new PlannedPartition(1, null, 0, 0, 80)));
  }
}
