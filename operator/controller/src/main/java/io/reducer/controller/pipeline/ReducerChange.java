package io.reducer.controller.pipeline;

/**
 * The change a pipeline's decision makes to its reducer Deployment; no change leaves the Deployment as it is (or
 * creates none).
 */
public sealed interface ReducerChange {

  /** The replica count the Deployment gets. */
  int replicas();

  /**
   * Apply the reducer Deployment, template included, with {@code replicas}; creates it when there is none.
   *
   * @param replicas the replica count to apply
   */
  record Apply(int replicas) implements ReducerChange {
  }

  /**
   * Only scale the existing Deployment, without touching its template: the spec was refused and the reducers must
   * stop anyway (paused, or held by a reset).
   *
   * @param replicas the replica count to scale to
   */
  record ScaleOnly(int replicas) implements ReducerChange {
  }
}
