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
import io.reducer.controller.workload.JobOutcome;
import io.reducer.workloads.materializer.Watermark;
import io.reducer.workloads.offsets.PlannedPartition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatermarkResetDeciderTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final ConsumerGroupState EMPTY = new ConsumerGroupState("reducer.orders.p", "Empty", List.of());
  private static final String GROUP = "reducer.orders.pipeline.p";
  private static final ConsumerGroupState REDUCERS_EMPTY = new ConsumerGroupState(GROUP, "Empty", List.of());

  @Test
  void aNewResetIsPendingAndGoesOnAtOnce() {
    var decision = WatermarkResetDecider.decide(reset(Approval.Automatic, false), new ResetObservation(), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Pending);
    assertThat(decision.next().immediately()).isTrue();
    assertThat(decision.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("Pending");
  }

  @Test
  void aResetWaitsItsTurnWhileAnotherHoldsTheProjection() {
    WatermarkReset reset = at(reset(Approval.Automatic, false), WatermarkResetPhase.Pending);
    var decision = WatermarkResetDecider.decide(reset, new ResetObservation().heldBy("first-reset"), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Pending);
    assertThat(decision.effects()).isEmpty();
    assertThat(decision.status().getMessage()).contains("WatermarkReset first-reset holds projection orders/p");
    assertThat(decision.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("WaitingForOtherReset");
    assertThat(decision.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.Waiting);
    assertThat(decision.next().after()).isNotNull();
  }

  @Test
  void aMissingProjectionKeepsTheResetPendingWithTheFix() {
    WatermarkReset reset = at(reset(Approval.Automatic, false), WatermarkResetPhase.Pending);
    var decision = WatermarkResetDecider.decide(reset, new ResetObservation().targetMissing(), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Pending);
    assertThat(decision.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("ProjectionNotFound");
    assertThat(decision.status().getMessage()).contains("spec.projectionRef");
  }

  @Test
  void quiescingHoldsTheProjectionAndRemembersItsReplicas() {
    WatermarkReset reset = at(reset(Approval.Automatic, false), WatermarkResetPhase.Pending);
    var decision = WatermarkResetDecider.decide(reset, new ResetObservation().holding(true).replicas(6), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Quiescing);
    assertThat(decision.effect()).isEqualTo(ResetEffect.HOLD);
    assertThat(decision.status().getReplicasBeforeQuiesce()).isEqualTo(6);
    assertThat(decision.next().immediately()).isTrue();
  }

  @Test
  void aLiveGroupIsNeverResetAndItsMembersAreNamed() {
    WatermarkReset reset = at(reset(Approval.Automatic, false), WatermarkResetPhase.Quiescing);
    ConsumerGroupState live = new ConsumerGroupState("reducer.orders.p", "Stable",
        List.of("consumer-1 (client materializer-0, host /10.0.0.7)"));
    var decision = WatermarkResetDecider.decide(reset, new ResetObservation().group(live), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Quiescing);
    assertThat(decision.status().getPlan()).isNull();
    assertThat(decision.effect()).isEqualTo(ResetEffect.HOLD);
    assertThat(decision.status().getMessage()).contains("1 member(s)").contains("state Stable")
        .contains("materializer-0");
    assertThat(decision.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("GroupNotEmpty");
  }

  @Test
  void anUnreachableClusterIsWaitedOutNotTakenForAnEmptyGroup() {
    WatermarkReset reset = at(reset(Approval.Automatic, false), WatermarkResetPhase.Quiescing);
    var decision = WatermarkResetDecider.decide(reset,
        new ResetObservation().groupUnknown("KafkaUnreachable", "no answer from k:9092"), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Quiescing);
    assertThat(decision.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("KafkaUnreachable");
  }

  @Test
  void anEmptyGroupIsPlannedAndThePlanRecordedBeforeAnythingChanges() {
    WatermarkReset reset = at(reset(Approval.Manual, false), WatermarkResetPhase.Quiescing);
    var decision = WatermarkResetDecider.decide(reset,
        new ResetObservation().group(EMPTY).plan(PlanAttempt.planned(plan())), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Planned);
    assertThat(decision.status().getPlan().getNewEpoch()).isEqualTo(4L);
    assertThat(decision.effects()).isEmpty();
    assertThat(decision.events()).extracting(PlannedEvent::message)
        .containsExactly("plan: 2 partition(s) of state-committed, epoch 3 -> 4, projection table truncated and rebuilt");
  }

  @Test
  void aPlanThatCannotBeMadeFailsAndReleasesTheProjection() {
    WatermarkReset reset = at(reset(Approval.Automatic, false), WatermarkResetPhase.Quiescing);
    var decision = WatermarkResetDecider.decide(reset, new ResetObservation().group(EMPTY)
        .plan(PlanAttempt.refused("PlanRefused", "partition 7 does not exist")), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Failed);
    assertThat(decision.effect()).isEqualTo(ResetEffect.RELEASE);
    assertThat(decision.status().condition("Stalled").orElseThrow().getReason()).isEqualTo("PlanRefused");
    assertThat(decision.status().condition("Ready").orElseThrow().getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(decision.status().condition("Reconciling")).isEmpty();
    assertThat(decision.status().getMessage()).contains("partition 7 does not exist");
  }

  @Test
  void manualApprovalWaitsForTheAnnotationAndSaysHowToGiveIt() {
    WatermarkReset reset = planned(reset(Approval.Manual, false));
    var decision = WatermarkResetDecider.decide(reset, new ResetObservation(), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.AwaitingApproval);
    assertThat(decision.effects()).isEmpty();
    assertThat(decision.status().getMessage())
        .startsWith("approve with: kubectl annotate watermarkreset r1 -n orders reducer.io/approve=true (within PT1H");

    reset.setStatus(decision.status());
    var still = WatermarkResetDecider.decide(reset, new ResetObservation(), NOW.plusSeconds(60));
    assertThat(still.status().getPhase()).isEqualTo(WatermarkResetPhase.AwaitingApproval);
    assertThat(still.effects()).isEmpty();

    var approved = WatermarkResetDecider.decide(reset, new ResetObservation().approved(true), NOW.plusSeconds(90));
    assertThat(approved.status().getPhase()).isEqualTo(WatermarkResetPhase.Resetting);
    assertThat(approved.effect()).isEqualTo(ResetEffect.START_JOB);
    assertThat(approved.status().getJobName()).isEqualTo("r1-reset");
  }

  @Test
  void aDryRunStopsAtThePlanAndResumes() {
    var decision = WatermarkResetDecider.decide(planned(reset(Approval.Manual, true)), new ResetObservation(), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Resuming);
    assertThat(decision.effect()).isEqualTo(ResetEffect.RELEASE);
    assertThat(decision.status().getJobName()).isNull();
  }

  @Test
  void aMissingJobIsStartedAgainUnderTheSameName() {
    WatermarkReset reset = resetting(reset(Approval.Automatic, false));
    var decision = WatermarkResetDecider.decide(reset, new ResetObservation(), NOW);

    assertThat(decision.effect()).isEqualTo(ResetEffect.START_JOB);
    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Resetting);
    assertThat(decision.status().getJobName()).isEqualTo("r1-reset");
  }

  @Test
  void aCompletedJobResumesTheProjectionThenTheResetCompletes() {
    WatermarkReset reset = resetting(reset(Approval.Automatic, false));
    String result = "{\"result\":\"Completed\",\"currentEpoch\":3,\"newEpoch\":4,\"truncated\":true,"
        + "\"message\":\"moved 2 partition(s), epoch 3 -> 4, projection table truncated\"}";
    var decision = WatermarkResetDecider.decide(reset,
        new ResetObservation().job(new JobOutcome(JobOutcome.State.SUCCEEDED, null, result, 0)), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Resuming);
    assertThat(decision.effect()).isEqualTo(ResetEffect.RELEASE);
    assertThat(decision.status().getMessage()).contains("epoch 3 -> 4");

    reset.setStatus(decision.status());
    var waiting = WatermarkResetDecider.decide(reset, new ResetObservation().released(false), NOW);
    assertThat(waiting.status().getPhase()).isEqualTo(WatermarkResetPhase.Resuming);
    assertThat(waiting.effect()).isEqualTo(ResetEffect.RELEASE);

    var done = WatermarkResetDecider.decide(reset, new ResetObservation().released(true), NOW.plusSeconds(1));
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
    var decision = WatermarkResetDecider.decide(reset, new ResetObservation().job(stuck), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Resetting);
    assertThat(decision.effects()).as("the projection stays held").isEmpty();
    assertThat(decision.status().getMessage()).startsWith("Job r1-reset cannot start its pod r1-reset-x2k9q: "
        + "CreateContainerConfigError: secret \"pg\" not found");
    assertThat(decision.status().condition("Stalled").orElseThrow().getReason()).isEqualTo("JobPodNotStarting");
    assertThat(decision.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.JobPodNotStarting);

    reset.setStatus(decision.status());
    var again = WatermarkResetDecider.decide(reset, new ResetObservation().job(stuck), NOW.plusSeconds(1));
    assertThat(again.events()).as("one warning per episode").isEmpty();

    reset.setStatus(again.status());
    var started = WatermarkResetDecider.decide(reset,
        new ResetObservation().job(new JobOutcome(JobOutcome.State.RUNNING, null, null, 0)), NOW.plusSeconds(2));
    assertThat(started.status().condition("Stalled")).isEmpty();
    assertThat(started.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("Resetting");
  }

  @Test
  void aFailedJobFailsTheResetWithItsMessageAndReleasesTheProjection() {
    WatermarkReset reset = resetting(reset(Approval.Automatic, false));
    String result = "{\"result\":\"Failed\",\"message\":\"the projection's epoch is 5, not the expected 3\"}";
    var decision = WatermarkResetDecider.decide(reset, new ResetObservation()
        .job(new JobOutcome(JobOutcome.State.FAILED, "BackoffLimitExceeded", result, 3)), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Failed);
    assertThat(decision.effect()).isEqualTo(ResetEffect.RELEASE);
    assertThat(decision.status().getMessage())
        .isEqualTo("Job r1-reset failed (BackoffLimitExceeded): the projection's epoch is 5, not the expected 3");
    assertThat(decision.status().condition("Stalled").orElseThrow().getReason()).isEqualTo("ResetJobFailed");
    assertThat(decision.events()).extracting(PlannedEvent::reason).containsExactly(EventReason.ResetFailed);
  }

  @Test
  void aJobThatSucceedsWithoutAResultIsNotTakenForAReset() {
    WatermarkReset reset = resetting(reset(Approval.Automatic, false));
    var decision = WatermarkResetDecider.decide(reset,
        new ResetObservation().job(JobOutcome.of(new JobBuilder().withNewStatus().addNewCondition()
            .withType("Complete").withStatus("True").endCondition().endStatus().build(), List.of())), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Failed);
    assertThat(decision.status().condition("Stalled").orElseThrow().getReason()).isEqualTo("ResetNotApplied");
  }

  @Test
  void finishedResetsStayFinished() {
    WatermarkReset reset = at(reset(Approval.Automatic, false), WatermarkResetPhase.Completed);
    var decision = WatermarkResetDecider.decide(reset, new ResetObservation().targetMissing(), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Completed);
    assertThat(decision.effects()).isEmpty();
    assertThat(decision.next().after()).isNull();
  }

  @Test
  void aResetOfTheReducersHoldsThePipelineAndWaitsUntilItsReconcilerHasScaledThemToZero() {
    WatermarkReset reset = at(reducersReset(Approval.Manual, false), WatermarkResetPhase.Pending);
    var decision = WatermarkResetDecider.decide(reset, new ResetObservation().holding(true).replicas(2), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Quiescing);
    assertThat(decision.effect()).isEqualTo(ResetEffect.HOLD);
    assertThat(decision.status().getReplicasBeforeQuiesce()).isEqualTo(2);
    assertThat(decision.status().getMessage())
        .isEqualTo("reducers of pipeline orders/p held at 0 replicas; waiting for consumer group to empty");

    reset.setStatus(decision.status());
    var pending = WatermarkResetDecider.decide(reset, new ResetObservation().holdApplied(false).group(EMPTY), NOW);
    assertThat(pending.status().getPhase()).isEqualTo(WatermarkResetPhase.Quiescing);
    assertThat(pending.effect()).isEqualTo(ResetEffect.HOLD);
    assertThat(pending.status().getPlan()).as("an empty group is not enough while the reducers may start").isNull();
    assertThat(pending.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("HoldPending");

    ConsumerGroupState live = new ConsumerGroupState(GROUP, "Stable",
        List.of("consumer-1 (client reducer-0, host /10.0.0.9)"));
    var members = WatermarkResetDecider.decide(reset, new ResetObservation().holdApplied(true).group(live), NOW);
    assertThat(members.status().getPhase()).isEqualTo(WatermarkResetPhase.Quiescing);
    assertThat(members.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("GroupNotEmpty");
    assertThat(members.status().getMessage()).contains("consumer group " + GROUP).contains("reducer-0");
  }

  @Test
  void aResetOfTheReducersPlansWithoutEpochWaitsForApprovalMovesTheOffsetsItselfAndResumes() {
    WatermarkReset reset = at(reducersReset(Approval.Manual, false), WatermarkResetPhase.Quiescing);
    var planned = WatermarkResetDecider.decide(reset,
        new ResetObservation().holdApplied(true).group(REDUCERS_EMPTY).plan(PlanAttempt.planned(reducerPlan())), NOW);
    assertThat(planned.status().getPhase()).isEqualTo(WatermarkResetPhase.Planned);
    assertThat(planned.status().getPlan().getNewEpoch()).as("no epoch for the reducers").isNull();
    assertThat(planned.status().getPlan().getCurrentEpoch()).isNull();
    assertThat(planned.events()).extracting(PlannedEvent::message)
        .containsExactly("plan: 2 partition(s) of p.actions, group offsets only (no watermark, no epoch)");

    reset.setStatus(planned.status());
    var awaiting = WatermarkResetDecider.decide(reset, new ResetObservation(), NOW);
    assertThat(awaiting.status().getPhase()).isEqualTo(WatermarkResetPhase.AwaitingApproval);
    assertThat(awaiting.effects()).isEmpty();

    reset.setStatus(awaiting.status());
    var resetting = WatermarkResetDecider.decide(reset, new ResetObservation().approved(true), NOW);
    assertThat(resetting.status().getPhase()).isEqualTo(WatermarkResetPhase.Resetting);
    assertThat(resetting.effect()).isEqualTo(ResetEffect.MOVE_OFFSETS);
    assertThat(resetting.status().getJobName()).as("no Job for the reducers").isNull();
    assertThat(resetting.next().immediately()).as("read the offsets back at once").isTrue();
    assertThat(resetting.status().getMessage()).contains("moves the offsets of consumer group " + GROUP)
        .contains("dedup log");

    reset.setStatus(resetting.status());
    var notYet = WatermarkResetDecider.decide(reset,
        new ResetObservation().group(REDUCERS_EMPTY).committed(Map.of(0, 120L)), NOW);
    assertThat(notYet.status().getPhase()).isEqualTo(WatermarkResetPhase.Resetting);
    assertThat(notYet.effect()).as("moving again is harmless").isEqualTo(ResetEffect.MOVE_OFFSETS);

    var failedMove = WatermarkResetDecider.decide(reset, new ResetObservation().group(REDUCERS_EMPTY)
        .committed(Map.of(0, 120L)).moveFailed("KafkaUnreachable", "no answer from k:9092"), NOW);
    assertThat(failedMove.status().getPhase()).isEqualTo(WatermarkResetPhase.Resetting);
    assertThat(failedMove.effects()).isEmpty();
    assertThat(failedMove.next().after()).isNotNull();
    assertThat(failedMove.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("KafkaUnreachable");
    assertThat(failedMove.status().getMessage()).contains("no answer from k:9092");

    ConsumerGroupState intruder = new ConsumerGroupState(GROUP, "Stable", List.of("consumer-9 (client by-hand)"));
    var joined = WatermarkResetDecider.decide(reset,
        new ResetObservation().group(intruder).committed(Map.of(0, 120L)), NOW);
    assertThat(joined.status().getPhase()).isEqualTo(WatermarkResetPhase.Resetting);
    assertThat(joined.effects()).as("a member is never moved under").isEmpty();
    assertThat(joined.status().getMessage()).contains("by-hand");

    var moved = WatermarkResetDecider.decide(reset,
        new ResetObservation().group(REDUCERS_EMPTY).committed(Map.of(0, 0L, 1, 0L)), NOW);
    assertThat(moved.status().getPhase()).isEqualTo(WatermarkResetPhase.Resuming);
    assertThat(moved.effect()).isEqualTo(ResetEffect.RELEASE);

    reset.setStatus(moved.status());
    var stillHeld = WatermarkResetDecider.decide(reset, new ResetObservation().released(false), NOW);
    assertThat(stillHeld.effect()).isEqualTo(ResetEffect.RELEASE);
    var done = WatermarkResetDecider.decide(reset, new ResetObservation().released(true), NOW.plusSeconds(1));
    assertThat(done.status().getPhase()).isEqualTo(WatermarkResetPhase.Completed);
    assertThat(done.status().getMessage()).isEqualTo("the reducers run again from the new offsets of consumer group "
        + GROUP);
    assertThat(done.status().getHistory()).extracting(PhaseTransition::getPhase).containsExactly("Pending",
        "Quiescing", "Planned", "AwaitingApproval", "Resetting", "Resuming", "Completed");
  }

  @Test
  void aMissingPipelineKeepsAResetOfTheReducersPendingWithTheFix() {
    WatermarkReset reset = at(reducersReset(Approval.Automatic, false), WatermarkResetPhase.Pending);
    var decision = WatermarkResetDecider.decide(reset, new ResetObservation().targetMissing(), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Pending);
    assertThat(decision.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("PipelineNotFound");
    assertThat(decision.status().getMessage()).startsWith("ReducerPipeline orders/p does not exist")
        .contains("spec.pipelineRef");
  }

  @Test
  void aDryRunOfTheReducersMovesNothing() {
    WatermarkReset reset = at(reducersReset(Approval.Automatic, true), WatermarkResetPhase.Planned);
    var decision = WatermarkResetDecider.decide(reset, new ResetObservation(), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Resuming);
    assertThat(decision.effect()).isEqualTo(ResetEffect.RELEASE);

    reset.setStatus(decision.status());
    var done = WatermarkResetDecider.decide(reset, new ResetObservation().released(true), NOW);
    assertThat(done.status().getMessage()).isEqualTo("dry run finished; the reducers run again");
  }

  @Test
  void aResetGoesOnOnlyOnceTheProjectionNamesItAsHolder() {
    WatermarkReset reset = at(reset(Approval.Automatic, false), WatermarkResetPhase.Pending);
    // Nobody else holds it, but this reset has not (yet) won the hold: it must not quiesce on that belief.
    var taking = WatermarkResetDecider.decide(reset, new ResetObservation().replicas(6), NOW);

    assertThat(taking.status().getPhase()).isEqualTo(WatermarkResetPhase.Pending);
    assertThat(taking.effect()).isEqualTo(ResetEffect.HOLD);
    assertThat(taking.next().immediately()).isTrue();
    assertThat(taking.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("TakingHold");

    // It lost: the winner holds the projection, and this one waits naming it.
    var lost = WatermarkResetDecider.decide(reset, new ResetObservation().heldBy("other"), NOW);
    assertThat(lost.status().getPhase()).isEqualTo(WatermarkResetPhase.Pending);
    assertThat(lost.effects()).isEmpty();
    assertThat(lost.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("WaitingForOtherReset");
    assertThat(lost.status().getMessage()).contains("WatermarkReset other holds projection orders/p");

    var won = WatermarkResetDecider.decide(reset, new ResetObservation().holding(true).replicas(6), NOW);
    assertThat(won.status().getPhase()).isEqualTo(WatermarkResetPhase.Quiescing);
  }

  @Test
  void aCopyOfACompletedResetCreatedAgainIsRefusedAndChangesNothing() {
    WatermarkReset original = reset(Approval.Automatic, false);
    List<CompletedReset> remembered = List.of(new CompletedReset("r1", "uid-of-the-original",
        CompletedResets.digest(original.getSpec()), "2026-02-27T08:00:00Z"));
    WatermarkReset copy = at(reset(Approval.Automatic, false), WatermarkResetPhase.Pending);
    var decision = WatermarkResetDecider.decide(copy, new ResetObservation().completed(remembered).holding(true), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Failed);
    assertThat(decision.effects()).isEmpty();
    assertThat(decision.status().condition("Stalled").orElseThrow().getReason()).isEqualTo("AlreadyCompleted");
    assertThat(decision.status().getMessage())
        .contains("already completed on projection orders/p at 2026-02-27T08:00:00Z (uid uid-of-the-original)")
        .contains("spec.runAgain: true");

    // Another spec under the same name is another reset.
    WatermarkReset other = at(reset(Approval.Automatic, true), WatermarkResetPhase.Pending);
    assertThat(WatermarkResetDecider.decide(other, new ResetObservation().completed(remembered).holding(true), NOW)
        .status().getPhase()).isEqualTo(WatermarkResetPhase.Quiescing);

    // runAgain runs it once more; a copy of that run is refused in turn.
    WatermarkReset again = reset(Approval.Automatic, false);
    again.getSpec().setRunAgain(true);
    again = at(again, WatermarkResetPhase.Pending);
    assertThat(WatermarkResetDecider.decide(again, new ResetObservation().completed(remembered).holding(true), NOW)
        .status().getPhase()).isEqualTo(WatermarkResetPhase.Quiescing);
    List<CompletedReset> ranAgain = List.of(remembered.get(0), new CompletedReset("r1", "uid-of-the-second",
        CompletedResets.digest(again.getSpec()), "2026-02-28T08:00:00Z"));
    var refused = WatermarkResetDecider.decide(again, new ResetObservation().completed(ranAgain).holding(true),
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

    assertThat(WatermarkResetDecider.decide(reset, new ResetObservation().completed(remembered).holding(true), NOW)
        .status().getPhase()).isEqualTo(WatermarkResetPhase.Quiescing);
  }

  @Test
  void aCompletedResetIsRememberedByItsTargetBeforeItIsRecordedCompleted() {
    WatermarkReset reset = at(reset(Approval.Automatic, false), WatermarkResetPhase.Resuming);
    var done = WatermarkResetDecider.decide(reset, new ResetObservation().released(true), NOW);

    assertThat(done.status().getPhase()).isEqualTo(WatermarkResetPhase.Completed);
    assertThat(done.effect()).isEqualTo(ResetEffect.REMEMBER);

    var gone = WatermarkResetDecider.decide(reset, new ResetObservation().targetMissing().released(true), NOW);
    assertThat(gone.status().getPhase()).isEqualTo(WatermarkResetPhase.Completed);
    assertThat(gone.effects()).isEmpty();
  }

  @Test
  void aJobOfTheResetsNameThatItDoesNotOwnBlocksAndIsNeverAdopted() {
    WatermarkReset reset = resetting(reset(Approval.Automatic, false));
    var decision = WatermarkResetDecider.decide(reset, new ResetObservation()
        .foreignJob("Job r1-reset exists but belongs to WatermarkReset r1 (uid old)"), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Resetting);
    assertThat(decision.effects()).isEmpty();
    assertThat(decision.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("JobNotOwned");
    assertThat(decision.status().getMessage()).contains("belongs to WatermarkReset r1 (uid old)");
    assertThat(decision.next().after()).isNotNull();
  }

  @Test
  void aManualResetNotApprovedInTimeFailsAndReleasesTheProjection() {
    WatermarkReset reset = reset(Approval.Manual, false);
    reset.getSpec().setApprovalTimeout("PT10M");
    reset = planned(reset);
    var waiting = WatermarkResetDecider.decide(reset, new ResetObservation(), NOW);
    assertThat(waiting.status().getPhase()).isEqualTo(WatermarkResetPhase.AwaitingApproval);
    reset.setStatus(waiting.status());

    var still = WatermarkResetDecider.decide(reset, new ResetObservation(), NOW.plusSeconds(9 * 60 + 30));
    assertThat(still.status().getPhase()).isEqualTo(WatermarkResetPhase.AwaitingApproval);
    assertThat(still.effects()).isEmpty();
    assertThat(still.next().after()).isEqualTo(java.time.Duration.ofSeconds(30));

    var late = WatermarkResetDecider.decide(reset, new ResetObservation(), NOW.plusSeconds(10 * 60));
    assertThat(late.status().getPhase()).isEqualTo(WatermarkResetPhase.Failed);
    assertThat(late.effect()).isEqualTo(ResetEffect.RELEASE);
    assertThat(late.status().condition("Stalled").orElseThrow().getReason()).isEqualTo("ApprovalTimedOut");
    assertThat(late.status().getMessage()).contains("not approved within spec.approvalTimeout PT10M");

    // Approval in time still goes on.
    var approved = WatermarkResetDecider.decide(reset, new ResetObservation().approved(true),
        NOW.plusSeconds(9 * 60));
    assertThat(approved.status().getPhase()).isEqualTo(WatermarkResetPhase.Resetting);
  }

  @Test
  void theApprovalTimeoutIsAnHourUnlessTheSpecSaysOtherwise() {
    WatermarkReset reset = planned(reset(Approval.Manual, false));
    reset.getSpec().setApprovalTimeout(null);
    reset.setStatus(WatermarkResetDecider.decide(reset, new ResetObservation(), NOW).status());

    assertThat(WatermarkResetDecider.decide(reset, new ResetObservation(), NOW.plusSeconds(3599)).status().getPhase())
        .isEqualTo(WatermarkResetPhase.AwaitingApproval);
    assertThat(WatermarkResetDecider.decide(reset, new ResetObservation(), NOW.plusSeconds(3600)).status().getPhase())
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

    var unreadable = WatermarkResetDecider.decide(reset, new ResetObservation().job(job)
        .appliedUnreadable("database down"), NOW);
    assertThat(unreadable.status().getPhase()).isEqualTo(WatermarkResetPhase.Resetting);
    assertThat(unreadable.status().getMessage()).contains("database down; trying again");
    assertThat(unreadable.effects()).isEmpty();

    var applied = WatermarkResetDecider.decide(reset, new ResetObservation().job(job)
        .applied(rows, Map.of(0, 0L, 1, 0L)), NOW);
    assertThat(applied.status().getPhase()).isEqualTo(WatermarkResetPhase.Resuming);
    assertThat(applied.status().getMessage()).contains("moved 2 partition(s); checked all 2 planned partitions: "
        + "watermarks at epoch 4 and the group's committed offsets");

    var notApplied = WatermarkResetDecider.decide(reset, new ResetObservation().job(job)
        .applied(Map.of(0, watermark(0, 0, 4), 1, watermark(1, 80, 3)), Map.of(0, 0L)), NOW);
    assertThat(notApplied.status().getPhase()).isEqualTo(WatermarkResetPhase.Failed);
    assertThat(notApplied.effect()).isEqualTo(ResetEffect.RELEASE);
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
    var decision = WatermarkResetDecider.decide(reset, new ResetObservation(), NOW.minusSeconds(60));
    reset.setStatus(decision.status());
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
      reset.setStatus(WatermarkResetDecider.decide(reset, seen, NOW.minusSeconds(50)).status());
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
