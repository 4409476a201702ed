package io.reducer.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.reducer.api.v1alpha1.common.Bounds;

/**
 * Measurements from the last health probe. A value that could not be measured is absent, never zero;
 * the Degraded condition then says why.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PipelineMetrics {

  @JsonPropertyDescription("Share of commits that hit a version conflict over the probe window, in percent.")
  private Double conflictRatePercent;

  @JsonPropertyDescription("Share of actions committed successfully over the probe window, in percent.")
  private Double successRatePercent;

  @JsonPropertyDescription("Actions that exhausted their retries (rows in reducer_gaveup_log) over the probe window.")
  private Long gaveUpCount;

  @JsonPropertyDescription("Largest commit latency p95 over the running reducers, in milliseconds; absent before their first commit.")
  private Double commitLatencyP95Ms;

  @JsonPropertyDescription("Outbox rows not yet published.")
  private Long outboxBacklog;

  @JsonPropertyDescription("Age of the oldest unpublished outbox row, in milliseconds.")
  private Long outboxLagMs;

  @JsonPropertyDescription("Missing sequence numbers in the outbox. A gap is reported, never repaired automatically.")
  private Long outboxSequenceGaps;

  @JsonPropertyDescription("Records in the dead-letter topic (sum over partitions of end minus start offset).")
  private Long dlqDepth;

  @JsonPropertyDescription("Rows in action_dedup_log, estimated from PostgreSQL's table statistics (exact while the table was never analyzed).")
  private Long dedupEntries;

  @Size(max = Bounds.TIMESTAMP)
  @JsonPropertyDescription("When expired deduplication rows were last cleaned up (RFC 3339).")
  private String dedupLastCleanupTime;

  @JsonPropertyDescription("Deduplication rows deleted by the last cleanup.")
  private Long dedupLastCleanupDeleted;

  public Double getConflictRatePercent() {
    return conflictRatePercent;
  }

  public void setConflictRatePercent(Double conflictRatePercent) {
    this.conflictRatePercent = conflictRatePercent;
  }

  public Double getSuccessRatePercent() {
    return successRatePercent;
  }

  public void setSuccessRatePercent(Double successRatePercent) {
    this.successRatePercent = successRatePercent;
  }

  public Long getGaveUpCount() {
    return gaveUpCount;
  }

  public void setGaveUpCount(Long gaveUpCount) {
    this.gaveUpCount = gaveUpCount;
  }

  public Double getCommitLatencyP95Ms() {
    return commitLatencyP95Ms;
  }

  public void setCommitLatencyP95Ms(Double commitLatencyP95Ms) {
    this.commitLatencyP95Ms = commitLatencyP95Ms;
  }

  public Long getOutboxBacklog() {
    return outboxBacklog;
  }

  public void setOutboxBacklog(Long outboxBacklog) {
    this.outboxBacklog = outboxBacklog;
  }

  public Long getOutboxLagMs() {
    return outboxLagMs;
  }

  public void setOutboxLagMs(Long outboxLagMs) {
    this.outboxLagMs = outboxLagMs;
  }

  public Long getOutboxSequenceGaps() {
    return outboxSequenceGaps;
  }

  public void setOutboxSequenceGaps(Long outboxSequenceGaps) {
    this.outboxSequenceGaps = outboxSequenceGaps;
  }

  public Long getDlqDepth() {
    return dlqDepth;
  }

  public void setDlqDepth(Long dlqDepth) {
    this.dlqDepth = dlqDepth;
  }

  public Long getDedupEntries() {
    return dedupEntries;
  }

  public void setDedupEntries(Long dedupEntries) {
    this.dedupEntries = dedupEntries;
  }

  public String getDedupLastCleanupTime() {
    return dedupLastCleanupTime;
  }

  public void setDedupLastCleanupTime(String dedupLastCleanupTime) {
    this.dedupLastCleanupTime = dedupLastCleanupTime;
  }

  public Long getDedupLastCleanupDeleted() {
    return dedupLastCleanupDeleted;
  }

  public void setDedupLastCleanupDeleted(Long dedupLastCleanupDeleted) {
    this.dedupLastCleanupDeleted = dedupLastCleanupDeleted;
  }
}
