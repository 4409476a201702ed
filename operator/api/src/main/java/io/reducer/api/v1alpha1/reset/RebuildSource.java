package io.reducer.api.v1alpha1.reset;

/** Where a WatermarkReset of a projection takes the rows it rebuilds from. */
public enum RebuildSource {
  /** The projection's source topic, from spec.target: positions move (the behaviour of every reset before this). */
  Topic,
  /**
   * The canonical store (workflow_state, written by the reducers): rows are rewritten in place under the
   * materializers' version guard; no position, watermark or epoch moves and the materializers keep running.
   */
  Canonical
}
