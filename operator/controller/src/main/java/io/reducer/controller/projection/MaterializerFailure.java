package io.reducer.controller.projection;

import java.util.Arrays;
import java.util.Optional;

/**
 * Why a projection's materializer pods do not become ready, condensed by {@link MaterializerPods} from the pods and
 * their Deployment: the worst cause found, the pod that shows it, and how many pods fail. Read by
 * {@link ProjectionDecider}.
 *
 * @param reason the kind of failure; its name is the reason of the Ready and Degraded conditions
 * @param pod the pod that shows it; null for a failure of the Deployment (no pod to show it)
 * @param detail what Kubernetes says now, e.g. {@code ImagePullBackOff: Back-off pulling image "x"}, for the
 *     condition message
 * @param cause the same in words that stay the same while the cause does (no pod name, no restart count, no
 *     kubelet back-off text), for the Event message, so that repeats of one cause fold into one Event
 * @param failingPods pods that show a failure, of any kind
 */
public record MaterializerFailure(Reason reason, String pod, String detail, String cause, int failingPods) {

  /** Condition reasons, worst first: when several pods fail differently, the first reason in this order is shown. */
  public enum Reason {
    /** The Deployment cannot create pods (ReplicaFailure FailedCreate: a ResourceQuota, a LimitRange, admission). */
    MaterializerPodsNotCreated,
    /** The image cannot be pulled (ErrImagePull, ImagePullBackOff, InvalidImageName, ErrImageNeverPull). */
    MaterializerImagePullFailed,
    /**
     * The container cannot be created from the pod's configuration (CreateContainerConfigError: a missing Secret,
     * ConfigMap or key; CreateContainerError, RunContainerError).
     */
    MaterializerConfigError,
    /** The container starts and exits with a non-zero code, again and again (CrashLoopBackOff). */
    MaterializerCrashLooping,
    /** No node can take the pod (PodScheduled False, Unschedulable: not enough CPU or memory, taints). */
    MaterializerUnschedulable,
    /** The Deployment made no progress within its progressDeadlineSeconds (Progressing False). */
    MaterializerProgressDeadlineExceeded;

    /** The reason a condition carries, if it is one of these. */
    public static Optional<Reason> of(String conditionReason) {
      return Arrays.stream(values()).filter(r -> r.name().equals(conditionReason)).findFirst();
    }
  }

  /** "pod NAME: detail", or the detail alone for a Deployment's failure. */
  public String describe() {
    return pod == null ? detail : "pod " + pod + ": " + detail;
  }
}
