package io.reducer.controller.dlq;

import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.DlqReplayStatus;
import io.reducer.api.v1alpha1.common.Approval;
import io.reducer.api.v1alpha1.dlq.DlqPreview;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import io.reducer.api.v1alpha1.dlq.PartitionRange;
import io.reducer.api.v1alpha1.dlq.ReplayProgress;
import io.reducer.api.v1alpha1.dlq.ReplayedRange;
import io.reducer.controller.dlq.DlqReplayPlan.JobToStart;
import io.reducer.controller.events.EventReason;
import io.reducer.controller.events.PlannedEvent;
import io.reducer.controller.oneshot.Approvals;
import io.reducer.controller.oneshot.PhaseHistory;
import io.reducer.controller.status.StatusWriter;
import io.reducer.controller.workload.JobOutcome;
import io.reducer.workloads.dlq.DlqInspectResult;
import io.reducer.workloads.dlq.DlqReplayResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides a DlqReplay's next step from what was observed, following the phase machine of {@link DlqReplayPhase}.
 * A plain function: no cluster or broker, so every transition is unit-tested.
 *
 * <ul>
 *   <li>Pending: start the inspect Job (snapshot and preview) and enter Previewing. A reference to another
 *       namespace fails the replay (the spec is immutable); a missing pipeline or projection keeps it Pending and
 *       Stalled until it exists.</li>
 *   <li>Previewing: when the inspect Job succeeded, record snapshot and preview, then: nothing matched or
 *       previewOnly: Succeeded; Automatic or already approved: Replaying; else AwaitingApproval. A failed Job:
 *       Failed.</li>
 *   <li>AwaitingApproval: the annotation reducer.io/approve: "true" starts the replay Job.</li>
 *   <li>Replaying: progress from the replay's committed checkpoints while the Job runs; its result at the end:
 *       Succeeded or Failed.</li>
 * </ul>
 *
 * Restarts: Job names are fixed per replay and creating an existing Job is a no-op, so repeating any decision after
 * a crash between two API calls converges. A Job missing in Previewing or Replaying (deleted by someone) is created
 * again under the same name: the preview only reads, and the replay resumes after its last committed transaction.
 * The annotation reducer.io/cancel: "true" deletes the Jobs and ends in Cancelled.
 */
public final class DlqReplayPlanner {

  /** How often a running Job is looked at (its informer events also trigger a look). */
  static final Duration JOB_POLL = Duration.ofSeconds(2);
  /** How often a waiting replay looks again, besides the pipeline and projection events that trigger it. */
  static final Duration WAIT_POLL = Duration.ofSeconds(60);

  private DlqReplayPlanner() {
  }

  public static DlqReplayPlan plan(DlqReplay replay, DlqReplayObservation observed, Instant now) {
    Decision decision = new Decision(replay, now);
    DlqReplayPhase phase = decision.status.getPhase();
    if (phase == null) {
      decision.enter(DlqReplayPhase.Pending, "Accepted");
      phase = DlqReplayPhase.Pending;
    }
    if (phase.isTerminal()) {
      return decision.plan(null);
    }
    if (Cancellation.requested(replay)) {
      return cancel(decision, observed, phase);
    }
    switch (phase) {
      case Pending:
        return observed.refusal() != null ? refuse(decision, observed.refusal()) : startPreview(decision, false);
      case Previewing:
        return previewing(decision, observed);
      case AwaitingApproval:
        return Approvals.approved(replay)
            ? startReplay(decision, observed, "approved with the annotation " + Approval.ANNOTATION)
            : decision.working(DlqReplayPhase.AwaitingApproval.name(), decision.status.getMessage(), null);
      default:
        return replaying(decision, observed);
    }
  }

  private static DlqReplayPlan previewing(Decision decision, DlqReplayObservation observed) {
    JobOutcome job = observed.inspectJob();
    if (job == null) {
      return observed.refusal() != null ? refuse(decision, observed.refusal()) : startPreview(decision, true);
    }
    String name = DlqJobs.inspectJobName(decision.replay);
    switch (job.state()) {
      case RUNNING: {
        if (job.podNotStarting() != null) {
          return podNotStarting(decision, name, job.podNotStarting());
        }
        DlqInspectResult lastFailure = ReplayResults.inspect(job.terminationMessage());
        return decision.working(DlqReplayPhase.Previewing.name(), "Taking the snapshot and counting the matching "
            + "records (Job " + name + " running"
            + retries(job, lastFailure == null ? job.terminationMessage() : lastFailure.message()) + ")", JOB_POLL);
      }
      case FAILED: {
        DlqInspectResult result = ReplayResults.inspect(job.terminationMessage());
        String message = "Preview Job " + name + " failed (" + job.reason() + "): "
            + ReplayResults.failureText(job.terminationMessage(), result == null ? null : result.message());
        decision.event(PlannedEvent.warning(EventReason.ReplayFailed, message));
        return decision.fail(job.reason(), message);
      }
      default:
        return previewed(decision, observed, job, name);
    }
  }

  private static DlqReplayPlan previewed(Decision decision, DlqReplayObservation observed, JobOutcome job,
      String name) {
    DlqInspectResult result = ReplayResults.inspect(job.terminationMessage());
    if (result == null || (result.snapshot() == null && result.resultGroup() == null) || result.preview() == null) {
      String message = "Preview Job " + name + " succeeded, but its result has no snapshot and preview: "
          + ReplayResults.failureText(job.terminationMessage(), result == null ? null : result.message());
      decision.event(PlannedEvent.warning(EventReason.ReplayFailed, message));
      return decision.fail("PreviewUnreadable", message);
    }
    ReplayResults.PartitionFigures figures = null;
    if (result.resultGroup() != null) {
      String group = result.resultGroup().group();
      if (observed.inspectPartitions() == null) {
        return decision.working(DlqReplayPhase.Previewing.name(), "Preview Job " + name + " succeeded; reading its "
            + "snapshot and per-partition counts from consumer group " + group
            + (observed.inspectPartitionsFailure() == null ? "" : ": " + observed.inspectPartitionsFailure()
                + "; trying again"), JOB_POLL);
      }
      try {
        figures = ReplayResults.partitions(result, observed.inspectPartitions());
      } catch (IllegalArgumentException e) {
        String message = "Preview Job " + name + " succeeded, but its per-partition result is not complete: "
            + e.getMessage();
        decision.event(PlannedEvent.warning(EventReason.ReplayFailed, message));
        return decision.fail("PreviewUnreadable", message);
      }
    }
    DlqReplayStatus status = decision.status;
    boolean first = decision.previous.getPreview() == null;
    status.setSnapshot(figures != null ? figures.snapshot() : ReplayResults.snapshot(result.snapshot()));
    status.setPreview(ReplayResults.preview(result.preview()));
    if (figures != null) {
      status.getPreview().setByPartition(figures.byPartition());
    }
    status.setProgress(ReplayResults.selected(result.preview().matched()));
    String summary = "snapshot " + ReplayResults.snapshotSummary(status.getSnapshot()) + ": " + result.message()
        + overlap(decision.replay, status.getPreview());
    if (first) {
      decision.event(PlannedEvent.normal(EventReason.PreviewReady, "Preview ready, " + summary));
    }
    if (result.preview().matched() == 0) {
      return decision.succeed("Nothing to replay: no record matches in " + summary);
    }
    if (decision.replay.getSpec().isPreviewOnly()) {
      return decision.succeed("Preview only, nothing replayed; " + summary);
    }
    if (Approvals.mayProceed(decision.replay.getSpec().getApproval(), decision.replay)) {
      return startReplay(decision, observed, decision.replay.getSpec().getApproval() == Approval.Automatic
          ? "approval Automatic" : "approved with the annotation " + Approval.ANNOTATION);
    }
    String message = "Preview ready, " + summary + "; approve with: kubectl annotate dlqr "
        + decision.replay.getMetadata().getName() + " " + Approval.ANNOTATION + "=true";
    decision.enter(DlqReplayPhase.AwaitingApproval, message);
    decision.event(PlannedEvent.normal(EventReason.AwaitingApproval, message));
    return decision.working(DlqReplayPhase.AwaitingApproval.name(), message, null);
  }

  /**
   * What the preview found that an approver must know in the spec's terms: records an earlier replay already sent
   * (skipped unless spec.replayAgain) and records for topics the replay may not write to (always skipped).
   */
  static String overlap(DlqReplay replay, DlqPreview preview) {
    StringBuilder text = new StringBuilder();
    if (preview.getAlreadyReplayed() > 0) {
      List<ReplayedRange> ranges = preview.getAlreadyReplayedRanges() == null ? List.of()
          : preview.getAlreadyReplayedRanges();
      text.append(". ").append(preview.getAlreadyReplayed()).append(" of the selected records were already "
          + "replayed");
      if (!ranges.isEmpty()) {
        text.append(" by ").append(String.join(", ", ranges.stream().map(ReplayedRange::getReplayName)
            .distinct().toList())).append(" (status.preview.alreadyReplayedRanges)");
      }
      text.append(replay.getSpec().isReplayAgain() ? " and will be replayed again: spec.replayAgain is true"
          : " and will be skipped; to send them again, create a DlqReplay with spec.replayAgain: true");
    }
    if (preview.getTargetNotAllowed() > 0) {
      text.append(". ").append(preview.getTargetNotAllowed()).append(" of the selected records name a target "
          + "topic this replay may not write to and will be skipped (spec.allowedTargets; default the pipeline's "
          + "topics)");
    }
    return text.toString();
  }

  private static DlqReplayPlan replaying(Decision decision, DlqReplayObservation observed) {
    JobOutcome job = observed.replayJob();
    String name = DlqJobs.replayJobName(decision.replay);
    if (job == null) {
      if (observed.refusal() != null) {
        return refuse(decision, observed.refusal());
      }
      return decision.startJob(JobToStart.REPLAY, name, DlqReplayPhase.Replaying, EventReason.ReplayStarted,
          "Recreated Job " + name + " (it was missing); the replay resumes after its last committed transaction, "
              + "so no record is replayed twice");
    }
    DlqReplayResult result = ReplayResults.replay(job.terminationMessage());
    switch (job.state()) {
      case RUNNING: {
        liveProgress(decision, observed);
        if (job.podNotStarting() != null) {
          return podNotStarting(decision, name, job.podNotStarting());
        }
        return decision.working(DlqReplayPhase.Replaying.name(), runningMessage(decision, observed, job, result),
            JOB_POLL);
      }
      case SUCCEEDED: {
        String message;
        if (result != null) {
          decision.status.setProgress(ReplayResults.progress(result.progress()));
          message = "Replayed " + result.progress().replayed() + " of " + result.progress().matched()
              + " selected records, skipped " + result.progress().skipped() + accounted(decision, observed) + ": "
              + result.message();
        } else {
          liveProgress(decision, observed);
          message = "Replay Job " + name + " succeeded; its result could not be read, progress shows the last "
              + "committed counters";
        }
        decision.event(PlannedEvent.normal(EventReason.ReplaySucceeded, message));
        return decision.succeed(message);
      }
      default: {
        if (result != null) {
          decision.status.setProgress(ReplayResults.progress(result.progress()));
        } else {
          liveProgress(decision, observed);
        }
        String message = "Replay Job " + name + " failed (" + job.reason() + "): "
            + ReplayResults.failureText(job.terminationMessage(), result == null ? null : result.message())
            + "; records committed before the failure stay replayed";
        decision.event(PlannedEvent.warning(EventReason.ReplayFailed, message));
        return decision.fail(job.reason(), message);
      }
    }
  }

  /**
   * "; all 200 DLQ partitions of the snapshot committed at their end (consumer group ...)" from the replay's own
   * committed offsets, which account for every partition whatever the size of the DLQ; empty when they were not read.
   */
  private static String accounted(Decision decision, DlqReplayObservation observed) {
    List<PartitionRange> snapshot = decision.status.getSnapshot();
    if (observed.committed() == null || snapshot == null || snapshot.isEmpty()) {
      return "";
    }
    long atEnd = ReplayCheckpoints.partitionsAtEnd(observed.committed(), snapshot);
    return "; " + (atEnd == snapshot.size() ? "all " + atEnd : atEnd + " of " + snapshot.size())
        + " DLQ partitions of the snapshot committed at their end (consumer group "
        + ReplayIdentity.consumerGroup(decision.replay) + ")";
  }

  private static DlqReplayPlan startPreview(Decision decision, boolean recreated) {
    String name = DlqJobs.inspectJobName(decision.replay);
    return decision.startJob(JobToStart.INSPECT, name, DlqReplayPhase.Previewing, EventReason.PreviewStarted,
        (recreated ? "Recreated Job " + name + " (it was missing)" : "Started Job " + name)
            + ": snapshot of the DLQ's end offsets and count of the matching records");
  }

  /** Starts the replay Job, or waits in the current phase while the source cannot be used. */
  private static DlqReplayPlan startReplay(Decision decision, DlqReplayObservation observed, String why) {
    if (observed.refusal() != null) {
      return refuse(decision, observed.refusal());
    }
    if (!observed.replaysAhead().isEmpty()) {
      return waitForReplaysAhead(decision, observed.replaysAhead(), why);
    }
    String name = DlqJobs.replayJobName(decision.replay);
    return decision.startJob(JobToStart.REPLAY, name, DlqReplayPhase.Replaying, EventReason.ReplayStarted,
        "Started Job " + name + " (" + why + ") to replay the " + decision.status.getPreview().getMatched()
            + " selected records of snapshot " + ReplayResults.snapshotSummary(decision.status.getSnapshot())
            + " exactly once");
  }

  /**
   * Another replay of the same DLQ replays now, or is about to and came first: this one stays in its phase until
   * that one is done, then reads the ledger with what it sent, so the records both select go out once.
   */
  private static DlqReplayPlan waitForReplaysAhead(Decision decision, List<String> ahead, String why) {
    DlqReplayPhase phase = decision.status.getPhase();
    String message = "Ready to replay (" + why + "), waiting for DlqReplay " + String.join(", ", ahead)
        + " of the same DLQ to finish first: replays of one DLQ run one after the other, so records an earlier one "
        + "sends are skipped by the next";
    if (!message.equals(decision.previous.getMessage())) {
      decision.event(PlannedEvent.normal(EventReason.Waiting, message));
    }
    return decision.working(phase.name(), message, JOB_POLL);
  }

  /**
   * A Job whose pod waits for something only a user can change (an image, a Secret, a node): the replay stays in
   * its phase, Stalled with the pod's reason, with one warning Event per episode; it goes on once the pod starts.
   */
  private static DlqReplayPlan podNotStarting(Decision decision, String jobName, String problem) {
    String message = "Job " + jobName + " cannot start its " + problem + "; the replay waits in this phase until "
        + "the pod starts (fix what Kubernetes names, e.g. the image or a Secret) or the replay is cancelled";
    if (!JobOutcome.POD_NOT_STARTING.equals(ReplayConditions.stalledReason(decision.previous.getConditions()))) {
      decision.event(PlannedEvent.warning(EventReason.JobPodNotStarting, message));
    }
    decision.status.setMessage(PhaseHistory.cap(message));
    ReplayConditions.stalled(decision.status.getConditions(), JobOutcome.POD_NOT_STARTING, PhaseHistory.cap(message),
        decision.generation, decision.now);
    return decision.plan(JOB_POLL);
  }

  /** A terminal refusal fails the replay; any other waits, Stalled, in the current phase. */
  private static DlqReplayPlan refuse(Decision decision, ReplaySource.Refusal refusal) {
    if (refusal.terminal()) {
      decision.event(PlannedEvent.warning(EventReason.Refused, refusal.message()));
      return decision.fail(refusal.reason(), refusal.message());
    }
    if (!refusal.reason().equals(ReplayConditions.stalledReason(decision.previous.getConditions()))) {
      decision.event(PlannedEvent.normal(EventReason.Waiting, refusal.message()));
    }
    decision.status.setMessage(PhaseHistory.cap(refusal.message()));
    ReplayConditions.stalled(decision.status.getConditions(), refusal.reason(), refusal.message(),
        decision.generation, decision.now);
    return decision.plan(WAIT_POLL);
  }

  private static DlqReplayPlan cancel(Decision decision, DlqReplayObservation observed, DlqReplayPhase phase) {
    if (phase == DlqReplayPhase.Replaying) {
      liveProgress(decision, observed);
    }
    String message = "Cancelled with the annotation " + Cancellation.ANNOTATION + " in phase " + phase
        + (phase == DlqReplayPhase.Replaying ? "; its Jobs were deleted. Records committed before the replay "
            + "stopped stay replayed; a stopping replay commits its open transaction, so a few more than progress "
            + "shows may have been" : "; its Jobs were deleted and nothing was replayed");
    decision.deleteJobs = true;
    decision.enter(DlqReplayPhase.Cancelled, message);
    decision.status.setMessage(PhaseHistory.cap(message));
    ReplayConditions.stalled(decision.status.getConditions(), ReplayConditions.CANCELLED, message,
        decision.generation, decision.now);
    decision.event(PlannedEvent.normal(EventReason.ReplayCancelled, message));
    return decision.plan(null);
  }

  /** Copies the committed checkpoint's counters into progress; matched stays what the preview selected. */
  private static void liveProgress(Decision decision, DlqReplayObservation observed) {
    Optional<DlqReplayResult.Progress> counters = ReplayCheckpoints.counters(observed.committed());
    if (counters.isEmpty()) {
      return;
    }
    ReplayProgress progress = ReplayResults.progress(counters.get());
    ReplayProgress before = decision.status.getProgress();
    progress.setMatched(Math.max(before == null ? 0 : before.getMatched(), counters.get().matched()));
    decision.status.setProgress(progress);
  }

  private static String runningMessage(Decision decision, DlqReplayObservation observed, JobOutcome job,
      DlqReplayResult lastFailure) {
    ReplayProgress progress = decision.status.getProgress();
    StringBuilder message = new StringBuilder("Replaying");
    if (observed.progressFailure() != null) {
      message.append(": progress not readable: ").append(observed.progressFailure());
    } else if (observed.committed() == null || observed.committed().isEmpty()) {
      message.append(": nothing committed yet");
    } else {
      long done = progress == null ? 0 : progress.getReplayed() + progress.getSkipped();
      message.append(": ").append(done).append(" of ").append(progress == null ? "?" : progress.getMatched())
          .append(" selected records done (replayed ").append(progress == null ? 0 : progress.getReplayed())
          .append(", skipped ").append(progress == null ? 0 : progress.getSkipped()).append("); ")
          .append(ReplayCheckpoints.read(observed.committed(), decision.status.getSnapshot())).append(" of ")
          .append(ReplayCheckpoints.total(decision.status.getSnapshot())).append(" DLQ records of the snapshot read");
    }
    message.append(" (Job ").append(DlqJobs.replayJobName(decision.replay)).append(" running")
        .append(retries(job, lastFailure == null ? job.terminationMessage() : lastFailure.message())).append(")");
    return message.toString();
  }

  /** ", 1 failed attempt so far, retrying: ..." when a pod of the Job failed; empty otherwise. */
  private static String retries(JobOutcome job, String lastMessage) {
    if (job.failedPods() == 0) {
      return "";
    }
    return ", " + job.failedPods() + (job.failedPods() == 1 ? " failed attempt" : " failed attempts")
        + " so far, retrying" + (lastMessage == null || lastMessage.isBlank() ? "" : "; last: " + lastMessage.strip());
  }

  /** The status being decided, built from a copy of the observed one, with the plan's other parts. */
  private static final class Decision {
    private final DlqReplay replay;
    private final DlqReplayStatus previous;
    private final DlqReplayStatus status;
    private final Instant now;
    private final long generation;
    private final List<PlannedEvent> events = new ArrayList<>();
    private JobToStart start = JobToStart.NONE;
    private boolean deleteJobs;

    Decision(DlqReplay replay, Instant now) {
      this.replay = replay;
      this.previous = replay.getStatus() == null ? new DlqReplayStatus() : replay.getStatus();
      this.status = StatusWriter.copy(previous, DlqReplayStatus.class);
      this.now = now;
      this.generation = replay.getMetadata().getGeneration() == null ? 0 : replay.getMetadata().getGeneration();
      this.status.setObservedGeneration(generation);
    }

    void enter(DlqReplayPhase phase, String message) {
      DlqReplayPhase current = status.getPhase();
      if (current != null && current != phase && !current.canMoveTo(phase)) {
        throw new IllegalStateException("a DlqReplay cannot move from " + current + " to " + phase);
      }
      status.setPhase(phase);
      PhaseHistory.enter(status.getHistory(), phase.name(), now, message);
    }

    void event(PlannedEvent event) {
      String message = PhaseHistory.cap(event.message());
      events.add("Warning".equals(event.type()) ? PlannedEvent.warning(event.reason(), message)
          : PlannedEvent.normal(event.reason(), message));
    }

    /** Starts a Job and enters (or stays in) the phase it works in. */
    DlqReplayPlan startJob(JobToStart job, String name, DlqReplayPhase phase, EventReason reason, String message) {
      status.setJobName(name);
      start = job;
      enter(phase, message);
      event(PlannedEvent.normal(reason, message));
      return working(phase.name(), message, JOB_POLL);
    }

    DlqReplayPlan working(String reason, String message, Duration reschedule) {
      status.setMessage(PhaseHistory.cap(message));
      ReplayConditions.working(status.getConditions(), reason, PhaseHistory.cap(message), generation, now);
      return plan(reschedule);
    }

    DlqReplayPlan succeed(String message) {
      enter(DlqReplayPhase.Succeeded, message);
      status.setMessage(PhaseHistory.cap(message));
      ReplayConditions.succeeded(status.getConditions(), PhaseHistory.cap(message), generation, now);
      return plan(null);
    }

    DlqReplayPlan fail(String reason, String message) {
      enter(DlqReplayPhase.Failed, message);
      status.setMessage(PhaseHistory.cap(message));
      ReplayConditions.stalled(status.getConditions(), reason, PhaseHistory.cap(message), generation, now);
      return plan(null);
    }

    DlqReplayPlan plan(Duration reschedule) {
      return new DlqReplayPlan(status, start, deleteJobs, events, reschedule);
    }
  }
}
