package io.reducer.controller.reset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.WatermarkResetSpec;
import io.reducer.api.v1alpha1.common.Approval;
import io.reducer.api.v1alpha1.common.LocalReference;
import io.reducer.api.v1alpha1.reset.RebuildStrategy;
import io.reducer.api.v1alpha1.reset.ResetTarget;
import io.reducer.api.v1alpha1.reset.ResetTargetType;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import io.reducer.controller.kafka.ConsumerGroupState;
import io.reducer.controller.reset.WatermarkResetDecider.Cleanup;
import io.reducer.controller.workload.JobOutcome;
import io.reducer.workloads.materializer.Watermark;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Shadow strategy's decisions: the live projection runs until the cutover, and nothing is left behind. */
class ShadowRebuildDeciderTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final ConsumerGroupState EMPTY = new ConsumerGroupState("reducer.orders.p", "Empty", List.of());
  private static final ConsumerGroupState BUSY = new ConsumerGroupState("reducer.orders.p", "Stable",
      List.of("m-1 (client c, host h)"));
  private static final JobOutcome RUNNING = new JobOutcome(JobOutcome.State.RUNNING, null, null, 0);
  private static final JobOutcome CREATED = new JobOutcome(JobOutcome.State.SUCCEEDED, null,
      "{\"action\":\"create\",\"result\":\"Completed\",\"message\":\"created\"}", 0);
  private static final JobOutcome CUT_OVER = new JobOutcome(JobOutcome.State.SUCCEEDED, null,
      "{\"action\":\"cutover\",\"result\":\"Completed\",\"newEpoch\":4,\"lockMillis\":12,"
          + "\"previousTable\":\"p_view_prev_3d68c345\",\"message\":\"swapped\"}", 0);
  private static final Map<Integer, Watermark> LIVE = Map.of(0, w(0, 5000), 1, w(1, 5000));

  @Test
  void aShadowRebuildFillsBesideTheRunningProjectionInsteadOfQuiescingIt() {
    WatermarkReset reset = at(shadowReset(Approval.Automatic, Approval.Automatic), WatermarkResetPhase.Pending);
    var decision = WatermarkResetDecider.decide(reset, seen().holding(true).replicas(3), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Filling);
    assertThat(decision.effect()).isEqualTo(ResetEffect.CREATE_SHADOW);
    assertThat(decision.status().getShadow().getTable()).isEqualTo("p_view_shadow_3d68c345");
    assertThat(decision.status().getShadow().getProjection()).isEqualTo("p#shadow-3d68c345");
    assertThat(decision.status().getShadow().getConsumerGroup()).isEqualTo("reducer-materializer-p-shadow-3d68c345");
    assertThat(decision.status().getJobName()).isEqualTo("r1-shadow-create");
    assertThat(decision.status().getReplicasBeforeQuiesce()).isEqualTo(3);
    reset.setStatus(decision.status());
    assertThat(ShadowRebuilds.quiesces(reset)).isFalse();
  }

  @Test
  void aShadowRebuildOfATargetOtherThanEarliestFailsWithItsOwnReasonAndChangesNothing() {
    // The CRD refuses these at admission; a spec that got past it (a CRD without the rule) must not be rebuilt
    // from the log start whatever its target says.
    Map<ResetTargetType, String> refused = Map.of(ResetTargetType.LATEST, "latest", ResetTargetType.OFFSET, "offset",
        ResetTargetType.TIMESTAMP, "timestamp", ResetTargetType.SHIFT_BY, "shiftBy", ResetTargetType.BY_DURATION,
        "byDuration");
    refused.forEach((type, name) -> {
      for (boolean holding : new boolean[] {false, true}) {
        WatermarkReset reset = at(shadowReset(Approval.Automatic, Approval.Automatic), WatermarkResetPhase.Pending);
        reset.getSpec().getTarget().setType(type);
        var decision = WatermarkResetDecider.decide(reset, seen().holding(holding).replicas(3), NOW);

        assertThat(decision.status().getPhase()).as(name).isEqualTo(WatermarkResetPhase.Failed);
        assertThat(decision.effect()).as(name).isEqualTo(holding ? ResetEffect.RELEASE : null);
        assertThat(decision.status().getShadow()).as("no shadow names: nothing was created").isNull();
        assertThat(decision.status().condition("Stalled").orElseThrow().getReason())
            .isEqualTo(WatermarkResetDecider.SHADOW_TARGET_UNSUPPORTED);
        assertThat(decision.status().getMessage()).contains("target type " + name, "only target type earliest",
            "InPlace");
      }
    });
  }

  @Test
  void aManualShadowRebuildWaitsForApprovalBeforeCreatingAnything() {
    WatermarkReset reset = at(shadowReset(Approval.Manual, Approval.Automatic), WatermarkResetPhase.Pending);
    var waiting = WatermarkResetDecider.decide(reset, seen().holding(true), NOW);

    assertThat(waiting.status().getPhase()).isEqualTo(WatermarkResetPhase.AwaitingApproval);
    assertThat(waiting.effects()).isEmpty();
    assertThat(waiting.status().getMessage()).contains("reducer.io/approve=true", "keeps running");

    reset.setStatus(waiting.status());
    var approved = WatermarkResetDecider.decide(reset, seen().approved(true), NOW);
    assertThat(approved.status().getPhase()).isEqualTo(WatermarkResetPhase.Filling);
    assertThat(approved.effect()).isEqualTo(ResetEffect.CREATE_SHADOW);
  }

  @Test
  void fillingWaitsForTheCreateJobAndAFailedCreateDiscardsAndReleases() {
    WatermarkReset reset = filling(Approval.Automatic);
    var creating = WatermarkResetDecider.decide(reset, seen().shadowJob(RUNNING), NOW);
    assertThat(creating.status().getPhase()).isEqualTo(WatermarkResetPhase.Filling);
    assertThat(creating.effect()).isEqualTo(ResetEffect.CREATE_SHADOW);

    var failed = WatermarkResetDecider.decide(reset, seen().shadowJob(new JobOutcome(JobOutcome.State.FAILED,
        "BackoffLimitExceeded", "{\"action\":\"create\",\"result\":\"Refused\",\"message\":\"views\"}", 3)), NOW);
    assertThat(failed.status().getPhase()).isEqualTo(WatermarkResetPhase.Failed);
    assertThat(failed.effect()).isEqualTo(ResetEffect.DISCARD_SHADOW);
    assertThat(failed.status().getMessage()).contains("views", "live projection is unchanged");
  }

  @Test
  void fillingRunsTheShadowMaterializersAndShowsTheLag() {
    WatermarkReset reset = filling(Approval.Automatic);
    var decision = WatermarkResetDecider.decide(reset, seen().shadowJob(CREATED)
        .shadowWatermarks(LIVE, Map.of(0, w(0, 1000))), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Filling);
    assertThat(decision.effect()).isEqualTo(ResetEffect.RUN_SHADOW);
    assertThat(decision.status().getShadow().getLag()).isEqualTo(9000);
    assertThat(decision.status().getShadow().getPartitionsBehind()).isEqualTo(2);
    assertThat(decision.status().getShadow().getLiveOffsets()).isEqualTo(10000);
    assertThat(decision.status().getShadow().getShadowOffsets()).isEqualTo(1000);
    // 1000 records in the 60 s since Filling began: 9000 more take 540 s.
    assertThat(decision.status().getShadow().getSecondsToCatchUp()).isEqualTo(540);
    assertThat(decision.status().getMessage()).contains("9000 record(s) behind");
  }

  @Test
  void aShadowCloseToTheLiveProjectionStartsTheCutoverWhichHoldsTheProjection() {
    WatermarkReset reset = filling(Approval.Automatic);
    var decision = WatermarkResetDecider.decide(reset, seen().shadowJob(CREATED)
        .shadowWatermarks(LIVE, Map.of(0, w(0, 4950), 1, w(1, 4990))), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.CuttingOver);
    assertThat(decision.effect()).isEqualTo(ResetEffect.RUN_SHADOW);
    reset.setStatus(decision.status());
    assertThat(ShadowRebuilds.quiesces(reset)).isTrue();
  }

  @Test
  void aManualCutoverWaitsForItsOwnAnnotationWhileTheShadowKeepsUp() {
    WatermarkReset reset = filling(Approval.Manual);
    ResetObservation close = seen().shadowJob(CREATED).shadowWatermarks(LIVE, LIVE).approved(true);
    var waiting = WatermarkResetDecider.decide(reset, close, NOW);

    assertThat(waiting.status().getPhase()).isEqualTo(WatermarkResetPhase.AwaitingCutoverApproval);
    assertThat(waiting.effect()).isEqualTo(ResetEffect.RUN_SHADOW);
    assertThat(waiting.status().getMessage()).contains("reducer.io/approve-cutover=true", "p_view_shadow_3d68c345");

    reset.setStatus(waiting.status());
    var still = WatermarkResetDecider.decide(reset, seen().shadowWatermarks(LIVE, LIVE).approved(true), NOW);
    assertThat(still.status().getPhase()).isEqualTo(WatermarkResetPhase.AwaitingCutoverApproval);
    var approved = WatermarkResetDecider.decide(reset, seen().shadowWatermarks(LIVE, LIVE).cutoverApproved(true),
        NOW);
    assertThat(approved.status().getPhase()).isEqualTo(WatermarkResetPhase.CuttingOver);
  }

  @Test
  void theCutoverWaitsForTheLiveGroupThenTheShadowThenStopsTheShadowThenSwaps() {
    WatermarkReset reset = cuttingOver();
    var liveRunning = WatermarkResetDecider.decide(reset, seen().group(BUSY).shadowGroup(BUSY)
        .shadowWatermarks(LIVE, LIVE).shadowReplicas(1), NOW);
    assertThat(liveRunning.effect()).isEqualTo(ResetEffect.RUN_SHADOW);
    assertThat(liveRunning.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("GroupNotEmpty");

    var behind = WatermarkResetDecider.decide(reset, seen().group(EMPTY).shadowGroup(BUSY)
        .shadowWatermarks(LIVE, Map.of(0, w(0, 5000), 1, w(1, 4999))).shadowReplicas(1), NOW);
    assertThat(behind.effect()).isEqualTo(ResetEffect.RUN_SHADOW);
    assertThat(behind.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("ShadowBehind");

    var stop = WatermarkResetDecider.decide(reset, seen().group(EMPTY).shadowGroup(BUSY)
        .shadowWatermarks(LIVE, Map.of(0, w(0, 5000), 1, w(1, 5001))).shadowReplicas(1), NOW);
    assertThat(stop.effect()).isEqualTo(ResetEffect.STOP_SHADOW);

    var stillLeaving = WatermarkResetDecider.decide(reset, seen().group(EMPTY).shadowGroup(BUSY)
        .shadowWatermarks(LIVE, LIVE).shadowReplicas(0), NOW);
    assertThat(stillLeaving.effect()).isEqualTo(ResetEffect.STOP_SHADOW);

    var swap = WatermarkResetDecider.decide(reset, seen().group(EMPTY).shadowGroup(EMPTY)
        .shadowWatermarks(LIVE, LIVE).shadowReplicas(0), NOW);
    assertThat(swap.effect()).isEqualTo(ResetEffect.CUTOVER);
    assertThat(swap.status().getJobName()).isEqualTo("r1-shadow-cutover");
    assertThat(swap.status().getPhase()).isEqualTo(WatermarkResetPhase.CuttingOver);
  }

  @Test
  void whileTheCutoverCannotReadTheGroupOrTheProgressTheShadowIsNeitherStartedNorStopped() {
    WatermarkReset reset = cuttingOver();
    var groupUnknown = WatermarkResetDecider.decide(reset, seen().groupUnknown("KafkaUnreachable", "timed out")
        .shadowGroup(EMPTY).shadowWatermarks(LIVE, LIVE).shadowReplicas(0), NOW);
    assertThat(groupUnknown.effects()).as("a stopped shadow stays stopped").isEmpty();
    assertThat(groupUnknown.status().condition("Reconciling").orElseThrow().getReason())
        .isEqualTo("KafkaUnreachable");
    assertThat(groupUnknown.status().getPhase()).isEqualTo(WatermarkResetPhase.CuttingOver);

    var progressUnknown = WatermarkResetDecider.decide(reset, seen().group(EMPTY).shadowGroup(EMPTY)
        .shadowUnreadable("connection refused").shadowReplicas(0), NOW);
    assertThat(progressUnknown.effects()).isEmpty();
    assertThat(progressUnknown.status().condition("Reconciling").orElseThrow().getReason())
        .isEqualTo("ShadowProgressUnknown");
  }

  @Test
  void aSucceededCutoverFinishesTheShadowAndCompletesWithTheNewEpoch() {
    WatermarkReset reset = cuttingOver();
    var done = WatermarkResetDecider.decide(reset, seen().shadowJob(CUT_OVER), NOW);

    assertThat(done.status().getPhase()).isEqualTo(WatermarkResetPhase.Resuming);
    assertThat(done.effect()).isEqualTo(ResetEffect.FINISH_SHADOW);
    assertThat(done.status().getShadow().getNewEpoch()).isEqualTo(4);
    assertThat(done.status().getShadow().getLockMillis()).isEqualTo(12);
    // kubectl get wmr shows status.plan.newEpoch as EPOCH, for an InPlace reset and a Shadow rebuild alike.
    assertThat(reset.getStatus().getPlan()).as("a Shadow rebuild plans no positions").isNull();
    assertThat(done.status().getPlan().getNewEpoch()).isEqualTo(4);
    assertThat(done.status().getPlan().getCurrentEpoch()).isEqualTo(3);
    assertThat(done.status().getPlan().getPartitions()).isEmpty();

    reset.setStatus(done.status());
    var notYet = WatermarkResetDecider.decide(reset, seen(), NOW);
    assertThat(notYet.effect()).isEqualTo(ResetEffect.FINISH_SHADOW);
    assertThat(notYet.status().getPhase()).isEqualTo(WatermarkResetPhase.Resuming);
    var completed = WatermarkResetDecider.decide(reset, seen().released(true), NOW);
    assertThat(completed.status().getPhase()).isEqualTo(WatermarkResetPhase.Completed);
    assertThat(completed.effect()).isEqualTo(ResetEffect.REMEMBER);
    assertThat(completed.status().getMessage()).contains("epoch 4", "p_view_prev_3d68c345");
  }

  @Test
  void aCutoverWhoseAnswerWasLostCompletesWithTheEpochItsRetryReports() {
    // The first pod committed the swap and died before answering; the retry found nothing left to swap.
    WatermarkReset reset = cuttingOver();
    var done = WatermarkResetDecider.decide(reset, seen().shadowJob(new JobOutcome(JobOutcome.State.SUCCEEDED,
        null, "{\"action\":\"cutover\",\"result\":\"Unchanged\",\"newEpoch\":4,\"partitions\":0,"
            + "\"previousTable\":\"p_view_prev_3d68c345\",\"message\":\"nothing to cut over: no shadow table and "
            + "no shadow watermarks (an earlier run cut over, or the rebuild was discarded); the live projection is "
            + "at epoch 4\"}", 1)), NOW);

    assertThat(done.status().getPhase()).isEqualTo(WatermarkResetPhase.Resuming);
    assertThat(done.effect()).isEqualTo(ResetEffect.FINISH_SHADOW);
    assertThat(done.status().getShadow().getNewEpoch()).isEqualTo(4);
    assertThat(done.status().getShadow().getPreviousTable()).isEqualTo("p_view_prev_3d68c345");
    assertThat(done.status().getShadow().getLockMillis()).as("unknown: the run that swapped did not answer").isNull();
    assertThat(done.status().getPlan().getNewEpoch()).as("the EPOCH column").isEqualTo(4);
    assertThat(done.status().getMessage()).contains("earlier attempt of Job r1-shadow-cutover whose answer was lost");

    reset.setStatus(done.status());
    var completed = WatermarkResetDecider.decide(reset, seen().released(true), NOW);
    assertThat(completed.status().getMessage()).contains("epoch 4 in force", "p_view_prev_3d68c345");
  }

  @Test
  void aCutoverWithoutAReadableAnswerTakesTheEpochFromTheLiveWatermarks() {
    Map<Integer, Watermark> swapped = Map.of(0, new Watermark(0, 5000, 4, null, NOW),
        1, new Watermark(1, 5000, 4, null, NOW));
    for (String answer : new String[] {null, "", "Killed", "{\"action\":\"cutover\",\"result\":"}) {
      WatermarkReset reset = cuttingOver();
      JobOutcome succeeded = new JobOutcome(JobOutcome.State.SUCCEEDED, null, answer, 0);

      var done = WatermarkResetDecider.decide(reset, seen().shadowJob(succeeded)
          .shadowWatermarks(swapped, Map.of()), NOW);

      assertThat(done.status().getPhase()).as("answer %s", answer).isEqualTo(WatermarkResetPhase.Resuming);
      assertThat(done.effect()).isEqualTo(ResetEffect.FINISH_SHADOW);
      assertThat(done.status().getShadow().getNewEpoch()).isEqualTo(4);
      assertThat(done.status().getPlan().getNewEpoch()).as("the EPOCH column").isEqualTo(4);
      assertThat(done.status().getPlan().getCurrentEpoch()).isEqualTo(3);
      assertThat(done.status().getMessage()).contains("whose result is missing or unreadable",
          "epoch 4 in force (read from the live watermarks)");
      reset.setStatus(done.status());
      var completed = WatermarkResetDecider.decide(reset, seen().released(true), NOW);
      assertThat(completed.status().getMessage()).contains("epoch 4 in force").doesNotContain("null");
    }
  }

  @Test
  void aCutoverWithoutAnAnswerWaitsWithAReasonWhileTheWatermarksCannotBeRead() {
    WatermarkReset reset = cuttingOver();
    JobOutcome succeeded = new JobOutcome(JobOutcome.State.SUCCEEDED, null, null, 0);

    var unknown = WatermarkResetDecider.decide(reset, seen().shadowJob(succeeded)
        .shadowUnreadable("connection refused"), NOW);

    assertThat(unknown.status().getPhase()).isEqualTo(WatermarkResetPhase.CuttingOver);
    assertThat(unknown.effects()).as("the live materializers stay held").isEmpty();
    assertThat(unknown.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("CutoverEpochUnknown");
    assertThat(unknown.status().getMessage()).contains("r1-shadow-cutover succeeded without a readable result",
        "connection refused");
    assertThat(unknown.status().getShadow().getNewEpoch()).isNull();
    assertThat(unknown.next().after()).isNotNull();

    reset.setStatus(unknown.status());
    var done = WatermarkResetDecider.decide(reset, seen().shadowJob(succeeded)
        .shadowWatermarks(Map.of(0, new Watermark(0, 5000, 7, null, NOW)), Map.of()), NOW);
    assertThat(done.status().getPhase()).isEqualTo(WatermarkResetPhase.Resuming);
    assertThat(done.status().getShadow().getNewEpoch()).isEqualTo(7);
  }

  @Test
  void aCutoverOfAProjectionWithoutWatermarkRowsSaysSoInsteadOfShowingANullEpoch() {
    WatermarkReset reset = cuttingOver();
    var done = WatermarkResetDecider.decide(reset, seen().shadowJob(new JobOutcome(JobOutcome.State.SUCCEEDED,
        null, null, 0)).shadowWatermarks(Map.of(), Map.of()), NOW);
    assertThat(done.status().getPhase()).isEqualTo(WatermarkResetPhase.Resuming);
    assertThat(done.status().getShadow().getNewEpoch()).isNull();

    reset.setStatus(done.status());
    var completed = WatermarkResetDecider.decide(reset, seen().released(true), NOW);
    assertThat(completed.status().getPhase()).isEqualTo(WatermarkResetPhase.Completed);
    assertThat(completed.status().getMessage()).contains("no epoch in force (the projection has no watermark rows)")
        .doesNotContain("null");
  }

  @Test
  void aCutoverJobDeletedAfterItSwappedIsRunAgainInsteadOfStartingTheShadowMaterializers() {
    // Before the swap, an empty shadow (no watermark rows yet) waits for its materializers.
    WatermarkReset reset = cuttingOver();
    var before = WatermarkResetDecider.decide(reset, seen().group(EMPTY).shadowGroup(EMPTY)
        .shadowWatermarks(LIVE, Map.of()).shadowReplicas(1).shadowTableExists(true), NOW);
    assertThat(before.effect()).isEqualTo(ResetEffect.RUN_SHADOW);
    assertThat(before.status().condition("Reconciling").orElseThrow().getReason()).isEqualTo("ShadowBehind");

    // After it: the table and the shadow rows are gone with the Job. Starting the shadow materializers again would
    // create an empty table of the default definition; the cutover runs again and reports the epoch instead.
    var gone = WatermarkResetDecider.decide(reset, seen().group(EMPTY).shadowGroup(EMPTY)
        .shadowWatermarks(LIVE, Map.of()).shadowReplicas(0).shadowTableExists(false), NOW);
    assertThat(gone.effect()).isEqualTo(ResetEffect.CUTOVER);
    assertThat(gone.status().getPhase()).isEqualTo(WatermarkResetPhase.CuttingOver);
    assertThat(gone.status().getJobName()).isEqualTo("r1-shadow-cutover");
    assertThat(gone.status().getMessage()).contains("no shadow table and no shadow watermarks are left");

    reset.setStatus(gone.status());
    var done = WatermarkResetDecider.decide(reset, seen().shadowJob(new JobOutcome(JobOutcome.State.SUCCEEDED,
        null, "{\"action\":\"cutover\",\"result\":\"Unchanged\",\"newEpoch\":4,\"partitions\":0,"
            + "\"message\":\"nothing to cut over\"}", 0)), NOW);
    assertThat(done.status().getPhase()).isEqualTo(WatermarkResetPhase.Resuming);
    assertThat(done.status().getShadow().getNewEpoch()).isEqualTo(4);
  }

  @Test
  void aFailedCutoverDiscardsTheShadowAndTheLiveProjectionRunsOn() {
    var failed = WatermarkResetDecider.decide(cuttingOver(), seen().shadowJob(new JobOutcome(
        JobOutcome.State.FAILED, "BackoffLimitExceeded", "{\"action\":\"cutover\",\"result\":\"Failed\","
            + "\"message\":\"locks not granted\"}", 5)), NOW);

    assertThat(failed.status().getPhase()).isEqualTo(WatermarkResetPhase.Failed);
    assertThat(failed.effect()).isEqualTo(ResetEffect.DISCARD_SHADOW);
    assertThat(failed.status().getMessage()).contains("locks not granted", "nothing was swapped");
  }

  @Test
  void aDeletedProjectionFailsTheFillAndDiscards() {
    var decision = WatermarkResetDecider.decide(filling(Approval.Automatic), seen().targetMissing(), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Failed);
    assertThat(decision.effect()).isEqualTo(ResetEffect.DISCARD_SHADOW);
  }

  @Test
  void deletingAShadowRebuildStopsItsMaterializersThenDiscardsUnlessItCutOver() {
    WatermarkReset reset = filling(Approval.Automatic);
    assertThat(WatermarkResetDecider.cleanup(reset, seen().shadowReplicas(1).shadowGroup(BUSY)))
        .isEqualTo(Cleanup.STOP_MATERIALIZERS);
    assertThat(WatermarkResetDecider.cleanup(reset, seen().shadowGroup(BUSY))).isEqualTo(Cleanup.STOP_MATERIALIZERS);
    assertThat(WatermarkResetDecider.cleanup(reset, seen().shadowGroup(EMPTY))).isEqualTo(Cleanup.DISCARD);
    assertThat(WatermarkResetDecider.cleanup(reset, seen().shadowGroup(EMPTY).shadowJob(RUNNING)))
        .isEqualTo(Cleanup.DISCARD);
    assertThat(WatermarkResetDecider.cleanup(reset, seen().shadowGroup(EMPTY).shadowJob(CREATED)))
        .isEqualTo(Cleanup.DISCARDED);
    assertThat(WatermarkResetDecider.cleanup(reset, seen().cutoverJob(RUNNING))).isEqualTo(Cleanup.WAIT_FOR_CUTOVER);
    assertThat(WatermarkResetDecider.cleanup(reset, seen().cutoverJob(CUT_OVER))).isEqualTo(Cleanup.FINISH);

    WatermarkReset inPlace = at(shadowReset(Approval.Automatic, Approval.Automatic), WatermarkResetPhase.Pending);
    inPlace.getSpec().setRebuildStrategy(RebuildStrategy.InPlace);
    assertThat(WatermarkResetDecider.cleanup(inPlace, seen())).isEqualTo(Cleanup.DONE);
    WatermarkReset notStarted = at(shadowReset(Approval.Manual, Approval.Automatic), WatermarkResetPhase.Pending);
    assertThat(WatermarkResetDecider.cleanup(notStarted, seen())).isEqualTo(Cleanup.DONE);
  }

  @Test
  void aPartitionTheShadowHasNotReachedCountsAsBehind() {
    ShadowRebuilds.Lag lag = ShadowRebuilds.lag(LIVE, Map.of(0, w(0, 6000)));

    assertThat(lag.partitionsBehind()).isEqualTo(1);
    assertThat(lag.lag()).isEqualTo(5000);
    assertThat(lag.caughtUp()).isFalse();
    assertThat(ShadowRebuilds.lag(LIVE, Map.of(0, w(0, 5000), 1, w(1, 5000))).caughtUp()).isTrue();
  }

  private static ResetObservation seen() {
    return new ResetObservation().table("p_view");
  }

  private static Watermark w(int partition, long nextOffset) {
    return new Watermark(partition, nextOffset, 0, null, NOW);
  }

  private static WatermarkReset filling(Approval cutover) {
    WatermarkReset reset = at(shadowReset(Approval.Automatic, cutover), WatermarkResetPhase.Pending);
    reset.setStatus(WatermarkResetDecider.decide(reset, seen().holding(true), NOW.minusSeconds(60)).status());
    return reset;
  }

  private static WatermarkReset cuttingOver() {
    WatermarkReset reset = filling(Approval.Automatic);
    reset.setStatus(WatermarkResetDecider.decide(reset, seen().shadowJob(CREATED).shadowWatermarks(LIVE, LIVE),
        NOW.minusSeconds(30)).status());
    assertThat(reset.getStatus().getPhase()).isEqualTo(WatermarkResetPhase.CuttingOver);
    return reset;
  }

  private static WatermarkReset at(WatermarkReset reset, WatermarkResetPhase phase) {
    reset.setStatus(WatermarkResetDecider.decide(reset, seen(), NOW.minusSeconds(90)).status());
    assertThat(reset.getStatus().getPhase()).isEqualTo(phase);
    return reset;
  }

  private static WatermarkReset shadowReset(Approval approval, Approval cutover) {
    WatermarkResetSpec spec = new WatermarkResetSpec();
    spec.setProjectionRef(new LocalReference("p"));
    ResetTarget target = new ResetTarget();
    target.setType(ResetTargetType.EARLIEST);
    spec.setTarget(target);
    spec.setRebuild(true);
    spec.setRebuildStrategy(RebuildStrategy.Shadow);
    spec.setApproval(approval);
    spec.setCutoverApproval(cutover);
    WatermarkReset reset = new WatermarkReset();
    reset.setMetadata(new ObjectMetaBuilder().withName("r1").withNamespace("orders").withGeneration(1L)
        .withUid("1a2b3c4d-0000-4000-8000-000000000000").build());
    reset.setSpec(spec);
    return reset;
  }
}
