package io.reducer.controller.dlq;

import static io.reducer.controller.dlq.DlqTestResources.replay;
import static io.reducer.controller.dlq.DlqTestResources.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.DlqReplayStatus;
import io.reducer.api.v1alpha1.common.Approval;
import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.api.v1alpha1.common.PhaseTransition;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import io.reducer.controller.decision.Decision.Next;
import io.reducer.controller.decision.Decision;
import io.reducer.controller.events.EventReason;
import io.reducer.controller.events.PlannedEvent;
import io.reducer.controller.kafka.CommittedOffset;
import io.reducer.controller.status.StatusWriter;
import io.reducer.controller.workload.JobOutcome.State;
import io.reducer.controller.workload.JobOutcome;
import io.reducer.workloads.dlq.DlqInspectResult;
import io.reducer.workloads.dlq.DlqReplayResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DlqReplayDeciderTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final ReplaySource.Resolution FOUND = ReplaySource.Resolution.of(source("shop"));
  private static final ReplaySource.Resolution MISSING = ReplaySource.Resolution.refused(
      ReplaySource.PIPELINE_NOT_FOUND, "ReducerPipeline orders/shop does not exist", false);

  @Test
  void aNewReplayStartsItsPreviewJob() {
    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(replay("fix", "shop"),
        observed(FOUND), NOW);

    assertThat(decision.effects()).containsExactly(ReplayEffect.START_INSPECT);
    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.Previewing);
    assertThat(decision.status().getJobName()).isEqualTo("fix-inspect");
    assertThat(decision.status().getObservedGeneration()).isEqualTo(1L);
    assertThat(phases(decision)).containsExactly("Pending", "Previewing");
    assertThat(reasons(decision)).containsExactly(EventReason.PreviewStarted);
    assertThat(condition(decision, "Ready").getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(condition(decision, "Reconciling").getReason()).isEqualTo("Previewing");
    assertThat(decision.next()).isEqualTo(Next.after(DlqReplayDecider.JOB_POLL));
  }

  @Test
  void aMissingPipelineKeepsTheReplayPendingAndStalledAndSaysSoOnce() {
    DlqReplay replay = replay("fix", "shop");
    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(replay, observed(MISSING), NOW);

    assertThat(decision.effects()).isEmpty();
    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.Pending);
    assertThat(decision.status().getMessage()).contains("does not exist");
    assertThat(condition(decision, "Stalled").getReason()).isEqualTo("PipelineNotFound");
    assertThat(decision.status().condition("Reconciling")).isEmpty();
    assertThat(reasons(decision)).containsExactly(EventReason.Waiting);
    assertThat(decision.next()).isEqualTo(Next.after(DlqReplayDecider.WAIT_POLL));

    replay.setStatus(decision.status());
    Decision<DlqReplayStatus, ReplayEffect> again = DlqReplayDecider.decide(replay, observed(MISSING),
        NOW.plusSeconds(60));
    assertThat(again.events()).isEmpty();
    assertThat(StatusWriter.same(replay.getStatus(), again.status())).isTrue();

    Decision<DlqReplayStatus, ReplayEffect> created = DlqReplayDecider.decide(replay, observed(FOUND),
        NOW.plusSeconds(90));
    assertThat(created.effects()).containsExactly(ReplayEffect.START_INSPECT);
    assertThat(created.status().getPhase()).isEqualTo(DlqReplayPhase.Previewing);
    assertThat(created.status().condition("Stalled")).isEmpty();
  }

  @Test
  void aReferenceToAnotherNamespaceFailsAtOnceBecauseTheSpecCannotChange() {
    ReplaySource.Resolution elsewhere = ReplaySource.Resolution.refused(ReplaySource.CROSS_NAMESPACE,
        "spec.pipelineRef points to namespace payments", true);
    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(replay("fix", "shop"),
        observed(elsewhere), NOW);

    assertThat(decision.effects()).isEmpty();
    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.Failed);
    assertThat(phases(decision)).containsExactly("Pending", "Failed");
    assertThat(condition(decision, "Stalled").getReason()).isEqualTo("CrossNamespaceReference");
    assertThat(condition(decision, "Ready").getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(decision.events()).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo(EventReason.Refused);
      assertThat(e.type()).isEqualTo("Warning");
    });
    assertThat(decision.next()).isEqualTo(Next.onEvent());
  }

  @Test
  void aRunningPreviewIsPolledAndAFailedAttemptIsShown() {
    DlqReplay replay = previewing();
    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(replay,
        inspect(new JobOutcome(State.RUNNING, null, null, 0)), NOW);

    assertThat(decision.effects()).isEmpty();
    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.Previewing);
    assertThat(decision.events()).isEmpty();
    assertThat(decision.next()).isEqualTo(Next.after(DlqReplayDecider.JOB_POLL));

    Decision<DlqReplayStatus, ReplayEffect> retrying = DlqReplayDecider.decide(replay,
        inspect(new JobOutcome(State.RUNNING, null, DlqInspectResult.failed("failed: broker went away").toJson(), 1)),
        NOW);
    assertThat(retrying.status().getMessage()).contains("1 failed attempt so far, retrying", "broker went away");
  }

  @Test
  void aManualReplayRecordsSnapshotAndPreviewAndWaitsForApproval() {
    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(previewing(),
        inspect(previewDone(42)), NOW);

    assertThat(decision.effects()).isEmpty();
    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.AwaitingApproval);
    assertThat(decision.status().getSnapshot()).extracting(r -> r.getPartition() + "=" + r.getStartOffset() + ".."
        + r.getEndOffset()).containsExactly("0=0..21", "1=3..21");
    assertThat(decision.status().getPreview().getMatched()).isEqualTo(42);
    assertThat(decision.status().getPreview().getByErrorType()).containsEntry("DESERIALIZATION_ERROR", 30L);
    assertThat(decision.status().getPreview().getSamples()).singleElement()
        .satisfies(s -> assertThat(s.getKey()).isEqualTo("wf-1"));
    assertThat(decision.status().getProgress().getMatched()).isEqualTo(42);
    assertThat(decision.status().getProgress().getReplayed()).isZero();
    assertThat(decision.status().getMessage()).contains("kubectl annotate dlqr fix reducer.io/approve=true",
        "0=21,1=21");
    assertThat(condition(decision, "Reconciling").getReason()).isEqualTo("AwaitingApproval");
    assertThat(reasons(decision)).containsExactly(EventReason.PreviewReady, EventReason.AwaitingApproval);
    assertThat(decision.next()).isEqualTo(Next.onEvent());
  }

  @Test
  void withoutTheAnnotationAWaitingReplayChangesNothing() {
    DlqReplay replay = replay("fix", "shop");
    replay.setStatus(DlqReplayDecider.decide(previewing(), inspect(previewDone(42)), NOW).status());

    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(replay, observed(FOUND),
        NOW.plusSeconds(300));

    assertThat(decision.effects()).isEmpty();
    assertThat(decision.events()).isEmpty();
    assertThat(StatusWriter.same(replay.getStatus(), decision.status())).isTrue();
  }

  @Test
  void theApproveAnnotationStartsTheReplayJob() {
    DlqReplay replay = replay("fix", "shop");
    replay.setStatus(DlqReplayDecider.decide(previewing(), inspect(previewDone(42)), NOW).status());
    replay.getMetadata().setAnnotations(Map.of(Approval.ANNOTATION, "true"));

    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(replay, observed(FOUND),
        NOW.plusSeconds(60));

    assertThat(decision.effects()).containsExactly(ReplayEffect.START_REPLAY);
    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.Replaying);
    assertThat(decision.status().getJobName()).isEqualTo("fix-replay");
    assertThat(phases(decision)).containsExactly("Pending", "Previewing", "AwaitingApproval", "Replaying");
    assertThat(decision.events()).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo(EventReason.ReplayStarted);
      assertThat(e.message()).contains("42 selected records of snapshot 0=21,1=21");
    });
    assertThat(decision.next()).isEqualTo(Next.after(DlqReplayDecider.JOB_POLL));
  }

  @Test
  void anApprovalWhosePipelineIsGoneWaitsWithoutStartingAJob() {
    DlqReplay replay = replay("fix", "shop");
    replay.setStatus(DlqReplayDecider.decide(previewing(), inspect(previewDone(42)), NOW).status());
    replay.getMetadata().setAnnotations(Map.of(Approval.ANNOTATION, "true"));

    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(replay, observed(MISSING),
        NOW.plusSeconds(60));

    assertThat(decision.effects()).isEmpty();
    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.AwaitingApproval);
    assertThat(condition(decision, "Stalled").getReason()).isEqualTo("PipelineNotFound");
  }

  @Test
  void anAutomaticReplayGoesFromThePreviewStraightToReplaying() {
    DlqReplay replay = previewing();
    replay.getSpec().setApproval(Approval.Automatic);

    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(replay, inspect(previewDone(42)), NOW);

    assertThat(decision.effects()).containsExactly(ReplayEffect.START_REPLAY);
    assertThat(phases(decision)).containsExactly("Pending", "Previewing", "Replaying");
    assertThat(reasons(decision)).containsExactly(EventReason.PreviewReady, EventReason.ReplayStarted);
  }

  @Test
  void anApprovalGivenBeforeThePreviewWasReadyStartsTheReplayWhenItIs() {
    DlqReplay replay = previewing();
    replay.getMetadata().setAnnotations(Map.of(Approval.ANNOTATION, "true"));

    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(replay, inspect(previewDone(42)), NOW);

    assertThat(decision.effects()).containsExactly(ReplayEffect.START_REPLAY);
    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.Replaying);
  }

  @Test
  void aPreviewOnlyReplaySucceedsAfterThePreviewWithoutAReplayJob() {
    DlqReplay replay = previewing();
    replay.getSpec().setPreviewOnly(true);
    replay.getSpec().setApproval(Approval.Automatic);

    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(replay, inspect(previewDone(42)), NOW);

    assertThat(decision.effects()).isEmpty();
    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.Succeeded);
    assertThat(decision.status().getPreview().getMatched()).isEqualTo(42);
    assertThat(decision.status().getMessage()).startsWith("Preview only, nothing replayed");
    assertThat(condition(decision, "Ready").getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(decision.status().condition("Reconciling")).isEmpty();
    assertThat(DlqReplayDecider.finished(decision.status())).isTrue();
  }

  @Test
  void aPreviewThatMatchesNothingSucceedsWithoutAskingForApproval() {
    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(previewing(),
        inspect(previewDone(0)), NOW);

    assertThat(decision.effects()).isEmpty();
    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.Succeeded);
    assertThat(decision.status().getMessage()).startsWith("Nothing to replay");
  }

  @Test
  void aFailedPreviewJobFailsTheReplayWithKubernetesReasonAndTheCommandsMessage() {
    String result = DlqInspectResult.failed("configuration error: DLQ topic 'shop.dlq' does not exist").toJson();
    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(previewing(),
        inspect(new JobOutcome(State.FAILED, "PodFailurePolicy", result, 1)), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.Failed);
    assertThat(decision.status().getMessage()).isEqualTo("Preview Job fix-inspect failed (PodFailurePolicy): "
        + "configuration error: DLQ topic 'shop.dlq' does not exist");
    assertThat(condition(decision, "Stalled").getReason()).isEqualTo("PodFailurePolicy");
    assertThat(decision.status().getHistory()).last()
        .satisfies(h -> assertThat(h.getMessage()).contains("does not exist"));
    assertThat(decision.events()).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo(EventReason.ReplayFailed);
      assertThat(e.type()).isEqualTo("Warning");
    });
  }

  @Test
  void aPreviewWhoseResultCannotBeReadFailsWithWhatThePodLeft() {
    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(previewing(),
        inspect(new JobOutcome(State.SUCCEEDED, null, "Exception in thread main", 0)), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.Failed);
    assertThat(condition(decision, "Stalled").getReason()).isEqualTo("PreviewUnreadable");
    assertThat(decision.status().getMessage()).contains("Exception in thread main");
  }

  @Test
  void aPreviewJobDeletedWhileRunningIsCreatedAgain() {
    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(previewing(), observed(FOUND), NOW);

    assertThat(decision.effects()).containsExactly(ReplayEffect.START_INSPECT);
    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.Previewing);
    assertThat(decision.status().getMessage()).startsWith("Recreated Job fix-inspect (it was missing)");
  }

  @Test
  void aReplayJobDeletedWhileRunningIsCreatedAgainUnderTheSameName() {
    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(replaying(), observed(FOUND), NOW);

    assertThat(decision.effects()).containsExactly(ReplayEffect.START_REPLAY);
    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.Replaying);
    assertThat(decision.status().getJobName()).isEqualTo("fix-replay");
    assertThat(decision.status().getMessage()).contains("resumes after its last committed transaction");
    assertThat(reasons(decision)).containsExactly(EventReason.ReplayStarted);
  }

  @Test
  void aFinishedReplayWhoseMessageIsJsonButNotAResultSucceedsWithTheLastCommittedCounters() {
    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(replaying(),
        new DlqReplayObservation(FOUND, null, new JobOutcome(State.SUCCEEDED, null, "{\"result\":\"Succeeded\"}", 0),
        Map.of(), null), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.Succeeded);
    assertThat(decision.status().getMessage()).contains("its result could not be read");
  }

  @Test
  void aRunningReplayShowsTheCountersOfItsLastCommittedTransaction() {
    Map<Integer, CommittedOffset> committed = new TreeMap<>(Map.of(
        0, new CommittedOffset(21, checkpoint(21, 20, 18, Map.of("maxReplays", 1L))),
        1, new CommittedOffset(8, checkpoint(21, 20, 18, Map.of("maxReplays", 1L)))));
    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(replaying(),
        new DlqReplayObservation(FOUND, null, new JobOutcome(State.RUNNING, null, null, 0), committed, null), NOW);

    assertThat(decision.status().getProgress().getMatched()).isEqualTo(42);
    assertThat(decision.status().getProgress().getReplayed()).isEqualTo(18);
    assertThat(decision.status().getProgress().getSkipped()).isEqualTo(1);
    assertThat(decision.status().getProgress().getSkippedByReason()).containsEntry("maxReplays", 1L);
    assertThat(decision.status().getMessage()).startsWith("Replaying: 19 of 42 selected records done (replayed 18, "
        + "skipped 1); 26 of 39 DLQ records of the snapshot read (Job fix-replay running)");
    assertThat(decision.next()).isEqualTo(Next.after(DlqReplayDecider.JOB_POLL));
    assertThat(decision.events()).isEmpty();
  }

  @Test
  void aReplayJobWhosePodCannotStartIsStalledWithThePodsReasonOnceAndGoesOnWhenItStarts() {
    JobOutcome stuck = new JobOutcome(State.RUNNING, null, null, 0,
        "pod fix-replay-x2k9q: ImagePullBackOff: Back-off pulling image \"registry.example/workloads:9\"");
    DlqReplay replay = replaying();
    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(replay,
        new DlqReplayObservation(FOUND, null, stuck, null, null), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.Replaying);
    assertThat(condition(decision, "Stalled").getReason()).isEqualTo("JobPodNotStarting");
    assertThat(decision.status().getMessage()).startsWith("Job fix-replay cannot start its pod fix-replay-x2k9q: "
        + "ImagePullBackOff: Back-off pulling image");
    assertThat(decision.status().condition("Reconciling")).isEmpty();
    assertThat(reasons(decision)).containsExactly(EventReason.JobPodNotStarting);
    assertThat(decision.effects()).isEmpty();

    replay.setStatus(decision.status());
    Decision<DlqReplayStatus, ReplayEffect> again = DlqReplayDecider.decide(replay,
        new DlqReplayObservation(FOUND, null, stuck, null, null), NOW.plusSeconds(2));
    assertThat(again.events()).as("one warning per episode").isEmpty();

    replay.setStatus(again.status());
    Decision<DlqReplayStatus, ReplayEffect> started = DlqReplayDecider.decide(replay,
        new DlqReplayObservation(FOUND, null, new JobOutcome(State.RUNNING, null, null, 0), null, null),
        NOW.plusSeconds(4));
    assertThat(started.status().condition("Stalled")).isEmpty();
    assertThat(condition(started, "Reconciling").getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(started.status().getPhase()).isEqualTo(DlqReplayPhase.Replaying);
  }

  @Test
  void aPreviewJobWhosePodCannotStartIsStalledInPreviewing() {
    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(previewing(),
        inspect(new JobOutcome(State.RUNNING, null, null, 0,
            "pod fix-inspect-abcde: CreateContainerConfigError: secret \"kafka-login\" not found")), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.Previewing);
    assertThat(condition(decision, "Stalled").getReason()).isEqualTo("JobPodNotStarting");
    assertThat(decision.status().getMessage()).contains("secret \"kafka-login\" not found");
    assertThat(reasons(decision)).containsExactly(EventReason.JobPodNotStarting);
  }

  @Test
  void aRunningReplayWhoseProgressCannotBeReadSaysSoAndKeepsTheLastCounters() {
    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(replaying(),
        new DlqReplayObservation(FOUND, null, new JobOutcome(State.RUNNING, null, null, 0), null,
        "no answer from kafka:9092 in time"), NOW);

    assertThat(decision.status().getProgress().getMatched()).isEqualTo(42);
    assertThat(decision.status().getMessage()).startsWith("Replaying: progress not readable: no answer");
    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.Replaying);
  }

  @Test
  void aSucceededReplayTakesTheFinalCountersFromItsJob() {
    String result = new DlqReplayResult(new DlqReplayResult.Progress(42, 40, 2,
        Map.of("maxReplays", 1L, "unroutable", 1L), 0), DlqReplayResult.SUCCEEDED,
        "replayed 40 of 42 matching records").toJson();
    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(replaying(),
        new DlqReplayObservation(FOUND, null, new JobOutcome(State.SUCCEEDED, null, result, 0), Map.of(), null), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.Succeeded);
    assertThat(decision.status().getProgress().getReplayed()).isEqualTo(40);
    assertThat(decision.status().getProgress().getSkipped()).isEqualTo(2);
    assertThat(decision.status().getProgress().getSkippedByReason()).containsEntry("unroutable", 1L);
    assertThat(condition(decision, "Ready").getReason()).isEqualTo("Succeeded");
    assertThat(decision.events()).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo(EventReason.ReplaySucceeded);
      assertThat(e.message()).startsWith("Replayed 40 of 42 selected records, skipped 2");
    });
    assertThat(decision.next()).isEqualTo(Next.onEvent());
  }

  @Test
  void aFailedReplayJobFailsWithItsReasonItsMessageAndWhatWasCommitted() {
    String result = new DlqReplayResult(new DlqReplayResult.Progress(12, 10, 0, Map.of(), 2),
        DlqReplayResult.FAILED, "failed: record too large for topic shop.actions").toJson();
    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(replaying(),
        new DlqReplayObservation(FOUND, null, new JobOutcome(State.FAILED, "BackoffLimitExceeded", result, 4), Map.of(),
        null), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.Failed);
    assertThat(decision.status().getMessage()).startsWith("Replay Job fix-replay failed (BackoffLimitExceeded): "
        + "failed: record too large for topic shop.actions");
    assertThat(decision.status().getProgress().getReplayed()).isEqualTo(10);
    assertThat(decision.status().getProgress().getFailed()).isEqualTo(2);
    assertThat(condition(decision, "Stalled").getReason()).isEqualTo("BackoffLimitExceeded");
    assertThat(reasons(decision)).containsExactly(EventReason.ReplayFailed);
  }

  @Test
  void theCancelAnnotationDeletesTheJobsAndEndsCancelledWithWhatWasCommitted() {
    DlqReplay replay = replaying();
    replay.getMetadata().setAnnotations(Map.of(Cancellation.ANNOTATION, "true"));
    Map<Integer, CommittedOffset> committed = Map.of(0, new CommittedOffset(10, checkpoint(21, 10, 10, Map.of())));

    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(replay,
        new DlqReplayObservation(FOUND, null, new JobOutcome(State.RUNNING, null, null, 0), committed, null), NOW);

    assertThat(decision.effects()).containsExactly(ReplayEffect.DELETE_JOBS);
    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.Cancelled);
    assertThat(decision.status().getProgress().getReplayed()).isEqualTo(10);
    assertThat(condition(decision, "Stalled").getReason()).isEqualTo("Cancelled");
    assertThat(reasons(decision)).containsExactly(EventReason.ReplayCancelled);
    assertThat(DlqReplayDecider.finished(decision.status())).isTrue();
  }

  @Test
  void aFinishedReplayIsLeftAsItIs() {
    DlqReplay replay = replaying();
    String result = new DlqReplayResult(new DlqReplayResult.Progress(42, 42, 0, Map.of(), 0),
        DlqReplayResult.SUCCEEDED, "done").toJson();
    replay.setStatus(DlqReplayDecider.decide(replay, new DlqReplayObservation(FOUND, null,
        new JobOutcome(State.SUCCEEDED, null, result, 0), Map.of(), null), NOW).status());
    replay.getMetadata().setAnnotations(Map.of(Cancellation.ANNOTATION, "true", Approval.ANNOTATION, "true"));

    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(replay, observed(MISSING),
        NOW.plusSeconds(3600));

    assertThat(decision.effects()).isEmpty();
    assertThat(decision.events()).isEmpty();
    assertThat(DlqReplayDecider.finished(decision.status())).isTrue();
    assertThat(StatusWriter.same(replay.getStatus(), decision.status())).isTrue();
  }

  @Test
  void aDecisionRepeatedAfterACrashAsksForTheSameJobAndTheSameStatus() {
    DlqReplay replay = previewing();
    replay.getSpec().setApproval(Approval.Automatic);

    Decision<DlqReplayStatus, ReplayEffect> first = DlqReplayDecider.decide(replay, inspect(previewDone(42)), NOW);
    Decision<DlqReplayStatus, ReplayEffect> repeated = DlqReplayDecider.decide(replay, inspect(previewDone(42)), NOW);

    assertThat(repeated.effects()).isEqualTo(first.effects()).containsExactly(ReplayEffect.START_REPLAY);
    assertThat(StatusWriter.same(first.status(), repeated.status())).isTrue();
  }

  /**
   * A second DlqReplay over records an earlier one sent: the preview's overlap is in status and in the message
   * the approver reads, with what the spec makes of it.
   */
  @Test
  void aPreviewOverRecordsAlreadyReplayedShowsTheOverlapAndThatTheyWillBeSkipped() {
    DlqInspectResult.Preview counted = new DlqInspectResult.Preview(42, Map.of("E", 42L), Map.of("shop.actions", 42L),
        Map.of("0", 42L), 0, null, null, List.of(), 2, 30,
        List.of(new DlqInspectResult.ReplayedRange(0, 0, 30, "orders.fix-first")));
    JobOutcome done = new JobOutcome(State.SUCCEEDED, null, new DlqInspectResult(
        List.of(new DlqInspectResult.Range(0, 0, 42)), counted, "42 of 42 records read match").toJson(), 0);

    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(previewing(), inspect(done), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.AwaitingApproval);
    assertThat(decision.status().getPreview().getAlreadyReplayed()).isEqualTo(30);
    assertThat(decision.status().getPreview().getTargetNotAllowed()).isEqualTo(2);
    assertThat(decision.status().getPreview().getAlreadyReplayedRanges()).singleElement().satisfies(r -> {
      assertThat(r.getReplayName()).isEqualTo("orders.fix-first");
      assertThat(r.getEndOffset()).isEqualTo(30);
    });
    assertThat(decision.status().getMessage()).contains("30 of the selected records were already replayed by "
        + "orders.fix-first").contains("will be skipped").contains("spec.replayAgain: true")
        .contains("2 of the selected records name a target topic");

    DlqReplay again = previewing();
    again.getSpec().setReplayAgain(true);
    assertThat(DlqReplayDecider.decide(again, inspect(done), NOW).status().getMessage())
        .contains("will be replayed again: spec.replayAgain is true");
  }

  /**
   * Two replays of one DLQ approved together: each reads the ledger when it starts, so running at once they could
   * both send records they both select. The later one waits, says for whom, and starts once that one is done.
   */
  @Test
  void anApprovedReplayWaitsWhileAnotherReplayOfTheSameDlqRunsThenStarts() {
    DlqReplay replay = previewing();
    replay.setStatus(DlqReplayDecider.decide(replay, inspect(previewDone(42)), NOW.minusSeconds(3)).status());
    replay.getMetadata().setAnnotations(Map.of(Approval.ANNOTATION, "true"));

    Decision<DlqReplayStatus, ReplayEffect> waiting = DlqReplayDecider.decide(replay,
        observed(FOUND).withReplaysAhead(List.of("first")), NOW);

    assertThat(waiting.effects()).isEmpty();
    assertThat(waiting.status().getPhase()).isEqualTo(DlqReplayPhase.AwaitingApproval);
    assertThat(waiting.status().getMessage()).contains("waiting for DlqReplay first of the same DLQ");
    assertThat(reasons(waiting)).containsExactly(EventReason.Waiting);
    assertThat(waiting.next()).isEqualTo(Next.after(DlqReplayDecider.JOB_POLL));
    replay.setStatus(waiting.status());
    assertThat(DlqReplayDecider.decide(replay, observed(FOUND).withReplaysAhead(List.of("first")), NOW.plusSeconds(2))
        .events()).isEmpty();

    Decision<DlqReplayStatus, ReplayEffect> started = DlqReplayDecider.decide(replay, observed(FOUND),
        NOW.plusSeconds(4));
    assertThat(started.effects()).containsExactly(ReplayEffect.START_REPLAY);
    assertThat(started.status().getPhase()).isEqualTo(DlqReplayPhase.Replaying);
  }

  /** A replay whose preview Job was started. */
  @Test
  void aSummaryPreviewTakesItsSnapshotAndPartitionCountsFromTheResultGroupForTwoHundredPartitions() {
    DlqReplay replay = previewing();
    JobOutcome done = previewSummary(200, "run-1");
    Decision<DlqReplayStatus, ReplayEffect> reading = DlqReplayDecider.decide(replay, inspect(done), NOW);
    assertThat(reading.status().getPhase()).isEqualTo(DlqReplayPhase.Previewing);
    assertThat(reading.status().getMessage()).contains("reading its snapshot and per-partition counts from "
        + "consumer group g");
    assertThat(reading.next()).isEqualTo(Next.after(DlqReplayDecider.JOB_POLL));

    Decision<DlqReplayStatus, ReplayEffect> unreadable = DlqReplayDecider.decide(replay,
        inspect(done).withInspectPartitions(null, "broker down"), NOW);
    assertThat(unreadable.status().getPhase()).isEqualTo(DlqReplayPhase.Previewing);
    assertThat(unreadable.status().getMessage()).contains("broker down; trying again");

    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(replay,
        inspect(done).withInspectPartitions(group(200, "run-1"), null), NOW);
    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.AwaitingApproval);
    assertThat(decision.status().getSnapshot()).hasSize(200);
    assertThat(decision.status().getSnapshot().get(199).getStartOffset()).isEqualTo(199);
    assertThat(decision.status().getSnapshot().get(199).getEndOffset()).isEqualTo(1199);
    assertThat(decision.status().getPreview().getByPartition()).hasSize(200).containsEntry("199", 2L);
    assertThat(decision.status().getPreview().getMatched()).isEqualTo(400);
    assertThat(decision.status().getPreview().getByErrorType()).containsEntry("E", 400L);
    // The message stays short enough to end with the approval command.
    assertThat(decision.status().getMessage()).contains("snapshot 200 partitions, 200000 records (status.snapshot)")
        .endsWith("kubectl annotate dlqr fix reducer.io/approve=true");
  }

  @Test
  void aSummaryPreviewWhoseResultGroupIsIncompleteFailsUnreadable() {
    DlqReplay replay = previewing();
    Map<Integer, CommittedOffset> partial = new TreeMap<>(group(200, "run-1"));
    partial.remove(7);
    partial.put(8, new CommittedOffset(1008, "{\"v\":1,\"run\":\"run-0\",\"start\":8,\"matched\":2}"));
    Decision<DlqReplayStatus, ReplayEffect> decision = DlqReplayDecider.decide(replay,
        inspect(previewSummary(200, "run-1")).withInspectPartitions(partial, null), NOW);
    assertThat(decision.status().getPhase()).isEqualTo(DlqReplayPhase.Failed);
    assertThat(condition(decision, "Stalled").getReason()).isEqualTo("PreviewUnreadable");
    assertThat(decision.status().getMessage()).contains("198 of 200 DLQ partitions", "396 of 400 matching records",
        "1 partition(s) hold other figures");
  }

  /** The summary an inspect Job with a result group writes: 2 matching records per partition. */
  private static JobOutcome previewSummary(int partitions, String run) {
    Map<String, Long> byPartition = new TreeMap<>();
    List<DlqInspectResult.Range> snapshot = new java.util.ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      snapshot.add(new DlqInspectResult.Range(p, p, 1000 + p));
      byPartition.put(String.valueOf(p), 2L);
    }
    DlqInspectResult full = new DlqInspectResult(snapshot, new DlqInspectResult.Preview(2L * partitions,
        Map.of("E", 2L * partitions), Map.of("shop.actions", 2L * partitions), byPartition, 0, null, null,
        List.of()), "all match");
    String json = full.summary(new DlqInspectResult.ResultGroup("g", "shop.dlq", run)).toJson();
    assertThat(json).doesNotContain("snapshot", "byPartition");
    return new JobOutcome(State.SUCCEEDED, null, json, 0);
  }

  /** The result group's committed offsets as the inspect Job commits them. */
  private static Map<Integer, CommittedOffset> group(int partitions, String run) {
    Map<Integer, CommittedOffset> committed = new TreeMap<>();
    for (int p = 0; p < partitions; p++) {
      committed.put(p, new CommittedOffset(1000 + p, new io.reducer.workloads.dlq.InspectPartition(run, p, 2)
          .toMetadata()));
    }
    return committed;
  }

  private static DlqReplay previewing() {
    DlqReplay replay = replay("fix", "shop");
    replay.setStatus(DlqReplayDecider.decide(replay, observed(FOUND), NOW.minusSeconds(10)).status());
    return replay;
  }

  /** A Manual replay that was approved and whose replay Job was started. */
  private static DlqReplay replaying() {
    DlqReplay replay = previewing();
    replay.getMetadata().setAnnotations(Map.of(Approval.ANNOTATION, "true"));
    replay.setStatus(DlqReplayDecider.decide(replay, inspect(previewDone(42)), NOW.minusSeconds(5)).status());
    assertThat(replay.getStatus().getPhase()).isEqualTo(DlqReplayPhase.Replaying);
    return replay;
  }

  private static JobOutcome previewDone(long matched) {
    DlqInspectResult result = new DlqInspectResult(
        List.of(new DlqInspectResult.Range(0, 0, 21), new DlqInspectResult.Range(1, 3, 21)),
        new DlqInspectResult.Preview(matched, Map.of("DESERIALIZATION_ERROR", 30L, "VALIDATION_ERROR", 12L),
            Map.of("shop.actions", matched), Map.of("0", 21L, "1", 21L), 0, "2026-03-01T09:00:00Z",
            "2026-03-01T09:30:00Z", List.of(new DlqInspectResult.Sample(0, 1, "wf-1", "c-1",
                "DESERIALIZATION_ERROR", "shop.actions"))),
        matched + " of 42 records read match");
    return new JobOutcome(State.SUCCEEDED, null, result.toJson(), 0);
  }

  /** Offset metadata as the replay commits it. */
  private static String checkpoint(long end, long matched, long replayed, Map<String, Long> skipped) {
    StringBuilder json = new StringBuilder("{\"v\":1,\"fingerprint\":\"f\",\"end\":" + end + ",\"matched\":" + matched
        + ",\"replayed\":" + replayed + ",\"skipped\":{");
    json.append(String.join(",", skipped.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue())
        .toList()));
    return json.append("}}").toString();
  }

  private static DlqReplayObservation observed(ReplaySource.Resolution source) {
    return new DlqReplayObservation(source, null, null, null, null);
  }

  private static DlqReplayObservation inspect(JobOutcome outcome) {
    return new DlqReplayObservation(FOUND, outcome, null, null, null);
  }

  private static List<String> phases(Decision<DlqReplayStatus, ReplayEffect> decision) {
    return decision.status().getHistory().stream().map(PhaseTransition::getPhase).toList();
  }

  private static List<EventReason> reasons(Decision<DlqReplayStatus, ReplayEffect> decision) {
    return decision.events().stream().map(PlannedEvent::reason).toList();
  }

  private static Condition condition(Decision<DlqReplayStatus, ReplayEffect> decision, String type) {
    return decision.status().condition(type).orElseThrow(() -> new AssertionError("no condition " + type));
  }
}
