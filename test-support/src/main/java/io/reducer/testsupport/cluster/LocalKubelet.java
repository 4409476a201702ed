package io.reducer.testsupport.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.reducer.testsupport.internal.Hold;
import io.reducer.testsupport.kubernetes.PodEndpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Test infrastructure: a local cluster that plays kubelet and the built-in Deployment, Job and garbage collection
 * controllers against any Kubernetes API, in practice the fabric8 mock server, which stores objects but runs
 * nothing. Deployment and Job pods run as child JVMs of the main classes an {@link ImageCatalog} names for their
 * images; their status, restarts, probes and termination messages are reported like a node would. It is not a
 * Kubernetes implementation: docs/local-cluster.md lists what it emulates and what it simplifies.
 *
 * <p>One worker thread decides everything: watch events, a periodic resync, process exits and probe results all
 * queue a reconcile pass. Statuses are written through the status subresource. {@link #close()} and a JVM shutdown
 * hook stop every child process; a child also ends itself if the test JVM disappears.
 */
public final class LocalKubelet implements PodEndpoints, AutoCloseable {

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

  private final Path workDir;
  private final LocalKubeletOptions options;
  private final ClusterApi api;
  private final Worker worker = new Worker();
  private final Kubelet kubelet;
  private final List<SharedIndexInformer<? extends HasMetadata>> informers = new ArrayList<>();
  private final Thread shutdownHook;
  private boolean closed;

  private LocalKubelet(KubernetesClient client, ImageCatalog images, Path workDir, LocalKubeletOptions options) {
    this.workDir = workDir;
    this.options = options;
    this.api = new ClusterApi(client);
    this.kubelet = new Kubelet(api, images, workDir, options, worker);
    this.shutdownHook = new Thread(kubelet::killAllNow, "local-kubelet-cleanup");
    JobController jobs = new JobController(api, kubelet, worker, options);
    DeploymentController deployments = new DeploymentController(api, kubelet);
    GarbageCollector collector = new GarbageCollector(api, kubelet);
    worker.onPass(() -> {
      // Pods first, so the controllers see the statuses this pass wrote.
      List<Pod> pods = kubelet.sync(api.pods());
      jobs.reconcile(api.jobs(), pods);
      deployments.reconcile(api.deployments(), pods);
    });
    worker.onSweep(collector::sweep);
  }

  /**
   * Starts the local cluster on {@code client}'s API. Logs and per-pod directories go to {@code workDir}, which the
   * caller owns and deletes.
   */
  public static LocalKubelet start(KubernetesClient client, ImageCatalog images, Path workDir,
      LocalKubeletOptions options) {
    try {
      Files.createDirectories(workDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LocalKubelet cluster = new LocalKubelet(client, images, workDir, options);
    try {
      cluster.startWatching(client);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** Like {@link #start(KubernetesClient, ImageCatalog, Path, LocalKubeletOptions)} with the default timings. */
  public static LocalKubelet start(KubernetesClient client, ImageCatalog images, Path workDir) {
    return start(client, images, workDir, LocalKubeletOptions.defaults());
  }

  private void startWatching(KubernetesClient client) {
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    ResourceEventHandler<HasMetadata> trigger = new ResourceEventHandler<>() {
      @Override
      public void onAdd(HasMetadata object) {
        worker.requestPass();
      }

      @Override
      public void onUpdate(HasMetadata previous, HasMetadata object) {
        worker.requestPass();
      }

      @Override
      public void onDelete(HasMetadata object, boolean finalStateUnknown) {
        worker.requestPass();
        worker.requestSweep();
      }
    };
    informers.add(client.pods().inAnyNamespace().inform(trigger));
    informers.add(client.apps().deployments().inAnyNamespace().inform(trigger));
    informers.add(client.batch().v1().jobs().inAnyNamespace().inform(trigger));
    // Secrets and ConfigMaps unblock pods waiting for them; all four kinds can own objects.
    informers.add(client.secrets().inAnyNamespace().inform(trigger));
    informers.add(client.configMaps().inAnyNamespace().inform(trigger));
    informers.add(client.services().inAnyNamespace().inform(trigger));
    worker.every(options.resyncPeriod(), worker::requestPass);
    worker.every(options.gcPeriod(), worker::requestSweep);
    worker.requestPass();
  }

  /**
   * SIGKILL to the pod's process ({@code kill -9}), as a crash or the OOM killer would; returns once it is dead. A
   * Deployment pod is then restarted in place (restartCount + 1, after the restart backoff); a Job pod with
   * restartPolicy Never fails.
   *
   * @throws IllegalStateException if the pod has no running process
   */
  public void kill(String namespace, String podName) {
    Process process = worker.call(() -> kubelet.kill(namespace, podName), CALL_TIMEOUT);
    try {
      process.onExit().get(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("pod " + namespace + "/" + podName + " survived SIGKILL", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Keeps the pods of Job {@code namespace/job} (label job-name), existing or yet to be created, in ContainerCreating
   * until the returned handle is closed: a phase that waits for the Job stays open for as long as a test needs.
   */
  public Hold holdJobPods(String namespace, String job) {
    worker.call(() -> {
      kubelet.holdJobPods(namespace, job, true);
      return null;
    }, CALL_TIMEOUT);
    return () -> worker.call(() -> {
      kubelet.holdJobPods(namespace, job, false);
      return null;
    }, CALL_TIMEOUT);
  }

  /**
   * Keeps the pods of Job {@code namespace/job}, existing or yet to be created, from exiting once their work is done
   * (their result printed and written, their JVM in {@code System.exit}) until the returned handle is closed: a test
   * can then kill one after it committed and before Kubernetes learns how it ended. A held pod prints
   * {@link PodMain#EXIT_HELD}.
   */
  public Hold holdJobPodExits(String namespace, String job) {
    Path gate = ContainerLauncher.exitGate(workDir, namespace, job);
    try {
      Files.createDirectories(gate.getParent());
      Files.writeString(gate, "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return () -> {
      try {
        Files.deleteIfExists(gate);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  /** Forces the pod's readiness to false (or lets its probe decide again), as a failing readiness probe would. */
  public void setUnready(String namespace, String podName, boolean unready) {
    worker.call(() -> {
      kubelet.setUnready(namespace, podName, unready);
      return null;
    }, CALL_TIMEOUT);
  }

  /** The pod's combined stdout and stderr so far, across restarts; empty if it never ran. */
  public String logs(String namespace, String podName) {
    Path file = logFile(namespace, podName);
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The pod's output for the API's {@code pods/NAME/log}; empty if the pod never ran here. */
  @Override
  public Optional<String> log(String namespace, String pod) {
    return Files.exists(logFile(namespace, pod)) ? Optional.of(logs(namespace, pod)) : Optional.empty();
  }

  /**
   * The local port behind the pod's {@code containerPort}, for the API's {@code pods/NAME:PORT/proxy}: the relocated
   * one for a declared port, the number itself for an undeclared one; empty before the pod first started.
   */
  @Override
  public OptionalInt localPort(String namespace, String pod, int containerPort) {
    // Not through the worker: this runs on the API server's request thread (see Kubelet#localPort).
    return kubelet.localPort(namespace, pod, containerPort);
  }

  /** Where the pod's output goes: {@code workDir/<namespace>/<pod>.log}. */
  public Path logFile(String namespace, String podName) {
    return ContainerLauncher.logFile(workDir, namespace, podName);
  }

  /** The pod's termination log (what {@code TERMINATION_LOG} names); the kubelet reads it when the process ends. */
  public Path terminationLog(String namespace, String podName) {
    return ContainerLauncher.terminationLog(workDir, namespace, podName);
  }

  /** The pid of the pod's running process, if it has one. */
  public OptionalLong pid(String namespace, String podName) {
    return worker.call(() -> kubelet.find(namespace, podName).filter(PodRuntime::hasLiveProcess)
        .map(runtime -> OptionalLong.of(runtime.run.process.pid())).orElse(OptionalLong.empty()), CALL_TIMEOUT);
  }

  /** Deployments, Jobs and Pods with their status, processes and last log lines: for a failing test's message. */
  public String dump() {
    try {
      return worker.call(() -> ClusterDump.render(api, kubelet, workDir), CALL_TIMEOUT);
    } catch (RuntimeException e) {
      return "(local cluster dump failed: " + e + ")";
    }
  }

  /** Stops watching and deciding, then every process: SIGTERM, and SIGKILL after the termination grace cap. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    informers.forEach(SharedIndexInformer::stop);
    worker.shutdown(CALL_TIMEOUT);
    kubelet.stopAll(options.terminationGraceCap());
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run
    }
  }
}
