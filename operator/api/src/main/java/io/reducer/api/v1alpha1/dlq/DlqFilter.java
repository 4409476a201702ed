package io.reducer.api.v1alpha1.dlq;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.reducer.api.v1alpha1.common.Bounds;
import io.reducer.api.v1alpha1.common.Patterns;
import java.util.List;

/** Which DLQ records a replay selects; all criteria must match. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DlqFilter {

  // The replay Job gets the ids as one JSON value in an environment variable, which Linux caps at 128 KiB. 256 ids
  // of at most 256 bytes that JSON need not escape make at most 256 * (256 + 3) bytes, about 65 KiB. maxLength
  // counts characters, up to 4 bytes each, hence the rule on the bytes.
  @Size(max = 256)
  @ValidationRule(value = "self.all(c, size(bytes(c)) <= 256)", message = "correlation ids are at most 256 bytes")
  @JsonPropertyDescription("Only records with one of these correlation ids (header correlation-id or envelope field): "
      + "at most 256, each of 1 to 256 bytes without control characters, quotes or backslashes.")
  private List<@Size(min = 1, max = 256) @Pattern(Patterns.CORRELATION_ID) String> correlationIds;

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
