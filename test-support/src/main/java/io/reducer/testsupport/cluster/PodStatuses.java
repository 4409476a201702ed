package io.reducer.testsupport.cluster;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.util.List;

/** The status a pod reports for what its runtime knows, shaped like kubelet's. */
final class PodStatuses {

  private PodStatuses() {
  }

  static PodStatus of(PodRuntime runtime) {
    boolean ready = runtime.ready();
    String since = KubeTime.format(runtime.firstSeen);
    String readyReason = ready ? null : runtime.terminal ? "PodCompleted" : "ContainersNotReady";
    String readyMessage = ready || runtime.terminal ? null
        : "containers with unready status: [" + runtime.container().getName() + "]";
    String readyStatus = ready ? "True" : "False";
    String readySince = KubeTime.format(runtime.readyTransition);
    return new PodStatusBuilder()
        .withPhase(phase(runtime))
        .withConditions(List.of(
            condition("Initialized", "True", null, null, since),
            condition("Ready", readyStatus, readyReason, readyMessage, readySince),
            condition("ContainersReady", readyStatus, readyReason, readyMessage, readySince),
            condition("PodScheduled", "True", null, null, since)))
        .withHostIP(ContainerEnv.POD_IP)
        .addNewHostIP(ContainerEnv.POD_IP)
        .withPodIP(ContainerEnv.POD_IP)
        .addNewPodIP(ContainerEnv.POD_IP)
        .withStartTime(since)
        .addToContainerStatuses(new ContainerStatusBuilder()
            .withName(runtime.container().getName())
            .withImage(runtime.container().getImage())
            .withContainerID(runtime.run != null ? runtime.run.containerId()
                : runtime.last != null ? runtime.last.containerId() : null)
            .withReady(ready)
            .withStarted(runtime.run != null && runtime.started)
            .withRestartCount(runtime.restartCount)
            .withState(state(runtime))
            .withLastState(runtime.terminal ? terminated(runtime.previous) : terminated(runtime.last))
            .build())
        .build();
  }

  static String phase(PodRuntime runtime) {
    if (runtime.terminal) {
      return runtime.last.exitCode() == 0 ? "Succeeded" : "Failed";
    }
    return runtime.run != null || runtime.last != null ? "Running" : "Pending";
  }

  private static ContainerState state(PodRuntime runtime) {
    if (runtime.run != null) {
      return new ContainerStateBuilder().withNewRunning(KubeTime.format(runtime.run.startedAt)).build();
    }
    if (runtime.terminal) {
      return terminated(runtime.last);
    }
    String reason = runtime.waitingReason == null ? "ContainerCreating" : runtime.waitingReason;
    return new ContainerStateBuilder().withNewWaiting(runtime.waitingMessage, reason).build();
  }

  /** An empty state when there was no earlier run, as kubelet reports lastState. */
  private static ContainerState terminated(Termination termination) {
    if (termination == null) {
      return new ContainerState();
    }
    return new ContainerStateBuilder().withNewTerminated()
        .withExitCode(termination.exitCode())
        .withReason(termination.reason())
        .withMessage(termination.message())
        .withStartedAt(KubeTime.format(termination.startedAt()))
        .withFinishedAt(KubeTime.format(termination.finishedAt()))
        .withContainerID(termination.containerId())
        .endTerminated().build();
  }

  private static PodCondition condition(String type, String status, String reason, String message, String since) {
    return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastTransitionTime(since).build();
  }
}
