package io.reducer.api.v1alpha1.projection;

/** How the number of materializer replicas is chosen. */
public enum ScalingMode {
  /** One replica per partition of the source topic, capped by maxReplicas. */
  Partitions,
  /** Between minReplicas and the cap, by consumer lag, with a scale-down cooldown. */
  Lag
}
