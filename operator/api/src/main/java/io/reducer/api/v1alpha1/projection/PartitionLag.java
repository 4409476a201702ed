package io.reducer.api.v1alpha1.projection;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Position of the projection on one partition of its source topic. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PartitionLag {

  @JsonPropertyDescription("Partition number.")
  private int partition;

  @JsonPropertyDescription("Next offset the broker will assign (log-end offset).")
  private Long logEndOffset;

  @JsonPropertyDescription("Next offset the projection will apply, from projection_watermarks; absent if never written.")
  private Long watermark;

  @JsonPropertyDescription("Records not yet applied: logEndOffset minus watermark.")
  private Long lag;

  @JsonPropertyDescription("Milliseconds between the last applied event's commit time and now, while lag is above zero.")
  private Long watermarkLagMs;

  @JsonPropertyDescription("True when lag is above zero and the watermark has not moved within stalledAfterSeconds.")
  private Boolean stalled;

  public int getPartition() {
    return partition;
  }

  public void setPartition(int partition) {
    this.partition = partition;
  }

  public Long getLogEndOffset() {
    return logEndOffset;
  }

  public void setLogEndOffset(Long logEndOffset) {
    this.logEndOffset = logEndOffset;
  }

  public Long getWatermark() {
    return watermark;
  }

  public void setWatermark(Long watermark) {
    this.watermark = watermark;
  }

  public Long getLag() {
    return lag;
  }

  public void setLag(Long lag) {
    this.lag = lag;
  }

  public Long getWatermarkLagMs() {
    return watermarkLagMs;
  }

  public void setWatermarkLagMs(Long watermarkLagMs) {
    this.watermarkLagMs = watermarkLagMs;
  }

  public Boolean getStalled() {
    return stalled;
  }

  public void setStalled(Boolean stalled) {
    this.stalled = stalled;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof PartitionLag)) {
      return false;
    }
    PartitionLag that = (PartitionLag) o;
    return partition == that.partition && Objects.equals(logEndOffset, that.logEndOffset)
        && Objects.equals(watermark, that.watermark) && Objects.equals(lag, that.lag)
        && Objects.equals(watermarkLagMs, that.watermarkLagMs) && Objects.equals(stalled, that.stalled);
  }

  @Override
  public int hashCode() {
    return Objects.hash(partition, logEndOffset, watermark, lag, watermarkLagMs, stalled);
  }
}
