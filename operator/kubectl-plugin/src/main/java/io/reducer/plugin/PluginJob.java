package io.reducer.plugin;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.controller.workload.WorkloadEnv;
import io.reducer.controller.workload.WorkloadJob;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A workloads command the plugin runs in the cluster as a Job with a pipeline's connections (trace, repair): the
 * operator's own Job shape (restricted pod, owned by the pipeline so it goes with it), its Kafka and database
 * environment, one attempt, a deadline; the plugin waits for the pod's end, reads its log and deletes the Job, also on
 * a timeout and on Ctrl-C.
 */
final class PluginJob {

  static final String MANAGED_BY = "kubectl-reducer";
  private static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  /** A finished Job the plugin could not delete (it was killed) is removed by Kubernetes after this. */
  static final int TTL_SECONDS_AFTER_FINISHED = 600;
  /** Pod states that do not get better by waiting. */
  private static final Set<String> HOPELESS = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
      "CreateContainerConfigError", "CreateContainerError");
  private static final Duration POLL = Duration.ofMillis(300);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** How the Job's pod ended, with its log. */
  record Ended(int exitCode, String reason, String log) {
  }

  private PluginJob() {
  }

  /** A fresh name per run: {@code <pipeline>-<component>-<5 random>}, shortened as the operator's Job names are. */
  static String name(ReducerPipeline pipeline, String component) {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder suffix = new StringBuilder(component).append('-');
    for (int i = 0; i < 5; i++) {
      suffix.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return WorkloadJob.name(pipeline, suffix.toString());
  }

  static Job build(ReducerPipeline pipeline, String name, String component, String image, List<String> args,
      Duration deadline) {
    List<EnvVar> env = new ArrayList<>(WorkloadEnv.kafka(pipeline));
    env.addAll(WorkloadEnv.databaseLogin(pipeline));
    Job job = WorkloadJob.build(pipeline, name, component, image, args, env, 0);
    job.getMetadata().getLabels().put(LABEL_MANAGED_BY, MANAGED_BY);
    job.getSpec().getTemplate().getMetadata().getLabels().put(LABEL_MANAGED_BY, MANAGED_BY);
    // The cluster ends the run even if this process dies before it deletes the Job.
    job.getSpec().setActiveDeadlineSeconds(Math.max(1, deadline.getSeconds()));
    job.getSpec().setTtlSecondsAfterFinished(TTL_SECONDS_AFTER_FINISHED);
    return job;
  }

  /** The workloads image: --image, else the operator Deployment's WORKLOADS_IMAGE. */
  static String image(Invocation invocation, KubernetesClient client, String namespace, String imageFlag)
      throws PluginException {
    String image = invocation.options().value(imageFlag);
    if (image != null) {
      return image;
    }
    return OperatorLookup.find(client, invocation.clock(), namespace).workloadsImage().orElseThrow(() ->
        PluginException.usage("the workloads image is unknown: no operator Deployment (label "
            + OperatorLookup.DEPLOYMENT_LABEL + "=" + OperatorLookup.DEPLOYMENT_LABEL_VALUE + ") found in the "
            + "namespaces you may list; pass " + imageFlag + " REGISTRY/reducer-workloads:TAG"));
  }

  /**
   * Creates the Job, waits for its pod's end and returns it with its log; the Job is deleted in every case.
   *
   * @param what the command's name in messages ("trace")
   * @param timeoutHint what to try when it did not end in time
   */
  static Ended run(Invocation invocation, KubernetesClient client, String namespace, Job job, Duration timeout,
      String what, String timeoutHint) throws PluginException {
    String name = job.getMetadata().getName();
    Runnable cleanup = invocation.interrupts().register(() -> delete(client, namespace, name, what, invocation.err()));
    Kube.run("create", "jobs", namespace, () -> client.batch().v1().jobs().inNamespace(namespace).resource(job)
        .create());
    try {
      Pod pod = awaitEnd(client, namespace, name, Instant.now().plus(timeout), timeout, what, timeoutHint);
      ContainerStateTerminated end = terminated(pod).orElseThrow();
      String log = Kube.call("get", "pods/log", namespace,
          () -> client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).getLog());
      return new Ended(end.getExitCode() == null ? ExitCode.FAILED : end.getExitCode(), end.getReason(),
          log == null ? "" : log);
    } finally {
      cleanup.run();
    }
  }

  /** Waits until the Job's pod has ended; fails on a pod that cannot start, a failed Job, or the deadline. */
  private static Pod awaitEnd(KubernetesClient client, String namespace, String job, Instant deadline,
      Duration timeout, String what, String timeoutHint) throws PluginException {
    String lastState = "no pod yet";
    while (Instant.now().isBefore(deadline)) {
      List<Pod> pods = Kube.call("list", "pods", namespace, () -> client.pods().inNamespace(namespace)
          .withLabel("job-name", job).list().getItems());
      Optional<Pod> ended = pods.stream().filter(p -> terminated(p).isPresent())
          .max(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp() == null ? ""
              : p.getMetadata().getCreationTimestamp()));
      if (ended.isPresent()) {
        return ended.get();
      }
      for (Pod pod : pods) {
        Optional<ContainerStateWaiting> waiting = container(pod).map(c -> c.getState() == null ? null
            : c.getState().getWaiting());
        if (waiting.isPresent()) {
          lastState = "pod " + pod.getMetadata().getName() + " waiting: " + waiting.get().getReason()
              + (waiting.get().getMessage() == null ? "" : ": " + waiting.get().getMessage());
          if (HOPELESS.contains(waiting.get().getReason())) {
            throw new PluginException(ExitCode.FAILED, "the " + what + " Job " + job + " cannot start: " + lastState);
          }
        } else if (pod.getStatus() != null && pod.getStatus().getPhase() != null) {
          lastState = "pod " + pod.getMetadata().getName() + " " + pod.getStatus().getPhase();
        }
      }
      Job current = Kube.call("get", "jobs", namespace, () -> client.batch().v1().jobs().inNamespace(namespace)
          .withName(job).get());
      if (current == null) {
        throw new PluginException(ExitCode.FAILED, "the " + what + " Job " + job + " was deleted before it ended");
      }
      Optional<JobCondition> failed = current.getStatus() == null ? Optional.empty() : current.getStatus()
          .getConditions().stream().filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
          .findFirst();
      if (failed.isPresent() && pods.isEmpty()) {
        throw new PluginException(ExitCode.FAILED, "the " + what + " Job " + job + " failed: "
            + failed.get().getReason() + (failed.get().getMessage() == null ? "" : ": " + failed.get().getMessage()));
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PluginException(ExitCode.FAILED, "interrupted; the " + what + " Job " + job + " is deleted");
      }
    }
    throw new PluginException(ExitCode.FAILED, "the " + what + " did not end within " + timeout + " (" + lastState
        + "); the Job " + job + " is deleted. " + timeoutHint);
  }

  private static Optional<ContainerStatus> container(Pod pod) {
    return pod.getStatus() == null ? Optional.empty() : pod.getStatus().getContainerStatuses().stream().findFirst();
  }

  private static Optional<ContainerStateTerminated> terminated(Pod pod) {
    return container(pod).map(c -> c.getState() == null ? null : c.getState().getTerminated());
  }

  private static void delete(KubernetesClient client, String namespace, String job, String what,
      java.io.PrintStream err) {
    try {
      client.batch().v1().jobs().inNamespace(namespace).withName(job)
          .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    } catch (KubernetesClientException e) {
      err.println("warning: could not delete the " + what + " Job " + job + " (" + e.getCode() + "); delete it "
          + "with: kubectl delete job " + job + " -n " + namespace);
    }
  }
}
