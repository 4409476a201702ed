package io.reducer.testsupport.cluster;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent: runs every pod of the API as a child JVM, restarts containers by the pod's restartPolicy with a
 * CrashLoopBackOff, probes them, reports their status, and stops the process of a pod that was deleted (SIGTERM,
 * then SIGKILL after the capped grace period). Worker thread only, except {@link #killAllNow()}.
 */
final class Kubelet implements ProbeRunner.Results {

  private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);

  private final ClusterApi api;
  private final ImageCatalog images;
  private final LocalKubeletOptions options;
  private final Worker worker;
  private final ContainerLauncher launcher;
  private final ProbeRunner probes;
  private final Map<String, PodRuntime> pods = new LinkedHashMap<>();
  /** Deleted pods whose process has not exited yet: a Recreate rollout waits for them. */
  private final Map<String, PodRuntime> terminating = new HashMap<>();
  /** Every live child process, for the shutdown hook, which runs outside the worker. */
  private final Set<Process> live = ConcurrentHashMap.newKeySet();
  /**
   * Existing pods by namespace/name, readable outside the worker: the pod proxy runs on the API server's request
   * thread, and waiting there for the worker, which may itself wait for that API server, could deadlock.
   */
  private final Map<String, PodRuntime> byName = new ConcurrentHashMap<>();
  /** namespace/name of Jobs whose pods a test keeps from starting (see {@link LocalKubelet#holdJobPods}). */
  private final Set<String> heldJobs = new HashSet<>();
  private long sequence;
  private long runSerial;

  Kubelet(ClusterApi api, ImageCatalog images, Path workDir, LocalKubeletOptions options, Worker worker) {
    this.api = api;
    this.images = images;
    this.options = options;
    this.worker = worker;
    this.launcher = new ContainerLauncher(api, workDir);
    this.probes = new ProbeRunner(worker, this, options.probePeriod());
  }

  /** Brings every pod's process in line with the API and writes changed statuses; returns the pods as stored. */
  List<Pod> sync(List<Pod> apiPods) {
    Set<String> present = new HashSet<>();
    List<Pod> stored = new ArrayList<>();
    for (Pod pod : apiPods) {
      String uid = pod.getMetadata().getUid();
      PodRuntime runtime = pods.get(uid);
      // A pod marked for deletion (held by a finalizer) is terminated like a deleted one.
      if (pod.getMetadata().getDeletionTimestamp() != null || (runtime == null && isTerminal(pod))) {
        stored.add(pod);
        continue;
      }
      present.add(uid);
      if (runtime == null) {
        runtime = new PodRuntime(pod, sequence++, Instant.now());
        pods.put(uid, runtime);
        byName.put(runtime.namespace + "/" + runtime.name, runtime);
      }
      runtime.pod = pod;
      try {
        advance(runtime);
        stored.add(writeStatus(runtime));
      } catch (RuntimeException e) {
        if (interruptedBy(e)) {
          // The cluster is stopping and interrupted the worker mid-write: nothing went wrong, and the rest waits.
          Thread.currentThread().interrupt();
          return stored;
        }
        LOG.warn("could not sync pod {}", runtime.describe(), e);
        stored.add(pod);
      }
    }
    for (PodRuntime runtime : new ArrayList<>(pods.values())) {
      if (!present.contains(runtime.uid)) {
        terminate(runtime);
      }
    }
    return stored;
  }

  private static boolean interruptedBy(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof InterruptedException || cause instanceof InterruptedIOException) {
        return true;
      }
    }
    return Thread.currentThread().isInterrupted();
  }

  /** Starts terminating a pod a controller has just deleted, without waiting for the next pass to notice. */
  void deleted(Pod pod) {
    PodRuntime runtime = pods.get(pod.getMetadata().getUid());
    if (runtime != null) {
      terminate(runtime);
    }
  }

  /** Whether a process still runs for a pod (existing or deleted) that {@code pod} accepts. */
  boolean hasLiveProcess(Predicate<Pod> pod) {
    return runtimes().stream().anyMatch(runtime -> runtime.hasLiveProcess() && pod.test(runtime.pod));
  }

  /** Pods first, then deleted pods whose process still runs. */
  private Collection<PodRuntime> runtimes() {
    List<PodRuntime> all = new ArrayList<>(pods.values());
    all.addAll(terminating.values());
    return all;
  }

  /** Deleted pods whose process has not exited yet. */
  Collection<PodRuntime> terminating() {
    return List.copyOf(terminating.values());
  }

  Optional<PodRuntime> find(String namespace, String name) {
    return pods.values().stream()
        .filter(runtime -> runtime.namespace.equals(namespace) && runtime.name.equals(name)).findFirst();
  }

  /**
   * The local port behind the pod's {@code containerPort}; empty before the pod first started. Safe outside the
   * worker.
   */
  OptionalInt localPort(String namespace, String name, int containerPort) {
    PodRuntime runtime = byName.get(namespace + "/" + name);
    if (runtime == null || runtime.localPorts == null) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(runtime.localPort(new IntOrString(containerPort)));
  }

  /** Sends SIGKILL to the pod's process; its restart policy decides what follows. */
  Process kill(String namespace, String name) {
    PodRuntime runtime = find(namespace, name).filter(PodRuntime::hasLiveProcess)
        .orElseThrow(() -> new IllegalStateException("pod " + namespace + "/" + name + " has no running process"));
    return runtime.run.process.destroyForcibly();
  }

  void holdJobPods(String namespace, String job, boolean held) {
    if (held) {
      heldJobs.add(namespace + "/" + job);
    } else {
      heldJobs.remove(namespace + "/" + job);
    }
    worker.requestPass();
  }

  void setUnready(String namespace, String name, boolean unready) {
    PodRuntime runtime = find(namespace, name)
        .orElseThrow(() -> new IllegalStateException("no pod " + namespace + "/" + name + " on the local cluster"));
    runtime.forcedUnready = unready;
    worker.requestPass();
  }

  @Override
  public void onProbe(String podUid, long runSerial, ProbeKind kind, boolean success) {
    PodRuntime runtime = pods.get(podUid);
    if (runtime == null || runtime.run == null || runtime.run.serial != runSerial) {
      return;
    }
    if (kind != ProbeKind.STARTUP && !runtime.started) {
      return;
    }
    runtime.answered |= success;
    if (kind == ProbeKind.LIVENESS && !runtime.answered) {
      // Capped periods would kill a JVM that is still starting (a real cluster's 3 x 10 s give it 30 s).
      return;
    }
    int failures = success ? 0 : runtime.probeFailures[kind.ordinal()] + 1;
    runtime.probeFailures[kind.ordinal()] = failures;
    boolean failed = failures >= kind.failureThreshold(runtime.container());
    switch (kind) {
      case STARTUP -> {
        if (success && !runtime.started) {
          runtime.started = true;
          worker.requestPass();
        } else if (failed) {
          stop(runtime.run, runtime.pod);
        }
      }
      case READINESS -> {
        boolean ready = success || (runtime.probedReady && !failed);
        if (ready != runtime.probedReady) {
          runtime.probedReady = ready;
          worker.requestPass();
        }
      }
      case LIVENESS -> {
        if (failed) {
          LOG.info("liveness probe of pod {} failed {} times; restarting it", runtime.describe(), failures);
          runtime.probeFailures[kind.ordinal()] = 0;
          stop(runtime.run, runtime.pod);
        }
      }
      default -> throw new IllegalStateException(kind.name());
    }
  }

  /** Last resort for the JVM shutdown hook: SIGKILL to every child, no grace. Safe from any thread. */
  void killAllNow() {
    live.forEach(Process::destroyForcibly);
    for (Process process : live) {
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Stops every process: SIGTERM, then SIGKILL after {@code grace}. Once the worker has stopped. */
  void stopAll(Duration grace) {
    probes.shutdown();
    live.forEach(Process::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (Process process : live) {
      try {
        process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    killAllNow();
  }

  private void advance(PodRuntime runtime) {
    if (runtime.terminal || runtime.run != null) {
      return;
    }
    Instant now = Instant.now();
    if (runtime.backoffUntil != null && now.isBefore(runtime.backoffUntil)) {
      worker.passAfter(Duration.between(now, runtime.backoffUntil));
      return;
    }
    Map<String, String> labels = runtime.pod.getMetadata().getLabels();
    if (labels != null && heldJobs.contains(runtime.namespace + "/" + labels.get("job-name"))) {
      return; // ContainerCreating until the test lets it start
    }
    String image = runtime.container().getImage();
    Optional<ImageEntry> entry = images.find(image);
    if (entry.isEmpty()) {
      runtime.waiting("ErrImagePull", images.pullFailure(image));
      return;
    }
    ContainerRun run;
    try {
      run = launcher.launch(runtime, entry.get(), ++runSerial);
    } catch (ContainerConfigException e) {
      runtime.waiting("CreateContainerConfigError", e.getMessage());
      return;
    } catch (IOException e) {
      runtime.waiting("RunContainerError", "could not start the process: " + e.getMessage());
      return;
    }
    live.add(run.process);
    runtime.running(run);
    String uid = runtime.uid;
    run.process.onExit().thenRun(() -> worker.execute(() -> exited(uid, run)));
    probes.start(runtime, run);
    LOG.debug("pod {} started as process {}", runtime.describe(), run.process.pid());
  }

  private void exited(String uid, ContainerRun run) {
    live.remove(run.process);
    run.stopProbes();
    PodRuntime gone = terminating.get(uid);
    if (gone != null && gone.run == run) {
      terminating.remove(uid);
      worker.requestPass();
      return;
    }
    PodRuntime runtime = pods.get(uid);
    if (runtime == null || runtime.run != run) {
      return;
    }
    Instant now = Instant.now();
    int exitCode = run.process.exitValue();
    runtime.previous = runtime.last;
    runtime.last = Termination.of(run, exitCode, runtime.container().getTerminationMessagePolicy(), now);
    runtime.run = null;
    String policy = runtime.restartPolicy();
    if (policy.equals("Always") || (policy.equals("OnFailure") && exitCode != 0)) {
      runtime.backoff = nextBackoff(runtime, Duration.between(run.startedAt, now));
      runtime.backoffUntil = now.plus(runtime.backoff);
      runtime.waiting("CrashLoopBackOff", "back-off " + runtime.backoff.toMillis() + "ms restarting failed container="
          + runtime.container().getName() + " pod=" + runtime.name + "_" + runtime.namespace + "(" + uid + ")");
      worker.passAfter(runtime.backoff);
    } else {
      runtime.terminal = true;
    }
    worker.requestPass();
  }

  /** Doubles up to the cap; a container that ran for twice the cap starts over, as kubelet resets its backoff. */
  private Duration nextBackoff(PodRuntime runtime, Duration ran) {
    if (runtime.backoff == null || ran.compareTo(options.restartBackoffCap().multipliedBy(2)) >= 0) {
      return options.restartBackoff();
    }
    Duration doubled = runtime.backoff.multipliedBy(2);
    return doubled.compareTo(options.restartBackoffCap()) > 0 ? options.restartBackoffCap() : doubled;
  }

  private void terminate(PodRuntime runtime) {
    pods.remove(runtime.uid);
    byName.remove(runtime.namespace + "/" + runtime.name, runtime);
    if (runtime.hasLiveProcess()) {
      terminating.put(runtime.uid, runtime);
      stop(runtime.run, runtime.pod);
    }
  }

  /** SIGTERM now, SIGKILL once the pod's grace period (capped) is over. */
  private void stop(ContainerRun run, Pod pod) {
    run.stopProbes();
    run.process.destroy();
    Long podGrace = pod.getSpec().getTerminationGracePeriodSeconds();
    Duration grace = Duration.ofSeconds(podGrace == null ? 30 : podGrace);
    if (grace.compareTo(options.terminationGraceCap()) > 0) {
      grace = options.terminationGraceCap();
    }
    worker.schedule(() -> run.process.destroyForcibly(), grace);
  }

  private Pod writeStatus(PodRuntime runtime) {
    boolean ready = runtime.ready();
    if (ready != runtime.reportedReady) {
      runtime.reportedReady = ready;
      runtime.readyTransition = Instant.now();
    }
    PodStatus status = PodStatuses.of(runtime);
    if (status.equals(runtime.pod.getStatus())) {
      return runtime.pod;
    }
    Pod copy = api.client().getKubernetesSerialization().clone(runtime.pod);
    copy.setStatus(status);
    Pod written = api.writeStatus(copy);
    if (written != null) {
      runtime.pod = written;
    }
    return runtime.pod;
  }

  static boolean isTerminal(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }
}
