package io.reducer.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.reducer.api.v1alpha1.common.LowerThreshold;
import io.reducer.api.v1alpha1.common.UpperThreshold;

/** Where the pipeline's health turns Warning or Critical. Defaults are the runbooks' SLA table. */
public class PipelineHealthThresholds {

  @JsonPropertyDescription("Commit latency p95 in milliseconds (default warning 10, critical 50).")
  private UpperThreshold commitLatencyP95Ms = new UpperThreshold(10, 50);

  @JsonPropertyDescription("Share of commits that hit a version conflict, in percent (default warning 5, critical 10).")
  private UpperThreshold conflictRatePercent = new UpperThreshold(5, 10);

  @JsonPropertyDescription("Share of actions committed successfully, in percent (default warning below 95, critical below 90).")
  private LowerThreshold successRatePercent = new LowerThreshold(95, 90);

  @JsonPropertyDescription("Outbox publish lag in milliseconds (default warning 100, critical 500).")
  private UpperThreshold outboxLagMs = new UpperThreshold(100, 500);

  @JsonPropertyDescription("Unpublished outbox rows (default warning 100, critical 1000).")
  private UpperThreshold outboxBacklog = new UpperThreshold(100, 1000);

  @JsonPropertyDescription("Records in the dead-letter topic (default warning 10, critical 1000).")
  private UpperThreshold dlqDepth = new UpperThreshold(10, 1000);

  @Min(5)
  @Max(3600)
  @Default("30")
  @JsonPropertyDescription("Longest wait in seconds between two checks of the pipeline (connections, topics, "
      + "schema, reducers and health); three operator probe intervals (--probe-interval, 5s by default) win when "
      + "shorter. A change of the pipeline, its reducer Deployment, its Projections' health or its WatermarkResets "
      + "is checked at once. Also the window of status.metrics.gaveUpCount.")
  private int probeIntervalSeconds = 30;

  public UpperThreshold getCommitLatencyP95Ms() {
    return commitLatencyP95Ms;
  }

  public void setCommitLatencyP95Ms(UpperThreshold commitLatencyP95Ms) {
    this.commitLatencyP95Ms = commitLatencyP95Ms;
  }

  public UpperThreshold getConflictRatePercent() {
    return conflictRatePercent;
  }

  public void setConflictRatePercent(UpperThreshold conflictRatePercent) {
    this.conflictRatePercent = conflictRatePercent;
  }

  public LowerThreshold getSuccessRatePercent() {
    return successRatePercent;
  }

  public void setSuccessRatePercent(LowerThreshold successRatePercent) {
    this.successRatePercent = successRatePercent;
  }

  public UpperThreshold getOutboxLagMs() {
    return outboxLagMs;
  }

  public void setOutboxLagMs(UpperThreshold outboxLagMs) {
    this.outboxLagMs = outboxLagMs;
  }

  public UpperThreshold getOutboxBacklog() {
    return outboxBacklog;
  }

  public void setOutboxBacklog(UpperThreshold outboxBacklog) {
    this.outboxBacklog = outboxBacklog;
  }

  public UpperThreshold getDlqDepth() {
    return dlqDepth;
  }

  public void setDlqDepth(UpperThreshold dlqDepth) {
    this.dlqDepth = dlqDepth;
  }

  public int getProbeIntervalSeconds() {
    return probeIntervalSeconds;
  }

  public void setProbeIntervalSeconds(int probeIntervalSeconds) {
    this.probeIntervalSeconds = probeIntervalSeconds;
  }
}
