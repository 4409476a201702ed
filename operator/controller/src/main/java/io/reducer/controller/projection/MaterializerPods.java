package io.reducer.controller.projection;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.reducer.controller.projection.MaterializerFailure.Reason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Condenses a projection's materializer pods and their Deployment into the one failure worth showing: what kubelet
 * says of a container that cannot start or keeps exiting, the scheduler of a pod no node takes, and the Deployment
 * controller of pods it cannot create or a rollout past its deadline. A plain function of what the reconciler read.
 */
public final class MaterializerPods {

  static final Set<String> IMAGE_PULL = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
      "ErrImageNeverPull");
  static final Set<String> CONFIG = Set.of("CreateContainerConfigError", "CreateContainerError",
      "RunContainerError");
  /** Longest line of a termination message quoted; the message itself may be the last 80 lines of the log. */
  static final int MAX_LINE = 400;
  /** Longest Kubernetes message quoted. */
  static final int MAX_MESSAGE = 1000;

  private MaterializerPods() {
  }

  /**
   * The worst failure among the pods (pods being deleted do not count) and the Deployment, or null when nothing
   * fails: pods that are still starting, or ready, are not failures.
   */
  public static MaterializerFailure condense(Deployment deployment, List<Pod> pods) {
    List<MaterializerFailure> found = new ArrayList<>();
    int failing = 0;
    for (Pod pod : pods.stream().sorted(Comparator.comparing(MaterializerPods::name)).toList()) {
      if (pod.getMetadata() != null && pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      MaterializerFailure failure = of(pod);
      if (failure != null) {
        failing++;
        found.add(failure);
      }
    }
    found.addAll(deploymentFailures(deployment));
    int failingPods = failing;
    return found.stream().min(Comparator.comparing(MaterializerFailure::reason))
        .map(f -> new MaterializerFailure(f.reason(), f.pod(), f.detail(), f.cause(), failingPods)).orElse(null);
  }

  /** The failure one pod shows, or null. */
  static MaterializerFailure of(Pod pod) {
    if (pod.getStatus() == null) {
      return null;
    }
    String name = name(pod);
    MaterializerFailure worst = null;
    for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
      MaterializerFailure failure = of(pod, name, container);
      if (failure != null && (worst == null || failure.reason().compareTo(worst.reason()) < 0)) {
        worst = failure;
      }
    }
    if (worst != null) {
      return worst;
    }
    for (PodCondition condition : pod.getStatus().getConditions()) {
      if ("PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus())
          && "Unschedulable".equals(condition.getReason())) {
        String detail = "Unschedulable: " + text(condition.getMessage());
        return new MaterializerFailure(Reason.MaterializerUnschedulable, name, detail, detail, 1);
      }
    }
    return null;
  }

  private static MaterializerFailure of(Pod pod, String name, ContainerStatus container) {
    ContainerState state = container.getState();
    ContainerStateWaiting waiting = state == null ? null : state.getWaiting();
    String waitingReason = waiting == null || waiting.getReason() == null ? "" : waiting.getReason();
    if (IMAGE_PULL.contains(waitingReason)) {
      String image = image(pod, container);
      String message = text(waiting.getMessage());
      String detail = waitingReason + ": " + message + (image == null || message.contains(image) ? ""
          : " (image " + image + ")");
      // ErrImagePull and ImagePullBackOff take turns with different messages: one cause, one Event.
      return new MaterializerFailure(Reason.MaterializerImagePullFailed, name, detail,
          "cannot pull image " + (image == null ? "(unknown)" : image), 1);
    }
    if (CONFIG.contains(waitingReason)) {
      String detail = waitingReason + ": " + text(waiting.getMessage());
      return new MaterializerFailure(Reason.MaterializerConfigError, name, detail, detail, 1);
    }
    ContainerStateTerminated exited = null;
    if ("CrashLoopBackOff".equals(waitingReason)) {
      exited = container.getLastState() == null ? null : container.getLastState().getTerminated();
    } else if (state != null && state.getTerminated() != null && nonZero(state.getTerminated())) {
      // Just exited; kubelet shows CrashLoopBackOff once it waits to restart it.
      exited = state.getTerminated();
    } else if (state != null && state.getRunning() != null && !Boolean.TRUE.equals(container.getReady())
        && container.getRestartCount() != null && container.getRestartCount() > 0 && container.getLastState() != null
        && container.getLastState().getTerminated() != null && nonZero(container.getLastState().getTerminated())) {
      // Started again after a crash and not ready yet: still the same loop, not a recovery.
      exited = container.getLastState().getTerminated();
    } else {
      return null;
    }
    String detail = "CrashLoopBackOff" + (exited == null ? "" : exit(exited));
    return new MaterializerFailure(Reason.MaterializerCrashLooping, name, detail, detail, 1);
  }

  private static List<MaterializerFailure> deploymentFailures(Deployment deployment) {
    List<MaterializerFailure> failures = new ArrayList<>();
    if (deployment == null || deployment.getStatus() == null) {
      return failures;
    }
    for (DeploymentCondition condition : deployment.getStatus().getConditions()) {
      if ("ReplicaFailure".equals(condition.getType()) && "True".equals(condition.getStatus())) {
        String detail = (condition.getReason() == null ? "FailedCreate" : condition.getReason()) + ": "
            + text(condition.getMessage());
        failures.add(new MaterializerFailure(Reason.MaterializerPodsNotCreated, null, detail, detail, 0));
      } else if ("Progressing".equals(condition.getType()) && "False".equals(condition.getStatus())
          && "ProgressDeadlineExceeded".equals(condition.getReason())) {
        String detail = "ProgressDeadlineExceeded: " + text(condition.getMessage());
        failures.add(new MaterializerFailure(Reason.MaterializerProgressDeadlineExceeded, null, detail, detail, 0));
      }
    }
    return failures;
  }

  /** ": last exit code N (Reason): last line of the termination message", leaving out what is not known. */
  private static String exit(ContainerStateTerminated exited) {
    StringBuilder text = new StringBuilder();
    if (exited.getExitCode() != null) {
      text.append(", last exit code ").append(exited.getExitCode());
    }
    String reason = exited.getReason();
    if (reason != null && !"Error".equals(reason) && !"Completed".equals(reason)) {
      text.append(" (").append(reason).append(')');
    }
    String line = lastLine(exited.getMessage());
    if (line != null) {
      text.append(": ").append(line);
    }
    return text.toString();
  }

  /**
   * The last line that says something: the termination message is the command's own message, or with
   * FallbackToLogsOnError the tail of its log, whose last line is normally the error.
   */
  static String lastLine(String message) {
    if (message == null) {
      return null;
    }
    String[] lines = message.split("\\R");
    for (int i = lines.length - 1; i >= 0; i--) {
      String line = lines[i].strip();
      if (!line.isEmpty()) {
        return line.length() <= MAX_LINE ? line : line.substring(0, MAX_LINE - 3) + "...";
      }
    }
    return null;
  }

  private static boolean nonZero(ContainerStateTerminated terminated) {
    return terminated.getExitCode() == null || terminated.getExitCode() != 0;
  }

  /** The image as the pod spec names it (what the user wrote), else as kubelet reports it. */
  private static String image(Pod pod, ContainerStatus status) {
    if (pod.getSpec() != null) {
      for (Container container : pod.getSpec().getContainers()) {
        if (container.getName() != null && container.getName().equals(status.getName())
            && container.getImage() != null) {
          return container.getImage();
        }
      }
    }
    return status.getImage();
  }

  private static String text(String message) {
    if (message == null || message.isBlank()) {
      return "(no message)";
    }
    String flat = message.strip();
    return flat.length() <= MAX_MESSAGE ? flat : flat.substring(0, MAX_MESSAGE - 3) + "...";
  }

  private static String name(Pod pod) {
    return pod.getMetadata() == null || pod.getMetadata().getName() == null ? "?" : pod.getMetadata().getName();
  }
}
