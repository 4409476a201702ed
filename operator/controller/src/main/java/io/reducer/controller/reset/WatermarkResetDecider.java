package io.reducer.controller.reset;

import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.WatermarkResetSpec;
import io.reducer.api.v1alpha1.WatermarkResetStatus;
import io.reducer.api.v1alpha1.common.Approval;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.api.v1alpha1.reset.CompletedReset;
import io.reducer.api.v1alpha1.reset.RebuildStrategy;
import io.reducer.api.v1alpha1.reset.RepairProgress;
import io.reducer.api.v1alpha1.reset.ShadowProgress;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import io.reducer.controller.decision.Decision.Next;
import io.reducer.controller.decision.Decision;
import io.reducer.controller.events.EventReason;
import io.reducer.controller.events.PlannedEvent;
import io.reducer.controller.oneshot.PhaseHistory;
import io.reducer.controller.status.ConditionTypes;
import io.reducer.controller.status.KstatusConditions;
import io.reducer.controller.status.StatusWriter;
import io.reducer.controller.workload.JobOutcome;
import io.reducer.controller.workload.OwnedJobs;
import io.reducer.workloads.offsets.ResetOutcome;
import io.reducer.workloads.offsets.ResetResult;
import io.reducer.workloads.offsets.ShadowResult;
import io.reducer.workloads.repair.RepairResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides a WatermarkReset's next step from its status and what was observed; a plain function. The phase machine
 * is the one documented on {@link WatermarkResetPhase}. Every step is safe to repeat: the reconciler may crash
 * between acting and recording, and the same observation then leads to the same step.
 *
 * <p>Conditions: {@code Reconciling=True} while the reset runs (the reason says what it waits for),
 * {@code Ready=True} once Completed, {@code Stalled=True} with the failure's reason once Failed.
 *
 * <p>A reset of a pipeline's reducers ({@link ResetSubject#REDUCERS}) walks the same phases with the pipeline as its
 * target: the hold scales the reducers to zero, Quiescing also waits until the pipeline's reconciler has taken the
 * hold into account, the plan has no epoch, and in Resetting the operator itself moves the group's offsets
 * ({@link ResetEffect#MOVE_OFFSETS}) until it reads them back as planned. Moving them again is harmless, so a crash
 * at any point is repaired by the next look. No watermark is involved: the reducers' dedup log skips actions already
 * applied, so re-reading actions is safe (within the dedup TTL).
 *
 * <p>A repair from the canonical store ({@link CanonicalRepairs}) takes the hold and runs one Job while the
 * materializers keep running: Pending, AwaitingApproval (with approval Manual), Repairing until the Job ends,
 * Resuming to release the hold. The Job is found by its name after a restart and never started twice; started again
 * only when it is gone, which is safe because the repair writes only rows still behind.
 */
public final class WatermarkResetDecider {

  /** How often a waiting reset looks again: short, because a reset holds a projection at zero meanwhile. */
  static final Duration POLL = Duration.ofMillis(500);
  static final Duration SLOW_POLL = Duration.ofSeconds(5);
  /** How often a filling shadow's progress is read. */
  static final Duration FILL_POLL = Duration.ofSeconds(2);
  /** How long a Manual reset waits for approval when its spec does not say (spec.approvalTimeout). */
  static final Duration DEFAULT_APPROVAL_TIMEOUT = Duration.ofHours(1);

  /** Failed: a copy of a reset that completed before (same name and spec) was created again. */
  public static final String ALREADY_COMPLETED = "AlreadyCompleted";
  /** Failed: a Manual reset was not approved within spec.approvalTimeout. */
  public static final String APPROVAL_TIMED_OUT = "ApprovalTimedOut";
  /** Pending: another live reset holds the target. */
  public static final String WAITING_FOR_OTHER_RESET = "WaitingForOtherReset";
  /** Pending: this reset is writing its hold; it goes on once the target names it. */
  public static final String TAKING_HOLD = "TakingHold";
  /**
   * Failed: rebuildStrategy Shadow with a target other than earliest. The API server refuses such a spec (a CEL rule
   * of the CRD); this catches one that got past it (a CRD installed without the rule), which would otherwise be
   * rebuilt from the log start whatever its target says.
   */
  public static final String SHADOW_TARGET_UNSUPPORTED = "ShadowTargetUnsupported";

  private WatermarkResetDecider() {
  }

  /**
   * The reset's next step: at most one effect, the status to record after it, and whether to decide again at once
   * (the phase moved and nothing needs waiting for) or when to look again. Never changes {@code reset}.
   */
  public static Decision<WatermarkResetStatus, ResetEffect> decide(WatermarkReset reset, ResetObservation seen,
      Instant now) {
    WatermarkResetStatus status = reset.getStatus() == null ? new WatermarkResetStatus()
        : StatusWriter.copy(reset.getStatus(), WatermarkResetStatus.class);
    return new Deciding(reset, status, seen, now).decide();
  }

  /** What deleting a reset must still do before its finalizer goes; see {@link #cleanup}. */
  public enum Cleanup {
    /** Nothing of a shadow is left to remove (not a Shadow rebuild, not started, or completed). */
    DONE,
    /** A repair's Job may still run: delete it (each page is one transaction) and release the hold. */
    STOP_REPAIR,
    /** A cutover Job is running: it is one transaction; wait for its end rather than race it. */
    WAIT_FOR_CUTOVER,
    /** The cutover happened: remove the shadow Deployment and group, release the hold. */
    FINISH,
    /** Remove the shadow materializers and wait until their group is empty (before dropping their table). */
    STOP_MATERIALIZERS,
    /** Run the Job offsets shadow discard and wait for it. */
    DISCARD,
    /** The discard ended (or failed for good): delete the shadow group, release the hold. */
    DISCARDED
  }

  /**
   * A Shadow rebuild deleted before it completed discards its shadow: the live table and watermarks stay as they
   * are. The shadow materializers stop first, because a materializer creates its table when it is missing. A repair
   * deleted while Repairing stops its Job; the rows written so far stay (none was moved back).
   *
   * @param seen the cutover and discard Jobs ({@link ResetObservation#cutoverJob}, {@link ResetObservation#shadowJob}
   *     for the discard), the shadow group and Deployment
   */
  public static Cleanup cleanup(WatermarkReset reset, ResetObservation seen) {
    WatermarkResetStatus status = reset.getStatus();
    if (CanonicalRepairs.applies(reset)) {
      return status != null && status.getPhase() == WatermarkResetPhase.Repairing ? Cleanup.STOP_REPAIR
          : Cleanup.DONE;
    }
    if (!ShadowRebuilds.applies(reset) || status == null || status.getShadow() == null
        || status.getPhase() == WatermarkResetPhase.Completed) {
      return Cleanup.DONE;
    }
    JobOutcome cutover = seen.cutoverJob();
    if (cutover != null && cutover.state() == JobOutcome.State.RUNNING) {
      return Cleanup.WAIT_FOR_CUTOVER;
    }
    if (cutover != null && cutover.state() == JobOutcome.State.SUCCEEDED) {
      return Cleanup.FINISH;
    }
    if (seen.shadowReplicas() != null || seen.shadowGroup() == null || !seen.shadowGroup().quiet()) {
      return Cleanup.STOP_MATERIALIZERS;
    }
    JobOutcome discard = seen.shadowJob();
    if (discard == null || discard.state() == JobOutcome.State.RUNNING) {
      return Cleanup.DISCARD;
    }
    return Cleanup.DISCARDED;
  }

  /** The state of one decision. */
  private static final class Deciding {

    private final WatermarkReset reset;
    private final WatermarkResetSpec spec;
    private final ResetSubject subject;
    private final WatermarkResetStatus status;
    private final ResetObservation seen;
    private final Instant now;
    private final List<PlannedEvent> events = new ArrayList<>();

    Deciding(WatermarkReset reset, WatermarkResetStatus status, ResetObservation seen, Instant now) {
      this.reset = reset;
      this.spec = reset.getSpec();
      this.subject = ResetSubject.of(spec);
      this.status = status;
      this.seen = seen;
      this.now = now;
    }

    Decision<WatermarkResetStatus, ResetEffect> decide() {
      WatermarkResetPhase phase = status.getPhase();
      if (phase == null) {
        enter(WatermarkResetPhase.Pending, null);
        return done(null, Next.now());
      }
      switch (phase) {
        case Pending:
          return pending();
        case Quiescing:
          return quiescing();
        case Planned:
          return planned();
        case AwaitingApproval:
          return awaitingApproval();
        case Resetting:
          return resetting();
        case Repairing:
          return repairing();
        case Filling:
          return filling();
        case AwaitingCutoverApproval:
          return awaitingCutoverApproval();
        case CuttingOver:
          return cuttingOver();
        case Resuming:
          return resuming();
        default:
          return done(null, Next.onEvent());
      }
    }

    private Decision<WatermarkResetStatus, ResetEffect> pending() {
      if (seen.blockedReason() != null && !seen.targetFound()) {
        return waiting(seen.blockedReason(), seen.blockedMessage(), SLOW_POLL);
      }
      if (!seen.targetFound()) {
        return waiting(notFound(), subject.kind() + " " + targetName() + " does not exist; create it, or "
            + "delete this WatermarkReset and create one with the right " + subject.field(), SLOW_POLL);
      }
      if (seen.blockedReason() != null) {
        return waiting(seen.blockedReason(), seen.blockedMessage(), SLOW_POLL);
      }
      CompletedReset original = CompletedResets.copyOf(seen.completed(), reset);
      if (original != null) {
        return fail(ALREADY_COMPLETED, "WatermarkReset " + reset.getMetadata().getName() + " with this spec already "
            + "completed on " + held() + " at " + original.getCompletedAt() + " (uid " + original.getUid() + "); this "
            + "copy was created again (for example by a GitOps sync after the history limit deleted the original) "
            + "and is not run a second time. To run it again on purpose, " + (spec.isRunAgain()
                ? "create it under a new name (it already ran again with spec.runAgain: true)"
                : "delete this copy and create it with spec.runAgain: true, or under a new name"), null);
      }
      if (ShadowRebuilds.applies(spec) && !ShadowRebuilds.supportsTarget(spec)) {
        return fail(SHADOW_TARGET_UNSUPPORTED, "rebuildStrategy Shadow fills the shadow table from the log start, so "
            + "it supports only target type earliest; this reset asks for target type "
            + ShadowRebuilds.targetType(spec) + ". Nothing was changed. Delete it and create a reset with "
            + "rebuildStrategy InPlace for this target, or with target type earliest", seen.holding()
                ? ResetEffect.RELEASE : null);
      }
      if (seen.heldByOther() != null) {
        String message = "WatermarkReset " + seen.heldByOther() + " holds " + held()
            + "; this reset starts when that one has finished";
        if (!message.equals(status.getMessage())) {
          events.add(PlannedEvent.normal(EventReason.Waiting, message));
        }
        return waiting(WAITING_FOR_OTHER_RESET, message, Duration.ofSeconds(1));
      }
      if (!seen.holding()) {
        // One hold per target, by construction: only the reset the target names goes on; the write is checked
        // against the target's resourceVersion, so of two resets taking it at once one loses and waits here.
        status.setMessage("taking the hold on " + held());
        conditions(TAKING_HOLD);
        return finish(ResetEffect.HOLD, Next.now());
      }
      if (CanonicalRepairs.applies(spec)) {
        return acceptRepair();
      }
      if (ShadowRebuilds.applies(spec)) {
        status.setReplicasBeforeQuiesce(seen.replicas());
        // The hold keeps other resets off the projection; its materializers run on until the cutover.
        if (spec.getApproval() == Approval.Manual && !seen.approved()) {
          String message = "approve the shadow rebuild with: kubectl annotate watermarkreset "
              + reset.getMetadata().getName() + " -n " + reset.getMetadata().getNamespace() + " "
              + Approval.ANNOTATION + "=true (within " + approvalTimeoutText() + ", spec.approvalTimeout); the "
              + "projection keeps running meanwhile";
          enter(WatermarkResetPhase.AwaitingApproval, message);
          events.add(PlannedEvent.normal(EventReason.AwaitingApproval, message));
          return done(null, Next.after(minute(approvalTimeout())));
        }
        return startFilling();
      }
      status.setReplicasBeforeQuiesce(seen.replicas());
      String message = workers() + " held at 0 replicas; waiting for consumer group to empty";
      enter(WatermarkResetPhase.Quiescing, message);
      events.add(PlannedEvent.normal(EventReason.Quiescing, message));
      return done(ResetEffect.HOLD, Next.now());
    }

    private Decision<WatermarkResetStatus, ResetEffect> quiescing() {
      if (!seen.targetFound()) {
        return fail(notFound(), subject.kind() + " " + targetName() + " was deleted while quiescing", null);
      }
      if (!seen.holdApplied()) {
        return waiting("HoldPending", "waiting for the " + subject.kind() + " reconciler to scale " + workers()
            + " to 0", POLL, ResetEffect.HOLD);
      }
      if (seen.group() == null) {
        return waiting(seen.groupReason() == null ? "GroupUnknown" : seen.groupReason(),
            "cannot see whether the consumer group is empty: " + seen.groupMessage(), Duration.ofSeconds(2),
            ResetEffect.HOLD);
      }
      if (!seen.group().quiet()) {
        return waiting("GroupNotEmpty", membersMessage("waiting for"), POLL, ResetEffect.HOLD);
      }
      PlanAttempt attempt = seen.plan();
      if (attempt == null) {
        return done(ResetEffect.HOLD, Next.after(POLL));
      }
      if (attempt.refused()) {
        return fail(attempt.reason(), "the reset cannot be planned: " + attempt.message(), ResetEffect.RELEASE);
      }
      if (attempt.plan() == null) {
        return waiting(attempt.reason(), "cannot plan yet: " + attempt.message(), Duration.ofSeconds(2),
            ResetEffect.HOLD);
      }
      status.setPlan(attempt.plan());
      String summary = ResetPlans.summary(attempt.plan());
      enter(WatermarkResetPhase.Planned, summary);
      events.add(PlannedEvent.normal(EventReason.Planned, "plan: " + summary));
      return done(null, Next.now());
    }

    private Decision<WatermarkResetStatus, ResetEffect> planned() {
      if (spec.isDryRun()) {
        enter(WatermarkResetPhase.Resuming, "dry run: the plan is in status; nothing was changed");
        return done(ResetEffect.RELEASE, Next.now());
      }
      if (spec.getApproval() == Approval.Manual && !seen.approved()) {
        String message = "approve with: kubectl annotate watermarkreset " + reset.getMetadata().getName() + " -n "
            + reset.getMetadata().getNamespace() + " " + Approval.ANNOTATION + "=true";
        message += " (within " + approvalTimeoutText() + ", spec.approvalTimeout; then the reset fails and "
            + workers() + " run again)";
        enter(WatermarkResetPhase.AwaitingApproval, message);
        events.add(PlannedEvent.normal(EventReason.AwaitingApproval, "plan in status; " + message));
        return done(null, Next.after(minute(approvalTimeout())));
      }
      return startResetting();
    }

    private Decision<WatermarkResetStatus, ResetEffect> awaitingApproval() {
      if (!seen.targetFound()) {
        return fail(notFound(), subject.kind() + " " + targetName() + " was deleted before approval", null);
      }
      if (!seen.approved()) {
        Duration timeout = approvalTimeout();
        Instant since = PhaseHistory.entered(status.getHistory(), WatermarkResetPhase.AwaitingApproval.name());
        Instant deadline = (since == null ? now : since).plus(timeout);
        if (!now.isBefore(deadline)) {
          return fail(APPROVAL_TIMED_OUT, "not approved within spec.approvalTimeout " + approvalTimeoutText()
              + " (since " + deadline.minus(timeout) + "); nothing was changed and " + (keepsRunning()
                  ? "the projection kept running. " : workers() + " run again. ")
              + "Create a new WatermarkReset to plan again", ResetEffect.RELEASE);
        }
        Duration left = Duration.between(now, deadline);
        return done(null, Next.after(minute(left)));
      }
      if (CanonicalRepairs.applies(spec)) {
        return startRepairing();
      }
      return ShadowRebuilds.applies(spec) ? startFilling() : startResetting();
    }

    /** A Shadow rebuild (until its cutover) and a repair never hold the materializers at zero. */
    private boolean keepsRunning() {
      return ShadowRebuilds.applies(spec) || CanonicalRepairs.applies(spec);
    }

    // ---- Repair from the canonical store: the materializers keep running throughout.

    /** Holding the projection: record what is to be repaired, then wait for approval or start the Job. */
    private Decision<WatermarkResetStatus, ResetEffect> acceptRepair() {
      RepairProgress repair = new RepairProgress();
      repair.setTable(seen.table());
      repair.setStaleRowsBefore(seen.staleRows());
      status.setRepair(repair);
      if (spec.getApproval() == Approval.Manual && !seen.approved()) {
        String message = "to repair: " + CanonicalRepairs.what(spec, seen.table()) + " ("
            + (seen.staleRows() == null ? "stale rows not measured yet" : seen.staleRows() + " stale row(s) last "
                + "measured") + (spec.isDryRun() ? "; dry run: counts only" : "") + "). Approve with: kubectl "
            + "annotate watermarkreset " + reset.getMetadata().getName() + " -n " + reset.getMetadata().getNamespace()
            + " " + Approval.ANNOTATION + "=true (within " + approvalTimeoutText() + ", spec.approvalTimeout); the "
            + "projection keeps running meanwhile";
        enter(WatermarkResetPhase.AwaitingApproval, message);
        events.add(PlannedEvent.normal(EventReason.AwaitingApproval, message));
        return done(null, Next.after(minute(approvalTimeout())));
      }
      return startRepairing();
    }

    private Decision<WatermarkResetStatus, ResetEffect> startRepairing() {
      status.setJobName(RepairJob.name(reset));
      String message = "Job " + status.getJobName() + (spec.isDryRun() ? " counts, writing nothing, "
          : " rewrites from workflow_state ") + CanonicalRepairs.what(spec, status.getRepair().getTable())
          + " while the materializers keep running";
      enter(WatermarkResetPhase.Repairing, message);
      events.add(PlannedEvent.normal(EventReason.ResetStarted, message));
      return done(ResetEffect.START_REPAIR, Next.after(POLL));
    }

    private Decision<WatermarkResetStatus, ResetEffect> repairing() {
      if (!seen.targetFound()) {
        return fail(notFound(), subject.kind() + " " + targetName() + " was deleted while repairing", null);
      }
      if (seen.foreignJob() != null) {
        return waiting(OwnedJobs.NOT_OWNED, seen.foreignJob(), SLOW_POLL);
      }
      JobOutcome job = seen.job();
      if (job == null) {
        // Never created, or deleted by hand: running it (again) writes only what is still behind.
        return done(ResetEffect.START_REPAIR, Next.after(POLL));
      }
      RepairResult result = parsed(job.terminationMessage(), RepairResult::parse);
      String said = result != null ? result.message() : String.valueOf(job.terminationMessage());
      switch (job.state()) {
        case SUCCEEDED:
          if (result == null || result.result() != RepairResult.Outcome.Completed) {
            return fail("RepairNotApplied", "Job " + status.getJobName() + " ended without reporting a completed "
                + "repair: " + said, ResetEffect.RELEASE);
          }
          RepairProgress repair = status.getRepair();
          repair.setRowsExamined(result.examined());
          repair.setPages(result.pages());
          if (Boolean.TRUE.equals(result.dryRun())) {
            repair.setRowsToRepair(result.written());
            repair.setRowsRepaired(0L);
          } else {
            repair.setRowsRepaired(result.written());
          }
          enter(WatermarkResetPhase.Resuming, result.message());
          return done(ResetEffect.RELEASE, Next.now());
        case FAILED:
          boolean refused = result != null && result.result() == RepairResult.Outcome.Refused;
          return fail(refused ? "RepairRefused" : "RepairJobFailed", "Job " + status.getJobName() + " failed ("
              + job.reason() + "): " + said + (refused ? "" : "; the pages written before the failure stay (each "
                  + "is its own transaction, none moved a row back); create a new reset to repair the rest"),
              ResetEffect.RELEASE);
        default:
          return jobRunning(job, result == null ? null : result.message());
      }
    }

    private static Duration minute(Duration wait) {
      return wait.compareTo(Duration.ofMinutes(1)) < 0 ? wait : Duration.ofMinutes(1);
    }

    // ---- Shadow rebuild: the live projection keeps running until CuttingOver.

    private Decision<WatermarkResetStatus, ResetEffect> startFilling() {
      status.setShadow(ShadowRebuilds.names(reset, seen.table()));
      status.setJobName(ShadowJob.name(reset, ShadowJob.CREATE));
      String message = "Job " + status.getJobName() + " creates the shadow table " + status.getShadow().getTable()
          + "; then shadow materializers fill it from the log start while the projection keeps serving";
      enter(WatermarkResetPhase.Filling, message);
      events.add(PlannedEvent.normal(EventReason.ResetStarted, message));
      return done(ResetEffect.CREATE_SHADOW, Next.after(POLL));
    }

    private Decision<WatermarkResetStatus, ResetEffect> filling() {
      if (!seen.targetFound()) {
        return fail(notFound(), subject.kind() + " " + targetName() + " was deleted while the shadow was filling; "
            + "the shadow is discarded", ResetEffect.DISCARD_SHADOW);
      }
      JobOutcome job = seen.shadowJob();
      if (job == null || job.state() == JobOutcome.State.RUNNING) {
        if (job != null && job.podNotStarting() != null) {
          return podNotStarting(job.podNotStarting());
        }
        return waiting("CreatingShadow", "Job " + status.getJobName() + " creates the shadow table "
            + status.getShadow().getTable(), POLL, ResetEffect.CREATE_SHADOW);
      }
      if (job.state() == JobOutcome.State.FAILED) {
        return fail("ShadowCreateFailed", "Job " + status.getJobName() + " failed (" + job.reason() + "): "
            + shadowMessage(job) + "; the live projection is unchanged", ResetEffect.DISCARD_SHADOW);
      }
      ShadowRebuilds.Lag lag = progress();
      if (lag == null) {
        return waiting("ShadowProgressUnknown", "cannot read the shadow's progress: " + seen.shadowUnreadable(),
            Duration.ofSeconds(2), ResetEffect.RUN_SHADOW);
      }
      if (lag.lag() > ShadowRebuilds.CLOSE_LAG) {
        // Slower than POLL: nothing is held while the shadow fills, and each look writes the progress to status.
        return waiting("Filling", "shadow materializers fill " + status.getShadow().getTable() + ": " + lagText(lag),
            FILL_POLL, ResetEffect.RUN_SHADOW);
      }
      if (spec.getCutoverApproval() == Approval.Manual && !seen.cutoverApproved()) {
        String message = "the shadow " + status.getShadow().getTable() + " has caught up (" + lagText(lag) + ") and "
            + "keeps being materialized; compare it with the live table, then approve the cutover with: kubectl "
            + "annotate watermarkreset " + reset.getMetadata().getName() + " -n " + reset.getMetadata().getNamespace()
            + " " + RebuildStrategy.CUTOVER_ANNOTATION + "=true (or delete the reset to discard the shadow)";
        enter(WatermarkResetPhase.AwaitingCutoverApproval, message);
        events.add(PlannedEvent.normal(EventReason.AwaitingApproval, message));
        return done(ResetEffect.RUN_SHADOW, Next.after(Duration.ofSeconds(5)));
      }
      return startCuttingOver(lag);
    }

    private Decision<WatermarkResetStatus, ResetEffect> awaitingCutoverApproval() {
      if (!seen.targetFound()) {
        return fail(notFound(), subject.kind() + " " + targetName() + " was deleted before the cutover; the "
            + "shadow is discarded", ResetEffect.DISCARD_SHADOW);
      }
      ShadowRebuilds.Lag lag = progress();
      if (!seen.cutoverApproved() || lag == null) {
        return done(ResetEffect.RUN_SHADOW, Next.after(Duration.ofSeconds(5)));
      }
      return startCuttingOver(lag);
    }

    private Decision<WatermarkResetStatus, ResetEffect> startCuttingOver(ShadowRebuilds.Lag lag) {
      String message = "the shadow is " + lagText(lag) + "; holding " + workers() + " at 0 replicas so the shadow "
          + "reaches the live positions, then the tables are swapped";
      enter(WatermarkResetPhase.CuttingOver, message);
      events.add(PlannedEvent.normal(EventReason.Quiescing, message));
      return done(ResetEffect.RUN_SHADOW, Next.after(POLL));
    }

    /**
     * The live materializers are held (the projection reconciler sees this phase); each look finds how far the
     * cutover got: the shadow reaches the live positions, its materializers stop, the cutover Job swaps the tables.
     */
    private Decision<WatermarkResetStatus, ResetEffect> cuttingOver() {
      String cutoverJob = ShadowJob.name(reset, ShadowJob.CUTOVER);
      JobOutcome job = seen.shadowJob();
      if (job != null) {
        status.setJobName(cutoverJob);
        if (job.state() == JobOutcome.State.SUCCEEDED) {
          ShadowResult result = shadowResult(job.terminationMessage());
          String message = "cut over: " + (result == null ? "" : result.message());
          Long newEpoch = result == null ? null : result.newEpoch();
          if (newEpoch == null) {
            // No epoch in the Job's answer (its termination message lost or not a result): the Job succeeded, so the
            // swap is committed and the live watermarks carry the epoch in force.
            if (seen.liveWatermarks() == null) {
              return waiting("CutoverEpochUnknown", "Job " + cutoverJob + " succeeded" + (result == null
                  ? " without a readable result" : "") + "; reading the epoch in force from the live watermarks: "
                  + seen.shadowUnreadable(), Duration.ofSeconds(2));
            }
            newEpoch = ShadowRebuilds.epochInForce(seen.liveWatermarks());
            message = (result == null ? "cut over by Job " + cutoverJob + ", whose result is missing or unreadable"
                : message) + "; " + ShadowRebuilds.epochText(newEpoch) + " (read from the live watermarks)";
          }
          status.getShadow().setNewEpoch(newEpoch);
          status.setPlan(ShadowRebuilds.withCutoverEpoch(status.getPlan(), newEpoch));
          if (result != null) {
            status.getShadow().setPreviousTable(result.previousTable());
            if (result.result() != ShadowResult.Outcome.Unchanged) {
              status.getShadow().setLockMillis(result.lockMillis());
            } else if (job.failedPods() > 0) {
              // The pod that swapped failed before it could answer (its COMMIT went through); the retry found
              // nothing left to swap and reports the epoch in force. How long that swap held its locks is lost.
              message = "cut over by an earlier attempt of Job " + cutoverJob + " whose answer was lost ("
                  + job.failedPods() + " failed pod(s)); the retry found the swap done: " + result.message();
            }
          }
          enter(WatermarkResetPhase.Resuming, message);
          return done(ResetEffect.FINISH_SHADOW, Next.now());
        }
        if (job.state() == JobOutcome.State.FAILED) {
          return fail("CutoverFailed", "Job " + cutoverJob + " failed (" + job.reason() + "): " + shadowMessage(job)
              + "; nothing was swapped, the shadow is discarded and the live projection runs on",
              ResetEffect.DISCARD_SHADOW);
        }
        if (job.podNotStarting() != null) {
          return podNotStarting(job.podNotStarting());
        }
        return waiting("CuttingOver", "Job " + cutoverJob + " swaps the tables" + (job.failedPods() > 0
            ? " (attempt " + (job.failedPods() + 1) + "; the last one: " + shadowMessage(job) + ")" : ""), POLL);
      }
      if (!seen.targetFound()) {
        return fail(notFound(), subject.kind() + " " + targetName() + " was deleted before the cutover; the "
            + "shadow is discarded", ResetEffect.DISCARD_SHADOW);
      }
      if (Boolean.FALSE.equals(seen.shadowTableExists()) && seen.shadowWatermarks() != null
          && seen.shadowWatermarks().isEmpty()) {
        // The create Job made the table before Filling ended, so with no cutover Job nothing of the shadow is left
        // only because a cutover Job swapped it in and was deleted (by hand) before this reset saw it end, or the
        // rebuild was discarded by hand. Never start the shadow materializers again: they would create an empty
        // table of the default definition and fill it, to be swapped in. Run the cutover again: it finds nothing to
        // swap and reports the epoch in force.
        status.setJobName(cutoverJob);
        return waiting("CuttingOver", "no shadow table and no shadow watermarks are left and no Job " + cutoverJob
            + " exists (an earlier one swapped them in and was deleted); running it again to read the epoch in "
            + "force", POLL, ResetEffect.CUTOVER);
      }
      // While the group or the progress cannot be read, the shadow materializers are left as they are: running
      // while the shadow catches up, stopped once it had (starting them again would only refill and stop them).
      if (seen.group() == null) {
        return waiting(seen.groupReason() == null ? "GroupUnknown" : seen.groupReason(),
            "cannot see whether the live consumer group is empty: " + seen.groupMessage(), Duration.ofSeconds(2));
      }
      if (!seen.group().quiet()) {
        return waiting("GroupNotEmpty", membersMessage("waiting for"), POLL, ResetEffect.RUN_SHADOW);
      }
      ShadowRebuilds.Lag lag = progress();
      if (lag == null) {
        return waiting("ShadowProgressUnknown", "cannot read the shadow's progress: " + seen.shadowUnreadable(),
            Duration.ofSeconds(2));
      }
      if (!lag.caughtUp()) {
        return waiting("ShadowBehind", "the live materializers are stopped; the shadow reaches their positions: "
            + lagText(lag), POLL, ResetEffect.RUN_SHADOW);
      }
      boolean shadowStopped = (seen.shadowReplicas() == null || seen.shadowReplicas() == 0)
          && seen.shadowGroup() != null && seen.shadowGroup().quiet();
      if (!shadowStopped) {
        return waiting("StoppingShadow", "the shadow has reached the live positions on every partition; stopping the "
            + "shadow materializers", POLL, ResetEffect.STOP_SHADOW);
      }
      status.setJobName(cutoverJob);
      return waiting("CuttingOver", "Job " + cutoverJob + " swaps " + status.getShadow().getTable() + " in", POLL,
          ResetEffect.CUTOVER);
    }

    /** Reads the lag into status.shadow; null when the watermarks could not be read. */
    private ShadowRebuilds.Lag progress() {
      if (seen.liveWatermarks() == null || seen.shadowWatermarks() == null) {
        return null;
      }
      ShadowRebuilds.Lag lag = ShadowRebuilds.lag(seen.liveWatermarks(), seen.shadowWatermarks());
      ShadowProgress shadow = status.getShadow();
      shadow.setLiveOffsets(lag.liveOffsets());
      shadow.setShadowOffsets(lag.shadowOffsets());
      shadow.setLag(lag.lag());
      shadow.setPartitionsBehind(lag.partitionsBehind());
      Instant since = PhaseHistory.entered(status.getHistory(), WatermarkResetPhase.Filling.name());
      shadow.setSecondsToCatchUp(ShadowRebuilds.secondsToCatchUp(lag,
          since == null ? 0 : Duration.between(since, now).toSeconds()));
      return lag;
    }

    private static String lagText(ShadowRebuilds.Lag lag) {
      return lag.lag() + " record(s) behind the live projection on " + lag.partitionsBehind() + " partition(s)";
    }

    private static String shadowMessage(JobOutcome job) {
      ShadowResult result = shadowResult(job.terminationMessage());
      return result != null ? result.message() : String.valueOf(job.terminationMessage());
    }

    private static ShadowResult shadowResult(String terminationMessage) {
      return parsed(terminationMessage, ShadowResult::parse);
    }

    private String approvalTimeoutText() {
      String text = spec.getApprovalTimeout();
      return text == null || text.isBlank() ? DEFAULT_APPROVAL_TIMEOUT.toString() : text;
    }

    private Duration approvalTimeout() {
      String text = spec.getApprovalTimeout();
      if (text == null || text.isBlank()) {
        return DEFAULT_APPROVAL_TIMEOUT;
      }
      try {
        return Duration.parse(text);
      } catch (java.time.format.DateTimeParseException e) {
        // The CRD admits only ISO-8601 durations; anything else is taken for the default.
        return DEFAULT_APPROVAL_TIMEOUT;
      }
    }

    private Decision<WatermarkResetStatus, ResetEffect> startResetting() {
      if (subject == ResetSubject.REDUCERS) {
        enter(WatermarkResetPhase.Resetting, "the operator moves the offsets of consumer group "
            + status.getPlan().getConsumerGroup() + " on " + status.getPlan().getTopic() + " to the plan (no "
            + "watermark, no epoch: the reducers' dedup log skips actions already applied)");
        events.add(PlannedEvent.normal(EventReason.ResetStarted, "the operator applies the plan: "
            + ResetPlans.summary(status.getPlan())));
        return done(ResetEffect.MOVE_OFFSETS, Next.now());
      }
      status.setJobName(ResetJob.name(reset));
      enter(WatermarkResetPhase.Resetting, "Job " + status.getJobName() + " writes the watermarks and epoch "
          + status.getPlan().getNewEpoch() + ", then moves the group's offsets");
      events.add(PlannedEvent.normal(EventReason.ResetStarted, "Job " + status.getJobName() + " applies the plan: "
          + ResetPlans.summary(status.getPlan())));
      return done(ResetEffect.START_JOB, Next.after(POLL));
    }

    private Decision<WatermarkResetStatus, ResetEffect> resetting() {
      if (subject == ResetSubject.REDUCERS) {
        return movingOffsets();
      }
      if (seen.foreignJob() != null) {
        // Never adopted: it may be a deleted reset's of the same name, running another plan.
        return waiting(OwnedJobs.NOT_OWNED, seen.foreignJob(), SLOW_POLL);
      }
      JobOutcome job = seen.job();
      if (job == null) {
        // Created before and gone (deleted by hand), or never created: the explicit plan makes a new run safe.
        return done(ResetEffect.START_JOB, Next.after(POLL));
      }
      ResetResult result = result(job.terminationMessage());
      switch (job.state()) {
        case SUCCEEDED:
          if (result == null || result.result() != ResetOutcome.Completed) {
            return fail("ResetNotApplied", "Job " + status.getJobName() + " ended without reporting a completed reset"
                + (result == null ? "" : ": " + result.message()), ResetEffect.RELEASE);
          }
          String applied = result.message();
          if (seen.appliedUnreadable() != null) {
            return waiting("ResultUnreadable", "Job " + status.getJobName() + " reports a completed reset; reading "
                + "the watermarks and group offsets it wrote, to check every planned partition, failed: "
                + seen.appliedUnreadable() + "; trying again", POLL);
          }
          if (seen.watermarks() != null) {
            List<String> missing = ResetPlans.notApplied(status.getPlan(), seen.watermarks(), seen.committed());
            if (!missing.isEmpty()) {
              return fail("ResetNotApplied", "Job " + status.getJobName() + " reports a completed reset, but "
                  + missing.size() + " of " + status.getPlan().getPartitions().size() + " planned partitions do not "
                  + "show it: " + String.join("; ", missing.subList(0, Math.min(10, missing.size())))
                  + (missing.size() > 10 ? "; ..." : ""), ResetEffect.RELEASE);
            }
            applied = applied + "; checked all " + status.getPlan().getPartitions().size() + " planned partitions: "
                + "watermarks at epoch " + status.getPlan().getNewEpoch() + " and the group's committed offsets";
          }
          enter(WatermarkResetPhase.Resuming, applied);
          return done(ResetEffect.RELEASE, Next.now());
        case FAILED:
          return fail("ResetJobFailed", "Job " + status.getJobName() + " failed (" + job.reason() + "): "
              + (result != null ? result.message() : String.valueOf(job.terminationMessage())),
              ResetEffect.RELEASE);
        default:
          return jobRunning(job, result == null ? null : result.message());
      }
    }

    /** A reset's or repair's Job still running: wait, saying why when its pod cannot start or an attempt failed. */
    private Decision<WatermarkResetStatus, ResetEffect> jobRunning(JobOutcome job, String lastFailure) {
      if (job.podNotStarting() != null) {
        return podNotStarting(job.podNotStarting());
      }
      if (job.failedPods() > 0 && lastFailure != null) {
        status.setMessage(PhaseHistory.cap("attempt " + (job.failedPods() + 1) + "; the last one failed: "
            + lastFailure));
      }
      return done(null, Next.after(POLL));
    }

    /**
     * Reducers: the group's offsets are moved until they read back as planned. A member that joined meanwhile (a
     * consumer started by hand: the reducers are held) is waited out, never moved under; a failed move is retried.
     */
    private Decision<WatermarkResetStatus, ResetEffect> movingOffsets() {
      if (!seen.targetFound()) {
        return fail(notFound(), subject.kind() + " " + targetName() + " was deleted while resetting", null);
      }
      if (seen.group() == null) {
        return waiting(seen.groupReason() == null ? "GroupUnknown" : seen.groupReason(),
            "cannot see whether the consumer group is still empty: " + seen.groupMessage(), Duration.ofSeconds(2));
      }
      if (!seen.group().quiet()) {
        return waiting("GroupNotEmpty", membersMessage("the offsets move once the group is empty again; waiting for"),
            POLL);
      }
      if (seen.committed() != null && ResetPlans.applied(status.getPlan(), seen.committed())) {
        String message = "moved the offsets of consumer group " + status.getPlan().getConsumerGroup() + ": "
            + ResetPlans.summary(status.getPlan());
        enter(WatermarkResetPhase.Resuming, message);
        return done(ResetEffect.RELEASE, Next.now());
      }
      if (seen.moveReason() != null) {
        return waiting(seen.moveReason(), "moving the group's offsets failed, trying again: " + seen.moveMessage(),
            Duration.ofSeconds(2));
      }
      return done(ResetEffect.MOVE_OFFSETS, Next.now());
    }

    private String membersMessage(String prefix) {
      return prefix + " " + seen.group().members().size() + " member(s) of consumer group " + seen.group().group()
          + " (state " + seen.group().state() + ") to leave: " + String.join("; ", seen.group().members());
    }

    /**
     * The Job's pod waits for something only a user can change (an image, a Secret, a node): the reset stays in
     * Resetting, Stalled with the pod's reason and one warning Event per episode, the projection still held; it goes
     * on once the pod starts.
     */
    private Decision<WatermarkResetStatus, ResetEffect> podNotStarting(String problem) {
      String message = "Job " + status.getJobName() + " cannot start its " + problem + "; the reset waits, with "
          + (keepsRunning() ? "the projection running" : "the projection paused") + ", until the pod starts (fix "
          + "what Kubernetes names, e.g. the image or a Secret)";
      boolean already = status.getConditions().stream().anyMatch(c -> ConditionTypes.STALLED.equals(c.getType())
          && c.getStatus() == ConditionStatus.True && JobOutcome.POD_NOT_STARTING.equals(c.getReason()));
      if (!already) {
        events.add(PlannedEvent.warning(EventReason.JobPodNotStarting, message));
      }
      Decision<WatermarkResetStatus, ResetEffect> step = waiting(JobOutcome.POD_NOT_STARTING, message, POLL);
      KstatusConditions.on(status.getConditions(), generation(), now).stalled(JobOutcome.POD_NOT_STARTING,
          status.getMessage());
      return step;
    }

    private Decision<WatermarkResetStatus, ResetEffect> resuming() {
      boolean shadow = ShadowRebuilds.applies(spec);
      if (seen.targetFound() && !seen.released()) {
        return done(shadow ? ResetEffect.FINISH_SHADOW : ResetEffect.RELEASE, Next.after(POLL));
      }
      String message;
      if (CanonicalRepairs.applies(spec)) {
        RepairProgress repair = status.getRepair();
        message = spec.isDryRun() ? "dry run: " + repair.getRowsToRepair() + " of " + repair.getRowsExamined()
            + " canonical row(s) examined would be written to " + repair.getTable() + "; nothing was written"
            : "repaired " + repair.getRowsRepaired() + " of " + repair.getRowsExamined() + " canonical row(s) examined "
                + "in " + repair.getTable() + " from workflow_state, the materializers running throughout";
      } else if (shadow) {
        message = "cut over to the rebuilt table; " + ShadowRebuilds.epochText(status.getShadow().getNewEpoch())
            + " and the projection runs on the new table" + (status.getShadow().getPreviousTable() == null ? ""
                : "; the old table is kept as " + status.getShadow().getPreviousTable());
      } else if (subject == ResetSubject.REDUCERS) {
        message = spec.isDryRun() ? "dry run finished; the reducers run again"
            : "the reducers run again from the new offsets of consumer group " + status.getPlan().getConsumerGroup();
      } else {
        message = spec.isDryRun() ? "dry run finished; the projection runs again"
            : "epoch " + status.getPlan().getNewEpoch() + " in force; the projection runs again from the new positions";
      }
      enter(WatermarkResetPhase.Completed, message);
      events.add(PlannedEvent.normal(EventReason.ResetCompleted, message));
      // Remembered by the target before Completed is recorded, so a copy created later is refused.
      return done(seen.targetFound() ? ResetEffect.REMEMBER : null, Next.onEvent());
    }

    private static ResetResult result(String terminationMessage) {
      return parsed(terminationMessage, ResetResult::parse);
    }

    /** A Job's result JSON, or null when its termination message is something else (a crash's last words). */
    private static <T> T parsed(String terminationMessage, java.util.function.Function<String, T> parse) {
      if (terminationMessage == null || !terminationMessage.trim().startsWith("{")) {
        return null;
      }
      try {
        return parse.apply(terminationMessage);
      } catch (RuntimeException e) {
        return null;
      }
    }

    private Decision<WatermarkResetStatus, ResetEffect> waiting(String reason, String message, Duration requeue) {
      return waiting(reason, message, requeue, null);
    }

    /** Stays in the phase, saying what it waits for; {@code effect} (null for none) keeps the world as it is. */
    private Decision<WatermarkResetStatus, ResetEffect> waiting(String reason, String message, Duration requeue,
        ResetEffect effect) {
      status.setMessage(PhaseHistory.cap(message));
      conditions(reason);
      return finish(effect, Next.after(requeue));
    }

    /** Failed is final; a held projection is released in the same step, before Failed is recorded. */
    private Decision<WatermarkResetStatus, ResetEffect> fail(String reason, String message, ResetEffect effect) {
      enter(WatermarkResetPhase.Failed, message);
      conditions(reason);
      KstatusConditions.on(status.getConditions(), generation(), now).stalled(reason, status.getMessage());
      events.add(PlannedEvent.warning(EventReason.ResetFailed, message));
      return finish(effect, Next.onEvent());
    }

    private void enter(WatermarkResetPhase phase, String message) {
      WatermarkResetPhase from = status.getPhase();
      if (from != null && from != phase && !from.canMoveTo(phase)) {
        throw new IllegalStateException("a reset cannot move from " + from + " to " + phase);
      }
      status.setPhase(phase);
      status.setMessage(PhaseHistory.cap(message));
      PhaseHistory.enter(status.getHistory(), phase.name(), now, message);
    }

    private Decision<WatermarkResetStatus, ResetEffect> done(ResetEffect effect, Next next) {
      conditions(status.getPhase().name());
      return finish(effect, next);
    }

    /** The decision; a null {@code effect} is none. */
    private Decision<WatermarkResetStatus, ResetEffect> finish(ResetEffect effect, Next next) {
      status.setObservedGeneration(generation());
      return new Decision<>(status, effect == null ? List.of() : List.of(effect), events, next);
    }

    private void conditions(String reason) {
      WatermarkResetPhase phase = status.getPhase();
      KstatusConditions kstatus = KstatusConditions.on(status.getConditions(), generation(), now);
      if (phase == WatermarkResetPhase.Completed) {
        kstatus.notReconciling().ready(ConditionStatus.True, "Completed", status.getMessage());
      } else if (phase == WatermarkResetPhase.Failed) {
        kstatus.notReconciling().ready(ConditionStatus.False, "Failed", status.getMessage());
      } else {
        // Stalled belongs to a wait that a user must end (see podNotStarting), set after this; any step clears it.
        kstatus.notStalled().reconciling(reason, status.getMessage())
            .ready(ConditionStatus.False, phase.name(), status.getMessage());
      }
    }

    /** NAMESPACE/NAME of the target. */
    private String targetName() {
      return reset.getMetadata().getNamespace() + "/" + ResetSubject.targetName(reset);
    }

    /** What the hold stops, e.g. "projection orders/view" or "the reducers of pipeline orders/main". */
    private String held() {
      return subject == ResetSubject.REDUCERS ? "the reducers of pipeline " + targetName()
          : "projection " + targetName();
    }

    private String workers() {
      return subject == ResetSubject.REDUCERS ? "reducers of pipeline " + targetName()
          : "materializers of " + targetName();
    }

    private String notFound() {
      return subject == ResetSubject.REDUCERS ? "PipelineNotFound" : "ProjectionNotFound";
    }

    private long generation() {
      return reset.getMetadata().getGeneration() == null ? 0 : reset.getMetadata().getGeneration();
    }
  }
}
