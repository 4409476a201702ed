package io.reducer.testsupport.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * What the local kubelet knows about one pod: its container's current run or why it waits, restarts, probe
 * results. Touched only by the worker thread.
 */
final class PodRuntime {

  final String uid;
  final String namespace;
  final String name;
  /** Order in which pods were first seen, to tell newer from older when creationTimestamp ties. */
  final long sequence;
  final Instant firstSeen;

  volatile Pod pod;
  ContainerRun run;
  String waitingReason;
  String waitingMessage;
  /** The most recent run's end and the one before it: state/lastState of the container status. */
  Termination last;
  Termination previous;
  int restartCount;
  Instant backoffUntil;
  Duration backoff;
  boolean terminal;

  boolean started;
  /** Passed a probe once since this run started; liveness failures count only from then on. */
  boolean answered;
  boolean probedReady;
  boolean forcedUnready;
  final int[] probeFailures = new int[ProbeKind.values().length];
  boolean reportedReady;
  Instant readyTransition;

  /**
   * Local ports for the container's declared ports, fixed at the first start so restarts keep them. Volatile: the
   * API server's pod proxy reads them outside the worker.
   */
  volatile int[] localPorts;

  PodRuntime(Pod pod, long sequence, Instant now) {
    this.uid = pod.getMetadata().getUid();
    this.namespace = pod.getMetadata().getNamespace();
    this.name = pod.getMetadata().getName();
    this.sequence = sequence;
    this.firstSeen = now;
    this.readyTransition = now;
    this.pod = pod;
  }

  Container container() {
    return pod.getSpec().getContainers().get(0);
  }

  String restartPolicy() {
    String policy = pod.getSpec().getRestartPolicy();
    return policy == null ? "Always" : policy;
  }

  boolean hasLiveProcess() {
    return run != null && run.process.isAlive();
  }

  void waiting(String reason, String message) {
    waitingReason = reason;
    waitingMessage = message;
  }

  void running(ContainerRun newRun) {
    if (last != null) {
      restartCount++;
    }
    run = newRun;
    waiting(null, null);
    backoffUntil = null;
    started = ProbeKind.STARTUP.of(container()) == null;
    probedReady = false;
    answered = false;
    Arrays.fill(probeFailures, 0);
  }

  /** Ready as the Ready condition says: running, started, probe passing (or none), not forced unready. */
  boolean ready() {
    boolean probed = ProbeKind.READINESS.of(container()) == null ? started : probedReady;
    return run != null && started && probed && !forcedUnready;
  }

  /** The local port for a probe's or the catalog's port: by name or number; an undeclared number as is. */
  int localPort(IntOrString port) {
    List<ContainerPort> declared = container().getPorts();
    for (int i = 0; i < declared.size(); i++) {
      ContainerPort candidate = declared.get(i);
      boolean match = port.getStrVal() != null ? port.getStrVal().equals(candidate.getName())
          : port.getIntVal() != null && port.getIntVal().equals(candidate.getContainerPort());
      if (match) {
        return localPorts[i];
      }
    }
    return port.getIntVal() != null ? port.getIntVal() : -1;
  }

  String describe() {
    return namespace + "/" + name;
  }
}
