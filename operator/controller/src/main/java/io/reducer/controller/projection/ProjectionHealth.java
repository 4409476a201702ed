package io.reducer.controller.projection;

import io.reducer.api.v1alpha1.common.HealthLevel;
import io.reducer.api.v1alpha1.projection.ProjectionHealthThresholds;
import io.reducer.controller.probe.ProjectionMeasurement;
import io.reducer.controller.status.HealthClassifier;

/** A projection's health: lag against its thresholds, stalled partitions critical, regressions a warning. */
public final class ProjectionHealth {

  private ProjectionHealth() {
  }

  public static HealthLevel classify(ProjectionMeasurement measurement, ProjectionHealthThresholds thresholds) {
    return new HealthClassifier()
        .upper(measurement.watermarkLagMs(), thresholds.getWatermarkLagMs())
        .upper(measurement.consumerLag(), thresholds.getConsumerLag())
        .finding(!measurement.stalledPartitions().isEmpty(), HealthLevel.Critical)
        .finding(measurement.regressions() > 0, HealthLevel.Warning)
        .level();
  }
}
