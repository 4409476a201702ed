package io.reducer.controller.dlq;

import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.DlqReplayStatus;
import io.reducer.api.v1alpha1.common.Approval;
import io.reducer.api.v1alpha1.dlq.DlqPreview;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import io.reducer.api.v1alpha1.dlq.PartitionRange;
import io.reducer.api.v1alpha1.dlq.ReplayProgress;
import io.reducer.api.v1alpha1.dlq.ReplayedRange;
import io.reducer.controller.decision.Decision.Next;
import io.reducer.controller.decision.Decision;
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
public final class DlqReplayDecider {

  /** How often a running Job is looked at (its informer events also trigger a look). */
  static final Duration JOB_POLL = Duration.ofSeconds(2);
  /** How often a waiting replay looks again, besides the pipeline and projection events that trigger it. */
  static final Duration WAIT_POLL = Duration.ofSeconds(60);

  private DlqReplayDecider() {
  }

  /**
   * The replay's next step.
   *
   * @param replay the DlqReplay as observed; its status is copied, never changed
   * @param observed its Jobs, source and checkpoints
   * @param now the time of this decision
   * @return the status to write, at most one effect, the Events and when to look again
   */
  public static Decision<DlqReplayStatus, ReplayEffect> decide(DlqReplay replay, DlqReplayObservation observed,
      Instant now) {
    Draft draft = new Draft(replay, now);
    DlqReplayPhase phase = draft.status.getPhase();
    if (phase == null) {
      draft.enter(DlqReplayPhase.Pending, "Accepted");
      phase = DlqReplayPhase.Pending;
    }
    if (phase.isTerminal()) {
      return draft.decision(null);
    }
    if (Cancellation.requested(replay)) {
      return cancel(draft, observed, phase);
    }
    switch (phase) {
      case Pending:
        return observed.refusal() != null ? refuse(draft, observed.refusal()) : startPreview(draft, false);
      case Previewing:
        return previewing(draft, observed);
      case AwaitingApproval:
        return Approvals.approved(replay)
            ? startReplay(draft, observed, "approved with the annotation " + Approval.ANNOTATION)
            : draft.working(DlqReplayPhase.AwaitingApproval.name(), draft.status.getMessage(), null);
      default:
        return replaying(draft, observed);
    }
  }

  /** The replay reached Succeeded, Failed or Cancelled; false while it has no status or phase yet. */
  static boolean finished(DlqReplayStatus status) {
    return status != null && status.getPhase() != null && status.getPhase().isTerminal();
  }

  private static Decision<DlqReplayStatus, ReplayEffect> previewing(Draft draft, DlqReplayObservation observed) {
    JobOutcome job = observed.inspectJob();
    if (job == null) {
      return observed.refusal() != null ? refuse(draft, observed.refusal()) : startPreview(draft, true);
    }
    String name = DlqJobs.inspectJobName(draft.replay);
    switch (job.state()) {
      case RUNNING: {
        if (job.podNotStarting() != null) {
          return podNotStarting(draft, name, job.podNotStarting());
        }
        DlqInspectResult lastFailure = ReplayResults.inspect(job.terminationMessage());
        return draft.working(DlqReplayPhase.Previewing.name(), "Taking the snapshot and counting the matching "
            + "records (Job " + name + " running"
            + retries(job, lastFailure == null ? job.terminationMessage() : lastFailure.message()) + ")", JOB_POLL);
      }
      case FAILED: {
        DlqInspectResult result = ReplayResults.inspect(job.terminationMessage());
        String message = "Preview Job " + name + " failed (" + job.reason() + "): "
            + ReplayResults.failureText(job.terminationMessage(), result == null ? null : result.message());
        draft.event(PlannedEvent.warning(EventReason.ReplayFailed, message));
        return draft.fail(job.reason(), message);
      }
      default:
        return previewed(draft, observed, job, name);
    }
  }

  private static Decision<DlqReplayStatus, ReplayEffect> previewed(Draft draft, DlqReplayObservation observed,
      JobOutcome job, String name) {
    DlqInspectResult result = ReplayResults.inspect(job.terminationMessage());
    if (result == null || (result.snapshot() == null && result.resultGroup() == null) || result.preview() == null) {
      String message = "Preview Job " + name + " succeeded, but its result has no snapshot and preview: "
          + ReplayResults.failureText(job.terminationMessage(), result == null ? null : result.message());
      draft.event(PlannedEvent.warning(EventReason.ReplayFailed, message));
      return draft.fail("PreviewUnreadable", message);
    }
    ReplayResults.PartitionFigures figures = null;
    if (result.resultGroup() != null) {
      String group = result.resultGroup().group();
      if (observed.inspectPartitions() == null) {
        return draft.working(DlqReplayPhase.Previewing.name(), "Preview Job " + name + " succeeded; reading its "
            + "snapshot and per-partition counts from consumer group " + group
            + (observed.inspectPartitionsFailure() == null ? "" : ": " + observed.inspectPartitionsFailure()
                + "; trying again"), JOB_POLL);
      }
      try {
        figures = ReplayResults.partitions(result, observed.inspectPartitions());
      } catch (IllegalArgumentException e) {
        String message = "Preview Job " + name + " succeeded, but its per-partition result is not complete: "
            + e.getMessage();
        draft.event(PlannedEvent.warning(EventReason.ReplayFailed, message));
        return draft.fail("PreviewUnreadable", message);
      }
    }
    DlqReplayStatus status = draft.status;
    boolean first = draft.previous.getPreview() == null;
    status.setSnapshot(figures != null ? figures.snapshot() : ReplayResults.snapshot(result.snapshot()));
    status.setPreview(ReplayResults.preview(result.preview()));
    if (figures != null) {
      status.getPreview().setByPartition(figures.byPartition());
    }
    status.setProgress(ReplayResults.selected(result.preview().matched()));
    String summary = "snapshot " + ReplayResults.snapshotSummary(status.getSnapshot()) + ": " + result.message()
        + overlap(draft.replay, status.getPreview());
    if (first) {
      draft.event(PlannedEvent.normal(EventReason.PreviewReady, "Preview ready, " + summary));
    }
    if (result.preview().matched() == 0) {
      return draft.succeed("Nothing to replay: no record matches in " + summary);
    }
    if (draft.replay.getSpec().isPreviewOnly()) {
      return draft.succeed("Preview only, nothing replayed; " + summary);
    }
    if (Approvals.mayProceed(draft.replay.getSpec().getApproval(), draft.replay)) {
      return startReplay(draft, observed, draft.replay.getSpec().getApproval() == Approval.Automatic
          ? "approval Automatic" : "approved with the annotation " + Approval.ANNOTATION);
    }
    String message = "Preview ready, " + summary + "; approve with: kubectl annotate dlqr "
        + draft.replay.getMetadata().getName() + " " + Approval.ANNOTATION + "=true";
    draft.enter(DlqReplayPhase.AwaitingApproval, message);
    draft.event(PlannedEvent.normal(EventReason.AwaitingApproval, message));
    return draft.working(DlqReplayPhase.AwaitingApproval.name(), message, null);
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

  private static Decision<DlqReplayStatus, ReplayEffect> replaying(Draft draft, DlqReplayObservation observed) {
    JobOutcome job = observed.replayJob();
    String name = DlqJobs.replayJobName(draft.replay);
    if (job == null) {
      if (observed.refusal() != null) {
        return refuse(draft, observed.refusal());
      }
      return draft.startJob(ReplayEffect.START_REPLAY, name, DlqReplayPhase.Replaying, EventReason.ReplayStarted,
          "Recreated Job " + name + " (it was missing); the replay resumes after its last committed transaction, "
              + "so no record is replayed twice");
    }
    DlqReplayResult result = ReplayResults.replay(job.terminationMessage());
    switch (job.state()) {
      case RUNNING: {
        liveProgress(draft, observed);
        if (job.podNotStarting() != null) {
          return podNotStarting(draft, name, job.podNotStarting());
        }
        return draft.working(DlqReplayPhase.Replaying.name(), runningMessage(draft, observed, job, result),
            JOB_POLL);
      }
      case SUCCEEDED: {
        String message;
        if (result != null) {
          draft.status.setProgress(ReplayResults.progress(result.progress()));
          message = "Replayed " + result.progress().replayed() + " of " + result.progress().matched()
              + " selected records, skipped " + result.progress().skipped() + accounted(draft, observed) + ": "
              + result.message();
        } else {
          liveProgress(draft, observed);
          message = "Replay Job " + name + " succeeded; its result could not be read, progress shows the last "
              + "committed counters";
        }
        draft.event(PlannedEvent.normal(EventReason.ReplaySucceeded, message));
        return draft.succeed(message);
      }
      default: {
        if (result != null) {
          draft.status.setProgress(ReplayResults.progress(result.progress()));
        } else {
          liveProgress(draft, observed);
        }
        String message = "Replay Job " + name + " failed (" + job.reason() + "): "
            + ReplayResults.failureText(job.terminationMessage(), result == null ? null : result.message())
            + "; records committed before the failure stay replayed";
        draft.event(PlannedEvent.warning(EventReason.ReplayFailed, message));
        return draft.fail(job.reason(), message);
      }
    }
  }

  /**
   * "; all 200 DLQ partitions of the snapshot committed at their end (consumer group ...)" from the replay's own
   * committed offsets, which account for every partition whatever the size of the DLQ; empty when they were not read.
   */
  private static String accounted(Draft draft, DlqReplayObservation observed) {
    List<PartitionRange> snapshot = draft.status.getSnapshot();
    if (observed.committed() == null || snapshot == null || snapshot.isEmpty()) {
      return "";
    }
    long atEnd = ReplayCheckpoints.partitionsAtEnd(observed.committed(), snapshot);
    return "; " + (atEnd == snapshot.size() ? "all " + atEnd : atEnd + " of " + snapshot.size())
        + " DLQ partitions of the snapshot committed at their end (consumer group "
        + ReplayIdentity.consumerGroup(draft.replay) + ")";
  }

  private static Decision<DlqReplayStatus, ReplayEffect> startPreview(Draft draft, boolean recreated) {
    String name = DlqJobs.inspectJobName(draft.replay);
    return draft.startJob(ReplayEffect.START_INSPECT, name, DlqReplayPhase.Previewing, EventReason.PreviewStarted,
        (recreated ? "Recreated Job " + name + " (it was missing)" : "Started Job " + name)
            + ": snapshot of the DLQ's end offsets and count of the matching records");
  }

  /** Starts the replay Job, or waits in the current phase while the source cannot be used. */
  private static Decision<DlqReplayStatus, ReplayEffect> startReplay(Draft draft, DlqReplayObservation observed,
      String why) {
    if (observed.refusal() != null) {
      return refuse(draft, observed.refusal());
    }
    if (!observed.replaysAhead().isEmpty()) {
      return waitForReplaysAhead(draft, observed.replaysAhead(), why);
    }
    String name = DlqJobs.replayJobName(draft.replay);
    return draft.startJob(ReplayEffect.START_REPLAY, name, DlqReplayPhase.Replaying, EventReason.ReplayStarted,
        "Started Job " + name + " (" + why + ") to replay the " + draft.status.getPreview().getMatched()
            + " selected records of snapshot " + ReplayResults.snapshotSummary(draft.status.getSnapshot())
            + " exactly once");
  }

  /**
   * Another replay of the same DLQ replays now, or is about to and came first: this one stays in its phase until
   * that one is done, then reads the ledger with what it sent, so the records both select go out once.
   */
  private static Decision<DlqReplayStatus, ReplayEffect> waitForReplaysAhead(Draft draft, List<String> ahead,
      String why) {
    DlqReplayPhase phase = draft.status.getPhase();
    String message = "Ready to replay (" + why + "), waiting for DlqReplay " + String.join(", ", ahead)
        + " of the same DLQ to finish first: replays of one DLQ run one after the other, so records an earlier one "
        + "sends are skipped by the next";
    if (!message.equals(draft.previous.getMessage())) {
      draft.event(PlannedEvent.normal(EventReason.Waiting, message));
    }
    return draft.working(phase.name(), message, JOB_POLL);
  }

  /**
   * A Job whose pod waits for something only a user can change (an image, a Secret, a node): the replay stays in
   * its phase, Stalled with the pod's reason, with one warning Event per episode; it goes on once the pod starts.
   */
  private static Decision<DlqReplayStatus, ReplayEffect> podNotStarting(Draft draft, String jobName, String problem) {
    String message = "Job " + jobName + " cannot start its " + problem + "; the replay waits in this phase until "
        + "the pod starts (fix what Kubernetes names, e.g. the image or a Secret) or the replay is cancelled";
    if (!JobOutcome.POD_NOT_STARTING.equals(ReplayConditions.stalledReason(draft.previous.getConditions()))) {
      draft.event(PlannedEvent.warning(EventReason.JobPodNotStarting, message));
    }
    draft.status.setMessage(PhaseHistory.cap(message));
    ReplayConditions.stalled(draft.status.getConditions(), JobOutcome.POD_NOT_STARTING, PhaseHistory.cap(message),
        draft.generation, draft.now);
    return draft.decision(JOB_POLL);
  }

  /** A terminal refusal fails the replay; any other waits, Stalled, in the current phase. */
  private static Decision<DlqReplayStatus, ReplayEffect> refuse(Draft draft, ReplaySource.Refusal refusal) {
    if (refusal.terminal()) {
      draft.event(PlannedEvent.warning(EventReason.Refused, refusal.message()));
      return draft.fail(refusal.reason(), refusal.message());
    }
    if (!refusal.reason().equals(ReplayConditions.stalledReason(draft.previous.getConditions()))) {
      draft.event(PlannedEvent.normal(EventReason.Waiting, refusal.message()));
    }
    draft.status.setMessage(PhaseHistory.cap(refusal.message()));
    ReplayConditions.stalled(draft.status.getConditions(), refusal.reason(), refusal.message(),
        draft.generation, draft.now);
    return draft.decision(WAIT_POLL);
  }

  private static Decision<DlqReplayStatus, ReplayEffect> cancel(Draft draft, DlqReplayObservation observed,
      DlqReplayPhase phase) {
    if (phase == DlqReplayPhase.Replaying) {
      liveProgress(draft, observed);
    }
    String message = "Cancelled with the annotation " + Cancellation.ANNOTATION + " in phase " + phase
        + (phase == DlqReplayPhase.Replaying ? "; its Jobs were deleted. Records committed before the replay "
            + "stopped stay replayed; a stopping replay commits its open transaction, so a few more than progress "
            + "shows may have been" : "; its Jobs were deleted and nothing was replayed");
    draft.effect = ReplayEffect.DELETE_JOBS;
    draft.enter(DlqReplayPhase.Cancelled, message);
    draft.status.setMessage(PhaseHistory.cap(message));
    ReplayConditions.stalled(draft.status.getConditions(), ReplayConditions.CANCELLED, message,
        draft.generation, draft.now);
    draft.event(PlannedEvent.normal(EventReason.ReplayCancelled, message));
    return draft.decision(null);
  }

  /** Copies the committed checkpoint's counters into progress; matched stays what the preview selected. */
  private static void liveProgress(Draft draft, DlqReplayObservation observed) {
    Optional<DlqReplayResult.Progress> counters = ReplayCheckpoints.counters(observed.committed());
    if (counters.isEmpty()) {
      return;
    }
    ReplayProgress progress = ReplayResults.progress(counters.get());
    ReplayProgress before = draft.status.getProgress();
    progress.setMatched(Math.max(before == null ? 0 : before.getMatched(), counters.get().matched()));
    draft.status.setProgress(progress);
  }

  private static String runningMessage(Draft draft, DlqReplayObservation observed, JobOutcome job,
      DlqReplayResult lastFailure) {
    ReplayProgress progress = draft.status.getProgress();
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
          .append(ReplayCheckpoints.read(observed.committed(), draft.status.getSnapshot())).append(" of ")
          .append(ReplayCheckpoints.total(draft.status.getSnapshot())).append(" DLQ records of the snapshot read");
    }
    message.append(" (Job ").append(DlqJobs.replayJobName(draft.replay)).append(" running")
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

  /** The status being decided, built from a copy of the observed one, with the decision's other parts. */
  private static final class Draft {
    private final DlqReplay replay;
    private final DlqReplayStatus previous;
    private final DlqReplayStatus status;
    private final Instant now;
    private final long generation;
    private final List<PlannedEvent> events = new ArrayList<>();
    // The one change outside the status; null when there is none.
    private ReplayEffect effect;

    Draft(DlqReplay replay, Instant now) {
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
    Decision<DlqReplayStatus, ReplayEffect> startJob(ReplayEffect job, String name, DlqReplayPhase phase,
        EventReason reason, String message) {
      status.setJobName(name);
      effect = job;
      enter(phase, message);
      event(PlannedEvent.normal(reason, message));
      return working(phase.name(), message, JOB_POLL);
    }

    Decision<DlqReplayStatus, ReplayEffect> working(String reason, String message, Duration reschedule) {
      status.setMessage(PhaseHistory.cap(message));
      ReplayConditions.working(status.getConditions(), reason, PhaseHistory.cap(message), generation, now);
      return decision(reschedule);
    }

    Decision<DlqReplayStatus, ReplayEffect> succeed(String message) {
      enter(DlqReplayPhase.Succeeded, message);
      status.setMessage(PhaseHistory.cap(message));
      ReplayConditions.succeeded(status.getConditions(), PhaseHistory.cap(message), generation, now);
      return decision(null);
    }

    Decision<DlqReplayStatus, ReplayEffect> fail(String reason, String message) {
      enter(DlqReplayPhase.Failed, message);
      status.setMessage(PhaseHistory.cap(message));
      ReplayConditions.stalled(status.getConditions(), reason, PhaseHistory.cap(message), generation, now);
      return decision(null);
    }

    Decision<DlqReplayStatus, ReplayEffect> decision(Duration lookAgain) {
      return new Decision<>(status, effect == null ? List.of() : List.of(effect), events, Next.after(lookAgain));
    }
  }
}
