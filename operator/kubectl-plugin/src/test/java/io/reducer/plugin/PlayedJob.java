package io.reducer.plugin;

import static io.reducer.plugin.Fixtures.NS;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.reducer.testsupport.kubernetes.PodEndpoints;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * A Job the plugin runs, against the mock API, which runs no pod: the test plays the pod the Job controller would have
 * made (its end and its log).
 */
final class PlayedJob {

  private PlayedJob() {
  }

  static List<Job> jobs(MockApi api, String component) {
    return api.client().batch().v1().jobs().inNamespace(NS).withLabel("app.kubernetes.io/component", component)
        .list().getItems();
  }

  /** The Job the running command created; fails when the command ended first. */
  static Job awaitJob(MockApi api, String component, CompletableFuture<Plugin.Result> run) {
    await().atMost(Duration.ofSeconds(20)).until(() -> !jobs(api, component).isEmpty() || run.isDone());
    if (run.isDone()) {
      throw new AssertionError("the command ended before its Job ran: " + run.join());
    }
    return jobs(api, component).get(0);
  }

  /** Ends the Job's pod with {@code exitCode}, after printing {@code log}. */
  static void end(MockApi api, Job job, String container, String log, int exitCode) {
    String pod = job.getMetadata().getName() + "-x7k2p";
    api.kubernetes().servePods(new OneLog(pod, log));
    api.client().pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(pod)
        .withNamespace(NS).addToLabels("job-name", job.getMetadata().getName())
        .withCreationTimestamp("2026-03-02T10:00:01Z").endMetadata()
        .withNewSpec().addNewContainer().withName(container).withImage("image").endContainer().endSpec()
        .withNewStatus().withPhase(exitCode == 0 ? "Succeeded" : "Failed").addNewContainerStatus()
        .withName(container).withNewState().withNewTerminated().withExitCode(exitCode)
        .withReason(exitCode == 0 ? "Completed" : "Error").endTerminated().endState().endContainerStatus()
        .endStatus().build()).create();
  }

  /** The log of one pod, as the kubelet would serve it through the API server. */
  private record OneLog(String pod, String log) implements PodEndpoints {

    @Override
    public Optional<String> log(String namespace, String name) {
      return name.equals(pod) ? Optional.of(log) : Optional.empty();
    }

    @Override
    public OptionalInt localPort(String namespace, String name, int containerPort) {
      return OptionalInt.empty();
    }
  }
}
