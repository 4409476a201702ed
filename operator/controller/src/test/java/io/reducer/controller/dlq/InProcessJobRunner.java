package io.reducer.controller.dlq;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.reducer.workloads.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Test infrastructure, not a product part: plays the Kubernetes Job controller and kubelet for the mock API server,
 * which runs nothing. Each new Job's container runs in this JVM through the workloads CLI's {@link Main#run}, with
 * the Job's args and env (secretKeyRef values read from the mock API's Secrets) and the termination log in a
 * temporary file. Each attempt becomes a pod labelled job-name with the termination message in its container
 * status; the Job's status and conditions follow as Kubernetes sets them: Complete, or Failed with
 * BackoffLimitExceeded or PodFailurePolicy (FailJob on exit codes). Retries happen at once, without back-off.
 * A deleted Job's pods are deleted too (the garbage collector's part); its run, which cannot be killed, goes on
 * and its result is dropped.
 */
final class InProcessJobRunner implements AutoCloseable {

  private final KubernetesClient client;
  private final String namespace;
  private final Path workDir;
  private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> daemon(r,
      "job-watcher"));
  private final ExecutorService runs = Executors.newCachedThreadPool(r -> daemon(r, "job-run"));
  private final Set<String> started = ConcurrentHashMap.newKeySet();
  private final Map<String, String> output = new ConcurrentHashMap<>();

  InProcessJobRunner(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    try {
      this.workDir = Files.createTempDirectory("in-process-jobs");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    watcher.scheduleWithFixedDelay(this::startNewJobs, 0, 100, TimeUnit.MILLISECONDS);
  }

  /** What the runs of a Job printed, for a failing test to show. */
  String output(String job) {
    return output.getOrDefault(job, "");
  }

  private void startNewJobs() {
    try {
      for (Job job : client.batch().v1().jobs().inNamespace(namespace).list().getItems()) {
        if (started.add(job.getMetadata().getUid())) {
          runs.submit(() -> run(job));
        }
      }
    } catch (RuntimeException e) {
      // the mock server is shutting down, or a transient error: the next round tries again
    }
  }

  private void run(Job job) {
    String name = job.getMetadata().getName();
    int backoffLimit = job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();
    int failed = 0;
    for (int attempt = 0; ; attempt++) {
      String pod = name + "-" + attempt + "-" + UUID.randomUUID().toString().substring(0, 5);
      createPod(job, pod);
      updateJob(job, j -> j.getStatus().setActive(1));
      Attempt result = runContainer(job, pod);
      if (!sameJobExists(job)) {
        client.pods().inNamespace(namespace).withLabel("controller-uid", job.getMetadata().getUid()).delete();
        return;
      }
      finishPod(pod, result);
      if (result.exitCode == 0) {
        updateJob(job, j -> {
          j.getStatus().setActive(0);
          j.getStatus().setSucceeded(1);
          j.getStatus().setCompletionTime(now());
          j.getStatus().setConditions(List.of(condition("Complete", null, null)));
        });
        return;
      }
      failed++;
      int failedSoFar = failed;
      String failJob = failJobRule(job, result.exitCode);
      if (failJob != null || failed > backoffLimit) {
        JobCondition condition = failJob != null
            ? condition("Failed", "PodFailurePolicy", "Container " + job.getSpec().getTemplate().getSpec()
                .getContainers().get(0).getName() + " for pod " + namespace + "/" + pod + " failed with exit code "
                + result.exitCode + " matching FailJob rule at index " + failJob)
            : condition("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
        updateJob(job, j -> {
          j.getStatus().setActive(0);
          j.getStatus().setFailed(failedSoFar);
          j.getStatus().setConditions(List.of(condition));
        });
        return;
      }
      updateJob(job, j -> j.getStatus().setFailed(failedSoFar));
    }
  }

  private Attempt runContainer(Job job, String pod) {
    var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    Path terminationLog = workDir.resolve(pod + ".termination-log");
    Map<String, String> env = new HashMap<>();
    for (EnvVar variable : container.getEnv()) {
      env.put(variable.getName(), value(variable));
    }
    env.put("TERMINATION_LOG", terminationLog.toString());
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int exitCode;
    try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      exitCode = Main.run(container.getArgs(), env, out, out);
    } catch (RuntimeException e) {
      exitCode = 1;
    }
    String log = printed.toString(StandardCharsets.UTF_8);
    output.merge(job.getMetadata().getName(), log, String::concat);
    String message;
    try {
      message = Files.exists(terminationLog) ? Files.readString(terminationLog) : "";
    } catch (IOException e) {
      message = "";
    }
    // FallbackToLogsOnError: a failed container without a termination message shows the tail of its log.
    if (message.isEmpty() && exitCode != 0) {
      message = log.length() > 2048 ? log.substring(log.length() - 2048) : log;
    }
    return new Attempt(exitCode, message);
  }

  private String value(EnvVar variable) {
    if (variable.getValueFrom() == null || variable.getValueFrom().getSecretKeyRef() == null) {
      return variable.getValue();
    }
    var ref = variable.getValueFrom().getSecretKeyRef();
    Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
    if (secret.getStringData() != null && secret.getStringData().containsKey(ref.getKey())) {
      return secret.getStringData().get(ref.getKey());
    }
    return new String(Base64.getDecoder().decode(secret.getData().get(ref.getKey())), StandardCharsets.UTF_8);
  }

  /** The index of the FailJob rule matching this exit code, or null. */
  private static String failJobRule(Job job, int exitCode) {
    if (job.getSpec().getPodFailurePolicy() == null) {
      return null;
    }
    List<PodFailurePolicyRule> rules = job.getSpec().getPodFailurePolicy().getRules();
    for (int i = 0; i < rules.size(); i++) {
      PodFailurePolicyRule rule = rules.get(i);
      if ("FailJob".equals(rule.getAction()) && rule.getOnExitCodes() != null
          && "In".equals(rule.getOnExitCodes().getOperator()) && rule.getOnExitCodes().getValues().contains(exitCode)) {
        return String.valueOf(i);
      }
    }
    return null;
  }

  private void createPod(Job job, String pod) {
    client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(pod)
        .withNamespace(namespace).addToLabels("job-name", job.getMetadata().getName())
        .addToLabels("controller-uid", job.getMetadata().getUid()).endMetadata()
        .withSpec(job.getSpec().getTemplate().getSpec())
        .withNewStatus().withPhase("Running").endStatus().build()).create();
  }

  private void finishPod(String pod, Attempt result) {
    client.pods().inNamespace(namespace).withName(pod).editStatus(p -> {
      p.getStatus().setPhase(result.exitCode == 0 ? "Succeeded" : "Failed");
      p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName("main").withNewState()
          .withNewTerminated().withExitCode(result.exitCode).withReason(result.exitCode == 0 ? "Completed" : "Error")
          .withMessage(result.message).withFinishedAt(now()).endTerminated().endState().build()));
      return p;
    });
  }

  private boolean sameJobExists(Job job) {
    Job current = client.batch().v1().jobs().inNamespace(namespace).withName(job.getMetadata().getName()).get();
    return current != null && current.getMetadata().getUid().equals(job.getMetadata().getUid());
  }

  private void updateJob(Job job, Consumer<Job> change) {
    if (!sameJobExists(job)) {
      return;
    }
    client.batch().v1().jobs().inNamespace(namespace).withName(job.getMetadata().getName()).editStatus(j -> {
      if (j.getStatus() == null) {
        j.setStatus(new JobStatus());
        j.getStatus().setStartTime(now());
      }
      change.accept(j);
      return j;
    });
  }

  private static JobCondition condition(String type, String reason, String message) {
    return new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).withMessage(message)
        .withLastTransitionTime(now()).build();
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }

  /**
   * Waits for the runs still going (a fenced replay takes a few seconds to close its producer): a replay still
   * running when the JVM exits would end it through its SIGTERM handling, with the replay's exit code.
   */
  @Override
  public void close() {
    watcher.shutdownNow();
    runs.shutdown();
    try {
      if (!runs.awaitTermination(60, TimeUnit.SECONDS)) {
        runs.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      runs.shutdownNow();
    }
  }

  private record Attempt(int exitCode, String message) {
  }
}
