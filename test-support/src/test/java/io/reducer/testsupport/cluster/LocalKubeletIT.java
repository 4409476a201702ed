package io.reducer.testsupport.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.reducer.testsupport.internal.Hold;
import io.reducer.testsupport.internal.TempDirs;
import io.reducer.testsupport.kubernetes.MockKubernetes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The local cluster against the mock API, with real child JVMs running {@link TestWorkload}. */
class LocalKubeletIT {

  private static final String IMAGE = "registry.example/acme/test-workload:1.0";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  private static MockKubernetes kubernetes;
  private static KubernetesClient client;
  private static Path workDir;
  private static LocalKubelet cluster;

  @BeforeAll
  static void start() {
    kubernetes = MockKubernetes.withCrds(List.of());
    client = kubernetes.client();
    workDir = TempDirs.create("local-cluster-");
    ImageEntry workload = ImageEntry.of("test-workload", TestWorkload.class.getName())
        .withPortEnv("http", TestWorkload.PORT_VARIABLE);
    Duration quick = Duration.ofMillis(200);
    cluster = LocalKubelet.start(client, ImageCatalog.of(workload), workDir, LocalKubeletOptions.defaults()
        .withResyncPeriod(quick).withProbePeriod(quick).withGcPeriod(quick)
        .withRestartBackoff(Duration.ofMillis(300)).withJobBackoff(Duration.ofMillis(300)));
    kubernetes.servePods(cluster);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (kubernetes != null) {
      kubernetes.close();
    }
    TempDirs.deleteQuietly(workDir);
  }

  @Test
  void deploymentKeepsItsReplicasRunningAndReady() {
    String ns = namespace();
    client.resource(deployment(ns, "web", 2, "RollingUpdate", "serve")).create();
    awaitReadyPods(ns, "web", 2);
    for (Pod pod : pods(ns)) {
      String hash = pod.getMetadata().getLabels().get("pod-template-hash");
      assertThat(pod.getMetadata().getName()).matches("web-" + hash + "-[a-z0-9]{5}");
      assertThat(pod.getMetadata().getLabels()).containsEntry("app", "web");
      assertThat(pod.getStatus().getPodIP()).isEqualTo("127.0.0.1");
      assertThat(pod.getStatus().getConditions()).extracting("type")
          .contains("PodScheduled", "Initialized", "ContainersReady", "Ready");
    }

    scale(ns, "web", 3);
    awaitReadyPods(ns, "web", 3);
    scale(ns, "web", 1);
    awaitReadyPods(ns, "web", 1);
    DeploymentStatus status = deployment(ns, "web").getStatus();
    assertThat(status.getObservedGeneration()).isEqualTo(deployment(ns, "web").getMetadata().getGeneration());
    assertThat(status.getConditions()).anySatisfy(condition -> {
      assertThat(condition.getType()).isEqualTo("Available");
      assertThat(condition.getStatus()).isEqualTo("True");
    });
  }

  @Test
  void theApiServesPodLogsAndProxiesToTheContainerPortAsAClusterWould() {
    String ns = namespace();
    client.resource(deployment(ns, "web", 1, "RollingUpdate", "say=hello from the pod", "serve")).create();
    awaitReadyPods(ns, "web", 1);
    String pod = pods(ns).get(0).getMetadata().getName();

    assertThat(client.pods().inNamespace(ns).withName(pod).getLog()).contains("hello from the pod");
    // The template's containerPort 8080, not the local port the kubelet relocated it to.
    String proxied = client.raw(client.getMasterUrl() + "api/v1/namespaces/" + ns + "/pods/" + pod
        + ":8080/proxy/anything");
    assertThat(proxied).isEqualTo("ok");
    assertThat(client.raw(client.getMasterUrl() + "api/v1/namespaces/" + ns + "/pods/no-such-pod:8080/proxy/"))
        .as("a pod the local cluster does not run").isNull();
  }

  @Test
  void recreateRolloutStartsNewPodsOnlyAfterTheOldProcessesExited() {
    String ns = namespace();
    String generation1 = workDir.resolve(ns + "-generation-1.lock").toString();
    String generation2 = workDir.resolve(ns + "-generation-2.lock").toString();
    // Old pods hold a lock and take 1.5 s to stop; a new pod started while one lives finds the lock taken.
    client.resource(deployment(ns, "db", 2, "Recreate", "hold=" + generation1, "shutdown-delay=1500", "serve"))
        .create();
    awaitReadyPods(ns, "db", 2);
    List<Long> oldPids = pods(ns).stream().map(pod -> pid(ns, pod)).toList();

    client.apps().deployments().inNamespace(ns).withName("db").edit(deployment -> {
      deployment.getSpec().getTemplate().getSpec().getContainers().get(0)
          .setArgs(List.of("check-free=" + generation1, "hold=" + generation2, "serve"));
      return deployment;
    });
    awaitReadyPods(ns, "db", 2);
    List<Pod> pods = pods(ns);
    assertThat(names(pods)).hasSize(2);
    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      assertThat(pod.getSpec().getContainers().get(0).getArgs()).as(name).contains("hold=" + generation2);
      assertThat(cluster.logs(ns, name)).as(name).doesNotContain("overlap");
      assertThat(container(pod).getRestartCount()).as(name + " restarts").isZero();
    }
    assertThat(oldPids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
  }

  @Test
  void jobThatSucceedsIsCompleteWithTheTerminationMessageOnItsPod() {
    String ns = namespace();
    client.resource(job(ns, "once", null, "say=working", "message={\"result\":\"done\"}", "exit=0")).create();
    await("Job complete", () -> {
      Job job = job(ns, "once");
      assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
      assertThat(job.getStatus().getCompletionTime()).isNotNull();
      assertThat(job.getStatus().getConditions()).extracting(JobCondition::getType, JobCondition::getStatus)
          .containsExactly(tuple("SuccessCriteriaMet", "True"),
              tuple("Complete", "True"));
    });
    Pod pod = single(pods(ns));
    assertThat(pod.getMetadata().getName()).matches("once-[a-z0-9]{5}");
    assertThat(pod.getMetadata().getLabels()).containsEntry("job-name", "once")
        .containsEntry("batch.kubernetes.io/job-name", "once")
        .containsEntry("controller-uid", job(ns, "once").getMetadata().getUid());
    assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
    ContainerStateTerminated terminated = container(pod).getState().getTerminated();
    assertThat(terminated.getExitCode()).isZero();
    assertThat(terminated.getReason()).isEqualTo("Completed");
    assertThat(terminated.getMessage()).isEqualTo("{\"result\":\"done\"}");
    assertThat(cluster.logs(ns, pod.getMetadata().getName())).contains("working");
  }

  @Test
  void heldJobPodWaitsInContainerCreatingUntilReleased() {
    String ns = namespace();
    Hold hold = cluster.holdJobPods(ns, "held");
    client.resource(job(ns, "held", null, "exit=0")).create();
    client.resource(job(ns, "free", null, "exit=0")).create();
    // The Job created with it has run to the end meanwhile: the held pod had every chance to start.
    awaitComplete(ns, "free");
    Pod held = single(client.pods().inNamespace(ns).withLabel("job-name", "held").list().getItems());
    assertThat(held.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(container(held).getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
    assertThat(cluster.pid(ns, held.getMetadata().getName())).isEmpty();

    hold.close();
    awaitComplete(ns, "held");
    assertThat(job(ns, "held").getStatus().getSucceeded()).isEqualTo(1);
  }

  @Test
  void heldJobPodExitWaitsAfterItsWorkUntilReleasedOrKilled() {
    String ns = namespace();
    try (Hold exits = cluster.holdJobPodExits(ns, "killed"); Hold others = cluster.holdJobPodExits(ns, "released")) {
      Job killed = job(ns, "killed", null, "message={\"result\":\"done\"}", "exit=0");
      killed.getSpec().setBackoffLimit(0);
      client.resource(killed).create();
      client.resource(job(ns, "released", null, "exit=0")).create();
      for (String job : List.of("killed", "released")) {
        await("pod of " + job + " held at its exit", () -> {
          Pod pod = single(client.pods().inNamespace(ns).withLabel("job-name", job).list().getItems());
          assertThat(cluster.logs(ns, pod.getMetadata().getName())).contains(PodMain.EXIT_HELD);
          assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
        });
      }
      Pod pod = single(client.pods().inNamespace(ns).withLabel("job-name", "killed").list().getItems());
      cluster.kill(ns, pod.getMetadata().getName());
      await("Job killed failed", () -> assertThat(job(ns, "killed").getStatus().getFailed()).isEqualTo(1));
      ContainerStateTerminated terminated = container(single(client.pods().inNamespace(ns)
          .withLabel("job-name", "killed").list().getItems())).getState().getTerminated();
      assertThat(terminated.getExitCode()).isEqualTo(137);
      assertThat(terminated.getMessage()).as("written before the exit").isEqualTo("{\"result\":\"done\"}");

      others.close();
      awaitComplete(ns, "released");
    }
  }

  @Test
  void jobThatFailsIsRetriedUntilItsBackoffLimitWithTheLogAsMessage() {
    String ns = namespace();
    Job job = job(ns, "broken", null, "say=cannot reach the broker", "exit=1");
    job.getSpec().setBackoffLimit(1);
    job.getSpec().getTemplate().getSpec().getContainers().get(0).setTerminationMessagePolicy("FallbackToLogsOnError");
    client.resource(job).create();
    await("Job failed", () -> {
      Job current = job(ns, "broken");
      assertThat(current.getStatus().getFailed()).isEqualTo(2);
      assertThat(current.getStatus().getConditions()).extracting(JobCondition::getType)
          .containsExactly("FailureTarget", "Failed");
      assertThat(current.getStatus().getConditions()).allSatisfy(condition ->
          assertThat(condition.getReason()).isEqualTo("BackoffLimitExceeded"));
    });
    List<Pod> pods = pods(ns);
    assertThat(names(pods)).hasSize(2);
    for (Pod pod : pods) {
      assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
      ContainerStateTerminated terminated = container(pod).getState().getTerminated();
      assertThat(terminated.getExitCode()).isEqualTo(1);
      assertThat(terminated.getReason()).isEqualTo("Error");
      assertThat(terminated.getMessage()).isEqualTo("cannot reach the broker");
    }
  }

  @Test
  void jobPastItsDeadlineIsKilledAndFailed() {
    String ns = namespace();
    Job job = job(ns, "slow", null, "serve");
    job.getSpec().setActiveDeadlineSeconds(1L);
    client.resource(job).create();
    await("Job failed", () -> assertThat(job(ns, "slow").getStatus().getConditions())
        .anySatisfy(condition -> {
          assertThat(condition.getType()).isEqualTo("Failed");
          assertThat(condition.getReason()).isEqualTo("DeadlineExceeded");
        }));
    assertThat(names(pods(ns))).isEmpty();
  }

  @Test
  void environmentComesFromSecretsTheDownwardApiAndEarlierVariables() {
    String ns = namespace();
    client.resource(new SecretBuilder().withNewMetadata().withName("creds").withNamespace(ns).endMetadata()
        .addToData("password", Base64.getEncoder().encodeToString("s3cret".getBytes(StandardCharsets.UTF_8)))
        .addToStringData("user", "alice").build()).create();
    client.resource(job(ns, "env", List.of(fromSecret("PASSWORD", "creds", "password"),
        fromSecret("USER_NAME", "creds", "user"),
        new EnvVarBuilder().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
            .endFieldRef().endValueFrom().build(),
        new EnvVarBuilder().withName("GREETING").withValue("hello $(USER_NAME)").build()),
        "print-env", "exit=0")).create();
    awaitComplete(ns, "env");
    Pod pod = single(pods(ns));
    assertThat(cluster.logs(ns, pod.getMetadata().getName())).contains("PASSWORD=s3cret", "USER_NAME=alice",
        "POD_NAME=" + pod.getMetadata().getName(), "GREETING=hello alice", "HOSTNAME=" + pod.getMetadata().getName());
  }

  @Test
  void missingSecretKeepsThePodPendingUntilTheSecretExists() {
    String ns = namespace();
    client.resource(job(ns, "late", List.of(fromSecret("TOKEN", "later", "token")), "print-env", "exit=0")).create();
    await("pod waiting for its Secret", () -> {
      Pod pod = single(pods(ns));
      assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
      assertThat(container(pod).getState().getWaiting().getReason()).isEqualTo("CreateContainerConfigError");
      assertThat(container(pod).getState().getWaiting().getMessage()).isEqualTo("secret \"later\" not found");
    });
    client.resource(new SecretBuilder().withNewMetadata().withName("later").withNamespace(ns).endMetadata()
        .addToStringData("token", "t0k3n").build()).create();
    awaitComplete(ns, "late");
    assertThat(cluster.logs(ns, single(pods(ns)).getMetadata().getName())).contains("TOKEN=t0k3n");
  }

  @Test
  void imageOutsideTheCatalogStaysPendingWithErrImagePull() {
    String ns = namespace();
    Deployment deployment = deployment(ns, "nginx", 1, "RollingUpdate", "serve");
    deployment.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("docker.io/library/nginx:1.27");
    client.resource(deployment).create();
    await("pod cannot pull", () -> {
      Pod pod = single(pods(ns));
      assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
      assertThat(container(pod).getState().getWaiting().getReason()).isEqualTo("ErrImagePull");
      assertThat(container(pod).getState().getWaiting().getMessage())
          .contains("only runs the images in its catalog (test-workload)");
      DeploymentStatus status = deployment(ns, "nginx").getStatus();
      assertThat(status.getReplicas()).isEqualTo(1);
      assertThat(status.getReadyReplicas()).isNull();
      assertThat(status.getUnavailableReplicas()).isEqualTo(1);
    });
  }

  @Test
  void killedPodRestartsInPlaceAndDeletedPodIsReplaced() {
    String ns = namespace();
    client.resource(deployment(ns, "crashy", 1, "RollingUpdate", "serve")).create();
    awaitReadyPods(ns, "crashy", 1);
    String name = single(pods(ns)).getMetadata().getName();
    long firstPid = pid(ns, single(pods(ns)));

    cluster.kill(ns, name);
    await("restarted in place", () -> {
      Pod pod = single(pods(ns));
      assertThat(pod.getMetadata().getName()).isEqualTo(name);
      assertThat(container(pod).getRestartCount()).isEqualTo(1);
      assertThat(container(pod).getReady()).isTrue();
      assertThat(container(pod).getLastState().getTerminated().getExitCode()).isEqualTo(137);
    });
    assertThat(pid(ns, single(pods(ns)))).isNotEqualTo(firstPid);

    cluster.setUnready(ns, name, true);
    await("unready", () -> assertThat(deployment(ns, "crashy").getStatus().getReadyReplicas()).isNull());
    cluster.setUnready(ns, name, false);
    awaitReadyPods(ns, "crashy", 1);

    long secondPid = pid(ns, single(pods(ns)));
    client.pods().inNamespace(ns).withName(name).delete();
    await("replaced", () -> {
      Pod pod = single(pods(ns));
      assertThat(pod.getMetadata().getName()).isNotEqualTo(name);
      assertThat(container(pod).getReady()).isTrue();
      assertThat(ProcessHandle.of(secondPid).filter(ProcessHandle::isAlive)).isEmpty();
    });
  }

  @Test
  void deletingTheOwnerCollectsItsJobsDeploymentsPodsAndProcesses() {
    String ns = namespace();
    ConfigMap owner = client.resource(new ConfigMapBuilder().withNewMetadata().withName("owner").withNamespace(ns)
        .endMetadata().build()).create();
    OwnerReference reference = Owners.controllerReference(owner);
    Job job = job(ns, "owned-job", null, "serve");
    job.getMetadata().setOwnerReferences(List.of(reference));
    client.resource(job).create();
    Deployment deployment = deployment(ns, "owned-web", 1, "RollingUpdate", "serve");
    deployment.getMetadata().setOwnerReferences(List.of(reference));
    client.resource(deployment).create();
    await("both pods run", () -> {
      assertThat(names(pods(ns))).hasSize(2);
      pods(ns).forEach(pod -> assertThat(cluster.pid(ns, pod.getMetadata().getName())).isPresent());
    });
    List<Long> pids = pods(ns).stream().map(pod -> pid(ns, pod)).toList();

    client.resource(owner).delete();
    await("all collected", () -> {
      assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems()).isEmpty();
      assertThat(client.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
      assertThat(names(pods(ns))).isEmpty();
      assertThat(pids).allSatisfy(pid ->
          assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
    });
  }

  // --- fixtures

  private static String namespace() {
    return "t" + NAMESPACES.incrementAndGet();
  }

  private static Deployment deployment(String ns, String name, int replicas, String strategy, String... args) {
    return new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withNewSpec().withReplicas(replicas)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewStrategy().withType(strategy).endStrategy()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withSpec(podSpec(null, args)).endTemplate()
        .endSpec().build();
  }

  private static Job job(String ns, String name, List<EnvVar> env, String... args) {
    PodSpec spec = podSpec(env, args);
    spec.setRestartPolicy("Never");
    return new JobBuilder()
        .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withNewSpec().withNewTemplate().withSpec(spec).endTemplate().endSpec()
        .build();
  }

  private static PodSpec podSpec(List<EnvVar> env, String... args) {
    return new PodSpecBuilder().addToContainers(new ContainerBuilder()
            .withName("main").withImage(IMAGE).withArgs(args).withEnv(env == null ? List.of() : env)
            .addNewPort().withName("http").withContainerPort(8080).endPort()
            .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withPort(new IntOrString("http"))
            .endHttpGet().withPeriodSeconds(5).endReadinessProbe()
            .withNewLivenessProbe().withNewHttpGet().withPath("/health").withPort(new IntOrString("http"))
            .endHttpGet().withPeriodSeconds(10).endLivenessProbe()
            .build())
        .build();
  }

  private static EnvVar fromSecret(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key)
        .endSecretKeyRef().endValueFrom().build();
  }

  private static void scale(String ns, String name, int replicas) {
    client.apps().deployments().inNamespace(ns).withName(name).edit(deployment -> {
      deployment.getSpec().setReplicas(replicas);
      return deployment;
    });
  }

  private static void awaitReadyPods(String ns, String name, int replicas) {
    await(replicas + " ready pods of " + ns + "/" + name, () -> {
      Deployment deployment = deployment(ns, name);
      assertThat(deployment.getStatus().getObservedGeneration()).isEqualTo(deployment.getMetadata().getGeneration());
      assertThat(deployment.getStatus().getReadyReplicas()).isEqualTo(replicas);
      assertThat(deployment.getStatus().getReplicas()).isEqualTo(replicas);
      assertThat(deployment.getStatus().getUpdatedReplicas()).isEqualTo(replicas);
      List<Pod> pods = pods(ns);
      assertThat(names(pods)).hasSize(replicas);
      for (Pod pod : pods) {
        assertThat(pod.getStatus().getPhase()).as(pod.getMetadata().getName()).isEqualTo("Running");
        assertThat(container(pod).getReady()).as(pod.getMetadata().getName() + " ready").isTrue();
      }
    });
  }

  private static void awaitComplete(String ns, String name) {
    await("Job " + ns + "/" + name + " complete", () -> assertThat(job(ns, name).getStatus().getConditions())
        .anySatisfy(condition -> assertThat(condition.getType()).isEqualTo("Complete")));
  }

  private static Deployment deployment(String ns, String name) {
    return client.apps().deployments().inNamespace(ns).withName(name).get();
  }

  private static Job job(String ns, String name) {
    return client.batch().v1().jobs().inNamespace(ns).withName(name).get();
  }

  private static List<Pod> pods(String ns) {
    return client.pods().inNamespace(ns).list().getItems();
  }

  private static List<String> names(List<Pod> pods) {
    return pods.stream().map(pod -> pod.getMetadata().getName()).toList();
  }

  private static Pod single(List<Pod> pods) {
    assertThat(names(pods)).hasSize(1);
    return pods.get(0);
  }

  private static ContainerStatus container(Pod pod) {
    assertThat(pod.getStatus()).as("status of " + pod.getMetadata().getName()).isNotNull();
    return pod.getStatus().getContainerStatuses().get(0);
  }

  private static long pid(String ns, Pod pod) {
    return cluster.pid(ns, pod.getMetadata().getName()).orElseThrow();
  }

  /** Retries {@code assertion} until it passes; on timeout fails with the last error and the cluster's dump. */
  private static void await(String what, Runnable assertion) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError | RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("timed out waiting for " + what + ": " + e.getMessage() + "\n" + cluster.dump(),
              e);
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}
