package io.reducer.api.v1alpha1.projection;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.reducer.api.v1alpha1.common.UpperThreshold;

/** Where the projection's health turns Warning or Critical; defaults come from the runbooks. */
public class ProjectionHealthThresholds {

  @JsonPropertyDescription("Watermark lag in milliseconds: how far the newest applied event trails the newest "
      + "committed one (default warning 100, critical 500).")
  private UpperThreshold watermarkLagMs = new UpperThreshold(100, 500);

  @JsonPropertyDescription("Consumer lag in records summed over partitions (default warning 10000, critical 100000).")
  private UpperThreshold consumerLag = new UpperThreshold(10000, 100000);

  @Min(10)
  @Max(86400)
  @Default("60")
  @JsonPropertyDescription("A partition with lag whose watermark has not moved for this many seconds is stalled.")
  private int stalledAfterSeconds = 60;

  @Min(5)
  @Max(3600)
  @Default("15")
  @JsonPropertyDescription("Seconds between periodic reconciliations of this projection (its status is rewritten "
      + "only when it changed). The probe of Kafka and the watermarks runs on the operator's --probe-interval, "
      + "for all projections at once, not on this value.")
  private int probeIntervalSeconds = 15;

  public UpperThreshold getWatermarkLagMs() {
    return watermarkLagMs;
  }

  public void setWatermarkLagMs(UpperThreshold watermarkLagMs) {
    this.watermarkLagMs = watermarkLagMs;
  }

  public UpperThreshold getConsumerLag() {
    return consumerLag;
  }

  public void setConsumerLag(UpperThreshold consumerLag) {
    this.consumerLag = consumerLag;
  }

  public int getStalledAfterSeconds() {
    return stalledAfterSeconds;
  }

  public void setStalledAfterSeconds(int stalledAfterSeconds) {
    this.stalledAfterSeconds = stalledAfterSeconds;
  }

  public int getProbeIntervalSeconds() {
    return probeIntervalSeconds;
  }

  public void setProbeIntervalSeconds(int probeIntervalSeconds) {
    this.probeIntervalSeconds = probeIntervalSeconds;
  }
}
