package io.reducer.controller.workload;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of a one-shot Job, read from the Job's status and its pods' termination messages.
 *
 * @param state running (or not started), succeeded or failed for good
 * @param reason for a failed Job, Kubernetes' reason (BackoffLimitExceeded, DeadlineExceeded, ...)
 * @param terminationMessage the last finished pod's termination message: the command's result JSON, or the tail
 *     of its log when it died before writing one; null if no pod finished
 * @param failedPods pods that failed so far (retries use them up)
 */
public record JobOutcome(State state, String reason, String terminationMessage, int failedPods) {

  /** Where a Job is. */
  public enum State {
    RUNNING,
    SUCCEEDED,
    FAILED
  }

  public static JobOutcome of(Job job, List<Pod> pods) {
    int failed = job.getStatus() == null || job.getStatus().getFailed() == null ? 0 : job.getStatus().getFailed();
    Optional<JobCondition> complete = condition(job, "Complete");
    Optional<JobCondition> failure = condition(job, "Failed");
    if (complete.isPresent()) {
      return new JobOutcome(State.SUCCEEDED, null, lastMessage(pods, "Succeeded"), failed);
    }
    if (failure.isPresent()) {
      String message = lastMessage(pods, "Failed");
      String reason = failure.get().getReason() == null ? "Failed" : failure.get().getReason();
      return new JobOutcome(State.FAILED, reason, message != null ? message : failure.get().getMessage(), failed);
    }
    return new JobOutcome(State.RUNNING, null, lastMessage(pods, "Failed"), failed);
  }

  private static Optional<JobCondition> condition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
  }

  /** The termination message of the most recently finished pod in the given phase. */
  private static String lastMessage(List<Pod> pods, String phase) {
    return pods.stream()
        .filter(p -> p.getStatus() != null && phase.equals(p.getStatus().getPhase()))
        .map(JobOutcome::terminated).filter(Objects::nonNull)
        .max(Comparator.comparing(t -> t.getFinishedAt() == null ? "" : t.getFinishedAt()))
        .map(ContainerStateTerminated::getMessage).filter(m -> m != null && !m.isBlank()).orElse(null);
  }

  private static ContainerStateTerminated terminated(Pod pod) {
    List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
    if (statuses == null || statuses.isEmpty() || statuses.get(0).getState() == null) {
      return null;
    }
    return statuses.get(0).getState().getTerminated();
  }
}
