package io.reducer.controller.reset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.WatermarkResetSpec;
import io.reducer.api.v1alpha1.common.Approval;
import io.reducer.api.v1alpha1.common.LocalReference;
import io.reducer.api.v1alpha1.reset.CanonicalRepairSpec;
import io.reducer.api.v1alpha1.reset.RebuildSource;
import io.reducer.api.v1alpha1.reset.RepairScope;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import io.reducer.controller.reset.WatermarkResetDecider.Cleanup;
import io.reducer.controller.workload.JobOutcome;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A repair from the canonical store (rebuildSource Canonical): one Job while the materializers keep running, one
 * reset per projection at a time, the counts in status, a typed reason when it fails.
 */
class CanonicalRepairDeciderTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final JobOutcome RUNNING = new JobOutcome(JobOutcome.State.RUNNING, null, null, 0);
  private static final JobOutcome REPAIRED = new JobOutcome(JobOutcome.State.SUCCEEDED, null,
      "{\"result\":\"Completed\",\"table\":\"public.p_view\",\"scope\":\"stale\",\"examined\":120,\"written\":118,"
          + "\"pages\":1,\"message\":\"wrote 118 of 120 canonical row(s) behind in public.p_view in 1 page(s)\"}", 0);

  @Test
  void anAutomaticRepairStartsItsJobWithoutHoldingTheMaterializers() {
    WatermarkReset reset = pending(repair(Approval.Automatic));
    var decision = WatermarkResetDecider.decide(reset, seen().holding(true).staleRows(120L), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Repairing);
    assertThat(decision.effect()).isEqualTo(ResetEffect.START_REPAIR);
    assertThat(decision.status().getJobName()).isEqualTo("r1-repair");
    assertThat(decision.status().getRepair().getStaleRowsBefore()).isEqualTo(120);
    assertThat(decision.status().getRepair().getTable()).isEqualTo("p_view");
    assertThat(decision.status().getPlan()).as("no positions are planned").isNull();
    assertThat(decision.status().getMessage()).contains("the stale rows of table p_view", "keep running");
    for (WatermarkResetPhase phase : WatermarkResetPhase.values()) {
      decision.status().setPhase(phase);
      reset.setStatus(decision.status());
      assertThat(ShadowRebuilds.quiesces(reset)).as("held at zero in %s", phase).isFalse();
    }
  }

  @Test
  void aRepairWaitsBehindAnotherResetOfTheProjection() {
    WatermarkReset reset = pending(repair(Approval.Automatic));
    var decision = WatermarkResetDecider.decide(reset, seen().heldBy("rebuild-1"), NOW);

    assertThat(decision.status().getPhase()).isEqualTo(WatermarkResetPhase.Pending);
    assertThat(decision.effects()).isEmpty();
    assertThat(decision.status().getMessage()).contains("WatermarkReset rebuild-1 holds projection orders/p");
    assertThat(decision.status().condition("Reconciling").orElseThrow().getReason())
        .isEqualTo(WatermarkResetDecider.WAITING_FOR_OTHER_RESET);
  }

  @Test
  void aManualRepairShowsWhatItWillRepairAndWaitsForApprovalThenRuns() {
    WatermarkResetSpec spec = repair(Approval.Manual);
    spec.setRepair(new CanonicalRepairSpec());
    spec.getRepair().setScope(RepairScope.All);
    spec.getRepair().setWorkflowKey("o-7");
    WatermarkReset reset = pending(spec);
    var waiting = WatermarkResetDecider.decide(reset, seen().holding(true).staleRows(3L), NOW);

    assertThat(waiting.status().getPhase()).isEqualTo(WatermarkResetPhase.AwaitingApproval);
    assertThat(waiting.effects()).isEmpty();
    assertThat(waiting.status().getRepair().getStaleRowsBefore()).isEqualTo(3);
    assertThat(waiting.status().getMessage()).contains("workflow key o-7 in table p_view", "3 stale row(s)",
        "reducer.io/approve=true", "keeps running");

    reset.setStatus(waiting.status());
    var unapproved = WatermarkResetDecider.decide(reset, seen(), NOW.plusSeconds(10));
    assertThat(unapproved.status().getPhase()).isEqualTo(WatermarkResetPhase.AwaitingApproval);
    var approved = WatermarkResetDecider.decide(reset, seen().approved(true), NOW.plusSeconds(10));
    assertThat(approved.status().getPhase()).isEqualTo(WatermarkResetPhase.Repairing);
    assertThat(approved.effect()).isEqualTo(ResetEffect.START_REPAIR);
  }

  @Test
  void aRepairNotApprovedInTimeFailsAndSaysTheProjectionKeptRunning() {
    WatermarkReset reset = pending(repair(Approval.Manual));
    reset.setStatus(WatermarkResetDecider.decide(reset, seen().holding(true), NOW).status());
    var late = WatermarkResetDecider.decide(reset, seen(), NOW.plus(Duration.ofHours(1)));

    assertThat(late.status().getPhase()).isEqualTo(WatermarkResetPhase.Failed);
    assertThat(late.effect()).isEqualTo(ResetEffect.RELEASE);
    assertThat(late.status().getMessage()).contains("the projection kept running").doesNotContain("run again");
  }

  @Test
  void repairingAdoptsItsJobStartsItOnlyWhenGoneAndRecordsTheCounts() {
    WatermarkReset reset = repairing(repair(Approval.Automatic));

    var running = WatermarkResetDecider.decide(reset, seen().job(RUNNING), NOW);
    assertThat(running.status().getPhase()).isEqualTo(WatermarkResetPhase.Repairing);
    assertThat(running.effects()).as("a running Job is waited for, never started again").isEmpty();

    var gone = WatermarkResetDecider.decide(reset, seen(), NOW);
    assertThat(gone.effect()).isEqualTo(ResetEffect.START_REPAIR);

    var foreign = WatermarkResetDecider.decide(reset, seen().foreignJob("Job r1-repair belongs to another"), NOW);
    assertThat(foreign.effects()).isEmpty();
    assertThat(foreign.status().getPhase()).isEqualTo(WatermarkResetPhase.Repairing);

    var done = WatermarkResetDecider.decide(reset, seen().job(REPAIRED), NOW);
    assertThat(done.status().getPhase()).isEqualTo(WatermarkResetPhase.Resuming);
    assertThat(done.effect()).isEqualTo(ResetEffect.RELEASE);
    assertThat(done.status().getRepair().getRowsExamined()).isEqualTo(120);
    assertThat(done.status().getRepair().getRowsRepaired()).isEqualTo(118);
    assertThat(done.status().getRepair().getPages()).isEqualTo(1);

    reset.setStatus(done.status());
    var releasing = WatermarkResetDecider.decide(reset, seen().released(false), NOW);
    assertThat(releasing.status().getPhase()).isEqualTo(WatermarkResetPhase.Resuming);
    assertThat(releasing.effect()).isEqualTo(ResetEffect.RELEASE);
    var completed = WatermarkResetDecider.decide(reset, seen().released(true), NOW);
    assertThat(completed.status().getPhase()).isEqualTo(WatermarkResetPhase.Completed);
    assertThat(completed.effect()).isEqualTo(ResetEffect.REMEMBER);
    assertThat(completed.status().getMessage()).contains("repaired 118 of 120 canonical row(s)", "p_view");
  }

  @Test
  void aDryRunRecordsWhatItWouldRepairAndThatNothingWasRepaired() {
    WatermarkResetSpec spec = repair(Approval.Automatic);
    spec.setDryRun(true);
    WatermarkReset reset = repairing(spec);
    var done = WatermarkResetDecider.decide(reset, seen().job(new JobOutcome(JobOutcome.State.SUCCEEDED, null,
        "{\"result\":\"Completed\",\"examined\":120,\"written\":118,\"pages\":1,\"dryRun\":true,"
            + "\"message\":\"dry run, nothing written: would write 118 of 120\"}", 0)), NOW);

    assertThat(done.status().getRepair().getRowsToRepair()).isEqualTo(118);
    assertThat(done.status().getRepair().getRowsRepaired()).isZero();
    reset.setStatus(done.status());
    var completed = WatermarkResetDecider.decide(reset, seen().released(true), NOW);
    assertThat(completed.status().getMessage()).contains("dry run", "118 of 120", "nothing was written");
  }

  @Test
  void aFailedOrRefusedJobFailsTheRepairWithItsReasonAndReleasesTheProjection() {
    WatermarkReset reset = repairing(repair(Approval.Automatic));
    var failed = WatermarkResetDecider.decide(reset, seen().job(new JobOutcome(JobOutcome.State.FAILED,
        "BackoffLimitExceeded", "{\"result\":\"Failed\",\"message\":\"failed: connection refused\"}", 3)), NOW);
    assertThat(failed.status().getPhase()).isEqualTo(WatermarkResetPhase.Failed);
    assertThat(failed.effect()).isEqualTo(ResetEffect.RELEASE);
    assertThat(failed.status().condition("Stalled").orElseThrow().getReason()).isEqualTo("RepairJobFailed");
    assertThat(failed.status().getMessage()).contains("connection refused", "pages written before the failure stay");

    var refused = WatermarkResetDecider.decide(reset, seen().job(new JobOutcome(JobOutcome.State.FAILED,
        "BackoffLimitExceeded", "{\"result\":\"Refused\",\"message\":\"no table public.p_view\"}", 3)), NOW);
    assertThat(refused.status().condition("Stalled").orElseThrow().getReason()).isEqualTo("RepairRefused");
    assertThat(refused.status().getMessage()).contains("no table public.p_view");

    var odd = WatermarkResetDecider.decide(reset, seen().job(new JobOutcome(JobOutcome.State.SUCCEEDED, null,
        "killed", 0)), NOW);
    assertThat(odd.status().condition("Stalled").orElseThrow().getReason()).isEqualTo("RepairNotApplied");
  }

  @Test
  void deletingARepairStopsItsJobOnlyWhileRepairing() {
    WatermarkReset reset = repairing(repair(Approval.Automatic));
    assertThat(WatermarkResetDecider.cleanup(reset, seen())).isEqualTo(Cleanup.STOP_REPAIR);
    assertThat(WatermarkResetDecider.cleanup(pending(repair(Approval.Manual)), seen())).isEqualTo(Cleanup.DONE);
  }

  private static ResetObservation seen() {
    return new ResetObservation().table("p_view");
  }

  private static WatermarkReset repairing(WatermarkResetSpec spec) {
    WatermarkReset reset = pending(spec);
    reset.setStatus(WatermarkResetDecider.decide(reset, seen().holding(true).staleRows(120L), NOW).status());
    assertThat(reset.getStatus().getPhase()).isEqualTo(WatermarkResetPhase.Repairing);
    return reset;
  }

  private static WatermarkReset pending(WatermarkResetSpec spec) {
    WatermarkReset reset = new WatermarkReset();
    reset.setMetadata(new ObjectMetaBuilder().withName("r1").withNamespace("orders").withGeneration(1L)
        .withUid("1a2b3c4d-0000-4000-8000-000000000000").build());
    reset.setSpec(spec);
    reset.setStatus(WatermarkResetDecider.decide(reset, seen(), NOW.minusSeconds(90)).status());
    assertThat(reset.getStatus().getPhase()).isEqualTo(WatermarkResetPhase.Pending);
    return reset;
  }

  private static WatermarkResetSpec repair(Approval approval) {
    WatermarkResetSpec spec = new WatermarkResetSpec();
    spec.setProjectionRef(new LocalReference("p"));
    spec.setRebuildSource(RebuildSource.Canonical);
    spec.setApproval(approval);
    return spec;
  }
}
