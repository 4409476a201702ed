package io.reducer.controller.workload;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What became of a one-shot Job, read from the Job's status and its pods' termination messages.
 *
 * @param state running (or not started), succeeded or failed for good
 * @param reason for a failed Job, Kubernetes' reason (BackoffLimitExceeded, DeadlineExceeded, ...)
 * @param terminationMessage the last finished pod's termination message: the command's result JSON, or the tail
 *     of its log when it died before writing one; null if no pod finished
 * @param failedPods pods that failed so far (retries use them up)
 * @param podNotStarting for a running Job whose pod cannot start (an image that cannot be pulled, a missing
 *     Secret, no node to run on): the pod, the reason and Kubernetes' message; null otherwise. Kubernetes keeps such
 *     a pod waiting without counting a failure, so without this the Job would look busy for ever.
 */
public record JobOutcome(State state, String reason, String terminationMessage, int failedPods,
    String podNotStarting) {

  /** The condition reason of a one-shot resource whose Job's pod cannot start. */
  public static final String POD_NOT_STARTING = "JobPodNotStarting";

  /**
   * Waiting reasons of a container that will not start without someone changing something. ContainerCreating and
   * PodInitializing pass on their own; CrashLoopBackOff is a started container failing, which the Job counts.
   */
  static final Set<String> NOT_STARTING = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
      "ErrImageNeverPull", "CreateContainerConfigError", "CreateContainerError", "RunContainerError");

  public JobOutcome(State state, String reason, String terminationMessage, int failedPods) {
    this(state, reason, terminationMessage, failedPods, null);
  }

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
    return new JobOutcome(State.RUNNING, null, lastMessage(pods, "Failed"), failed, notStarting(pods));
  }

  /** "pod P: Reason: message" for the first pod that waits for something only a user can fix; null if none. */
  private static String notStarting(List<Pod> pods) {
    for (Pod pod : pods) {
      boolean deleting = pod.getMetadata() != null && pod.getMetadata().getDeletionTimestamp() != null;
      if (pod.getStatus() == null || deleting) {
        continue;
      }
      String name = pod.getMetadata() == null ? "?" : pod.getMetadata().getName();
      for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
        ContainerStateWaiting waiting = container.getState() == null ? null : container.getState().getWaiting();
        if (waiting != null && NOT_STARTING.contains(waiting.getReason())) {
          return "pod " + name + ": " + waiting.getReason()
              + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage());
        }
      }
      for (PodCondition condition : pod.getStatus().getConditions()) {
        if ("PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus())
            && "Unschedulable".equals(condition.getReason())) {
          return "pod " + name + ": Unschedulable" + (condition.getMessage() == null ? "" : ": "
              + condition.getMessage());
        }
      }
    }
    return null;
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
