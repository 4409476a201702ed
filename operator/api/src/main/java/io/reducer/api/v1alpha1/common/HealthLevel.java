package io.reducer.api.v1alpha1.common;

/** Health classification against the thresholds of the resource (the runbooks' SLA table by default). */
public enum HealthLevel {
  Healthy,
  Warning,
  Critical,
  /** The last probe could not measure the values; see the Degraded condition for why. */
  Unknown
}
