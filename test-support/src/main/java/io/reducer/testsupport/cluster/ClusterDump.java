package io.reducer.testsupport.cluster;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.reducer.testsupport.internal.LogTail;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** A plain-text picture of the local cluster for a failing test's message: objects, processes, log tails. */
final class ClusterDump {

  private static final int LOG_LINES = 15;
  private static final int LOG_BYTES = 4096;

  private final StringBuilder out = new StringBuilder("=== local cluster ===\n");

  static String render(ClusterApi api, Kubelet kubelet, Path workDir) {
    ClusterDump dump = new ClusterDump();
    api.deployments().forEach(dump::deployment);
    api.jobs().forEach(dump::job);
    for (Pod pod : api.pods()) {
      dump.pod(pod, kubelet.find(pod.getMetadata().getNamespace(), pod.getMetadata().getName())
          .map(runtime -> runtime.run == null ? "no process" : "pid " + runtime.run.process.pid()).orElse(""));
      dump.logTail(ContainerLauncher.logFile(workDir, pod.getMetadata().getNamespace(), pod.getMetadata().getName()));
    }
    for (PodRuntime runtime : kubelet.terminating()) {
      dump.out.append("Deleted pod ").append(runtime.describe()).append(": pid ")
          .append(runtime.run.process.pid()).append(" still terminating\n");
    }
    return dump.out.toString();
  }

  private void deployment(Deployment deployment) {
    DeploymentStatus status = deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
    out.append("Deployment ").append(name(deployment))
        .append(" replicas=").append(deployment.getSpec().getReplicas())
        .append(" generation=").append(deployment.getMetadata().getGeneration())
        .append(" observed=").append(status.getObservedGeneration())
        .append(" status: replicas=").append(status.getReplicas())
        .append(" updated=").append(status.getUpdatedReplicas())
        .append(" ready=").append(status.getReadyReplicas())
        .append(" available=").append(status.getAvailableReplicas())
        .append(status.getConditions().stream()
            .map(c -> c.getType() + "=" + c.getStatus() + "(" + c.getReason() + ")")
            .collect(Collectors.joining(" ", " ", "")))
        .append('\n');
  }

  private void job(Job job) {
    JobStatus status = job.getStatus() == null ? new JobStatus() : job.getStatus();
    out.append("Job ").append(name(job))
        .append(" active=").append(status.getActive())
        .append(" succeeded=").append(status.getSucceeded())
        .append(" failed=").append(status.getFailed())
        .append(status.getConditions().stream()
            .map(c -> c.getType() + "=" + c.getStatus() + "(" + c.getReason() + ")")
            .collect(Collectors.joining(" ", " ", "")))
        .append('\n');
  }

  private void pod(Pod pod, String process) {
    out.append("Pod ").append(name(pod));
    if (pod.getStatus() == null) {
      out.append(" (no status yet)\n");
      return;
    }
    out.append(" phase=").append(pod.getStatus().getPhase()).append(' ').append(process);
    for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
      out.append(" ready=").append(container.getReady())
          .append(" restarts=").append(container.getRestartCount())
          .append(" state=").append(describe(container.getState()));
      if (container.getLastState() != null && container.getLastState().getTerminated() != null) {
        out.append(" last=").append(describe(container.getLastState()));
      }
    }
    out.append('\n');
  }

  private void logTail(Path file) {
    try {
      String tail = LogTail.lastLines(file, 0, LOG_BYTES, LOG_LINES);
      if (!tail.isEmpty()) {
        out.append(tail.lines().map(line -> "    | " + line).collect(Collectors.joining("\n", "", "\n")));
      }
    } catch (IOException e) {
      out.append("    (log unreadable: ").append(e.getMessage()).append(")\n");
    }
  }

  private static String describe(ContainerState state) {
    if (state == null) {
      return "none";
    }
    if (state.getRunning() != null) {
      return "running";
    }
    if (state.getTerminated() != null) {
      return "terminated(exit " + state.getTerminated().getExitCode() + ", " + state.getTerminated().getReason()
          + (state.getTerminated().getMessage() == null ? "" : ": " + state.getTerminated().getMessage().strip())
          + ")";
    }
    if (state.getWaiting() != null) {
      return "waiting(" + state.getWaiting().getReason()
          + (state.getWaiting().getMessage() == null ? "" : ": " + state.getWaiting().getMessage()) + ")";
    }
    return "none";
  }

  private static String name(HasMetadata object) {
    return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
  }
}
