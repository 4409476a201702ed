package io.reducer.controller.status;

import io.reducer.api.v1alpha1.common.HealthLevel;
import io.reducer.api.v1alpha1.common.LowerThreshold;
import io.reducer.api.v1alpha1.common.UpperThreshold;

/**
 * Classifies measurements against thresholds. Severity order: Critical, then Unknown, then Warning, then
 * Healthy: a known critical value is reported even when another value is missing, but a missing value is
 * never reported as healthy.
 */
public final class HealthClassifier {

  private HealthLevel level = HealthLevel.Healthy;

  /** Adds a value that is bad when high; null means it could not be measured. */
  public HealthClassifier upper(Number value, UpperThreshold threshold) {
    if (value == null) {
      return worsen(HealthLevel.Unknown);
    }
    double v = value.doubleValue();
    return worsen(v >= threshold.getCritical() ? HealthLevel.Critical
        : v >= threshold.getWarning() ? HealthLevel.Warning : HealthLevel.Healthy);
  }

  /** Adds a percentage that is bad when low; null means it could not be measured. */
  public HealthClassifier lower(Number value, LowerThreshold threshold) {
    if (value == null) {
      return worsen(HealthLevel.Unknown);
    }
    double v = value.doubleValue();
    return worsen(v < threshold.getCritical() ? HealthLevel.Critical
        : v < threshold.getWarning() ? HealthLevel.Warning : HealthLevel.Healthy);
  }

  /** Adds a finding of a fixed level, e.g. Critical for a stalled partition. */
  public HealthClassifier finding(boolean present, HealthLevel ifPresent) {
    return present ? worsen(ifPresent) : this;
  }

  public HealthLevel level() {
    return level;
  }

  private HealthClassifier worsen(HealthLevel candidate) {
    if (rank(candidate) > rank(level)) {
      level = candidate;
    }
    return this;
  }

  private static int rank(HealthLevel level) {
    switch (level) {
      case Critical:
        return 3;
      case Unknown:
        return 2;
      case Warning:
        return 1;
      default:
        return 0;
    }
  }
}
