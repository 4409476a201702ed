package io.reducer.controller.projection;

/**
 * What {@link ProjectionDecider} changes on a projection's materializer Deployment. No change at all leaves the
 * Deployment as it is (or absent).
 */
public sealed interface MaterializerChange permits MaterializerChange.Apply, MaterializerChange.ScaleOnly {

  /**
   * Create or update the Deployment with {@code replicas} and the pod template built from the spec.
   *
   * @param replicas the Deployment's replica count
   * @param why how the count was chosen
   */
  record Apply(int replicas, ReplicaDecision why) implements MaterializerChange {
  }

  /**
   * A refused spec that must stop: only the existing Deployment's replica count changes; it is neither created nor
   * given a new pod template.
   *
   * @param replicas the Deployment's replica count
   */
  record ScaleOnly(int replicas) implements MaterializerChange {
  }
}
