package io.reducer.testsupport.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;

/** The three probes of a container, in the order kubelet gates them: startup first, then the other two. */
enum ProbeKind {
  STARTUP, READINESS, LIVENESS;

  Probe of(Container container) {
    return switch (this) {
      case STARTUP -> container.getStartupProbe();
      case READINESS -> container.getReadinessProbe();
      case LIVENESS -> container.getLivenessProbe();
    };
  }

  /** Kubernetes' default failureThreshold is 3 for every probe. */
  int failureThreshold(Container container) {
    Integer threshold = of(container).getFailureThreshold();
    return threshold == null || threshold < 1 ? 3 : threshold;
  }
}
