package io.reducer.api.v1alpha1.dlq;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Which DLQ records a replay selects; all criteria must match. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DlqFilter {

  @Size(max = 1000)
  @ValidationRule(value = "self.all(c, size(c) >= 1 && size(c) <= 256)",
      message = "correlation ids are 1-256 characters")
  @JsonPropertyDescription("Only records with one of these correlation ids (header correlation-id or envelope field).")
  private List<String> correlationIds;

  @JsonPropertyDescription("Error types to include or exclude.")
  private ErrorTypeFilter errorTypes;

  @JsonPropertyDescription("Only records whose DLQ timestamp falls in this range.")
  private TimeRange timeRange;

  @Size(max = 10000)
  @ValidationRule(value = "self.all(p, p >= 0)", message = "partitions are numbered from 0")
  @JsonPropertyDescription("Only these DLQ partitions. Omit for all.")
  private List<Integer> partitions;

  public List<String> getCorrelationIds() {
    return correlationIds;
  }

  public void setCorrelationIds(List<String> correlationIds) {
    this.correlationIds = correlationIds;
  }

  public ErrorTypeFilter getErrorTypes() {
    return errorTypes;
  }

  public void setErrorTypes(ErrorTypeFilter errorTypes) {
    this.errorTypes = errorTypes;
  }

  public TimeRange getTimeRange() {
    return timeRange;
  }

  public void setTimeRange(TimeRange timeRange) {
    this.timeRange = timeRange;
  }

  public List<Integer> getPartitions() {
    return partitions;
  }

  public void setPartitions(List<Integer> partitions) {
    this.partitions = partitions;
  }
}
