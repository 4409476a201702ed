package io.reducer.testsupport.kubernetes;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What serves a pod's {@code log} and {@code proxy} subresources on the mock API server, which stores pods but
 * runs none: the local cluster, which runs them. Kept as an interface so the API server does not depend on it.
 */
public interface PodEndpoints {

  /** The pod's output so far; empty when no such pod runs. */
  Optional<String> log(String namespace, String pod);

  /** The local port the pod's {@code containerPort} listens on; empty when the pod or port is unknown. */
  OptionalInt localPort(String namespace, String pod, int containerPort);
}
