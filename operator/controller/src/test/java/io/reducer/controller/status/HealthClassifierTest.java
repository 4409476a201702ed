package io.reducer.controller.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.api.v1alpha1.common.HealthLevel;
import io.reducer.api.v1alpha1.common.LowerThreshold;
import io.reducer.api.v1alpha1.common.UpperThreshold;
import org.junit.jupiter.api.Test;

class HealthClassifierTest {

  // The runbooks' projection lag thresholds and success-rate SLA.
  private static final UpperThreshold LAG_MS = new UpperThreshold(100, 500);
  private static final LowerThreshold SUCCESS = new LowerThreshold(95, 90);

  @Test
  void classifiesAgainstWarningAndCriticalInclusively() {
    assertThat(new HealthClassifier().upper(99, LAG_MS).level()).isEqualTo(HealthLevel.Healthy);
    assertThat(new HealthClassifier().upper(100, LAG_MS).level()).isEqualTo(HealthLevel.Warning);
    assertThat(new HealthClassifier().upper(500, LAG_MS).level()).isEqualTo(HealthLevel.Critical);
    assertThat(new HealthClassifier().lower(96.0, SUCCESS).level()).isEqualTo(HealthLevel.Healthy);
    assertThat(new HealthClassifier().lower(94.9, SUCCESS).level()).isEqualTo(HealthLevel.Warning);
    assertThat(new HealthClassifier().lower(89.0, SUCCESS).level()).isEqualTo(HealthLevel.Critical);
  }

  @Test
  void anUnmeasuredValueIsUnknownNeverHealthy() {
    assertThat(new HealthClassifier().upper(null, LAG_MS).upper(0, LAG_MS).level()).isEqualTo(HealthLevel.Unknown);
    assertThat(new HealthClassifier().upper(200, LAG_MS).upper(null, LAG_MS).level()).isEqualTo(HealthLevel.Unknown);
  }

  @Test
  void aKnownCriticalValueWinsOverAnUnknownOne() {
    assertThat(new HealthClassifier().upper(null, LAG_MS).upper(900, LAG_MS).level()).isEqualTo(HealthLevel.Critical);
  }

  @Test
  void findingsRaiseTheLevelOnlyWhenPresent() {
    assertThat(new HealthClassifier().upper(10, LAG_MS).finding(false, HealthLevel.Critical).level())
        .isEqualTo(HealthLevel.Healthy);
    assertThat(new HealthClassifier().upper(10, LAG_MS).finding(true, HealthLevel.Critical).level())
        .isEqualTo(HealthLevel.Critical);
  }
}
