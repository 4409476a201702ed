package io.reducer.api.v1alpha1.dlq;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.reducer.api.v1alpha1.common.Bounds;
import io.reducer.api.v1alpha1.common.Patterns;
import java.util.List;

/** Which DLQ records a replay selects; all criteria must match. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DlqFilter {

  // 256 ids of 256 characters: the replay Job gets them as one JSON value, which must stay far below 128 KiB.
  @Size(max = 256)
  @JsonPropertyDescription("Only records with one of these correlation ids (header correlation-id or envelope field).")
  private List<@Size(min = 1, max = 256) @Pattern(Patterns.NO_CONTROL_CHARACTERS) String> correlationIds;

  @JsonPropertyDescription("Error types to include or exclude.")
  private ErrorTypeFilter errorTypes;

  @JsonPropertyDescription("Only records whose DLQ timestamp falls in this range.")
  private TimeRange timeRange;

  @Size(max = Bounds.PARTITIONS)
  @JsonPropertyDescription("Only these DLQ partitions. Omit for all.")
  private List<@Min(0) Integer> partitions;

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
