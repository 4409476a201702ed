package io.reducer.e2e.scenarios;

import static io.reducer.e2e.scenarios.ScenarioCluster.NAMESPACE;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.reducer.e2e.LocalCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The materializer pods of one projection, as kubectl get pods -l reducer.io/projection=NAME lists them. */
public final class MaterializerPods {

  private static final Pattern HTTP_PORT = Pattern.compile("materializer http port: (\\d+)");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final LocalCluster cluster;
  private final String projection;

  MaterializerPods(LocalCluster cluster, String projection) {
    this.cluster = cluster;
    this.projection = projection;
  }

  public List<Pod> list() {
    return cluster.client().pods().inNamespace(NAMESPACE).withLabel("reducer.io/projection", projection).list()
        .getItems();
  }

  public static int restartCount(Pod pod) {
    ContainerStatus container = container(pod);
    return container == null || container.getRestartCount() == null ? 0 : container.getRestartCount();
  }

  /**
   * A counter or gauge from the pod's /metrics, summed over its label sets. The port is the one the running
   * process printed last (the local cluster gives each pod its own).
   */
  public double metric(String podName, String name) throws IOException, InterruptedException {
    Matcher port = HTTP_PORT.matcher(cluster.kubelet().logs(NAMESPACE, podName));
    String last = null;
    while (port.find()) {
      last = port.group(1);
    }
    if (last == null) {
      throw new IllegalStateException("pod " + podName + " has not printed its HTTP port");
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + last + "/metrics"))
        .timeout(Duration.ofSeconds(5)).build();
    String body = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
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
