package io.reducer.e2e.scenarios;

import static io.reducer.e2e.scenarios.ScenarioCluster.NAMESPACE;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The materializer pods of one projection, as kubectl get pods -l reducer.io/projection=NAME lists them. */
public final class MaterializerPods {

  private final ScenarioTarget target;
  private final String projection;

  MaterializerPods(ScenarioTarget target, String projection) {
    this.target = target;
    this.projection = projection;
  }

  public List<Pod> list() {
    return target.client().pods().inNamespace(NAMESPACE).withLabel("reducer.io/projection", projection).list()
        .getItems();
  }

  public static int restartCount(Pod pod) {
    ContainerStatus container = container(pod);
    return container == null || container.getRestartCount() == null ? 0 : container.getRestartCount();
  }

  /**
   * Container restarts plus pods that were not among {@code before}: one after a single kill on either target (the
   * local cluster restarts the container in place; a force-deleted pod on a real cluster is replaced).
   */
  public int recoveriesSince(List<Pod> before) {
    Set<String> known = before.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
    return list().stream().mapToInt(p -> restartCount(p) + (known.contains(p.getMetadata().getName()) ? 0 : 1)).sum();
  }

  /** A counter or gauge from the pod's /metrics, summed over its label sets. */
  public double metric(String podName, String name) throws IOException, InterruptedException {
    String body = target.podMetrics(NAMESPACE, podName);
    double sum = 0;
    boolean found = false;
    for (String line : body.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    if (!found) {
      throw new IllegalStateException("pod " + podName + " exports no " + name);
    }
    return sum;
  }

  private static ContainerStatus container(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getContainerStatuses().isEmpty() ? null
        : pod.getStatus().getContainerStatuses().get(0);
  }
}
