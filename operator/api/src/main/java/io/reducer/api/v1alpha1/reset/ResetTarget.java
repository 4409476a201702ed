package io.reducer.api.v1alpha1.reset;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.reducer.api.v1alpha1.common.Bounds;
import io.reducer.api.v1alpha1.common.Patterns;
import java.util.List;

/** Where to move the projection's position; the field that goes with each type is required, others refused. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(self.type == 'offset') == has(self.offsets)",
    message = "offsets is required with type offset and not allowed with any other type")
@ValidationRule(value = "(self.type == 'timestamp') == has(self.timestamp)",
    message = "timestamp is required with type timestamp and not allowed with any other type")
@ValidationRule(value = "(self.type == 'shiftBy') == has(self.shiftBy)",
    message = "shiftBy is required with type shiftBy and not allowed with any other type")
@ValidationRule(value = "(self.type == 'byDuration') == has(self.duration)",
    message = "duration is required with type byDuration and not allowed with any other type")
public class ResetTarget {

  @Required
  @JsonPropertyDescription("earliest, latest, offset, timestamp, shiftBy or byDuration; the same semantics as "
      + "kafka-consumer-groups --reset-offsets.")
  private ResetTargetType type;

  @Size(min = 1, max = 10000)
  @JsonPropertyDescription("With type offset: the offset for each partition to reset.")
  private List<PartitionOffset> offsets;

  @Pattern(Patterns.RFC3339)
  @Size(max = Bounds.TIMESTAMP)
  @JsonPropertyDescription("With type timestamp: reset to the first record at or after this time (RFC 3339); "
      + "a time after the last record resets to the log end.")
  private String timestamp;

  @Min(-1000000000000000.0)
  @Max(1000000000000000.0)
  @JsonPropertyDescription("With type shiftBy: records to move the current position by; negative moves back.")
  private Long shiftBy;

  @Pattern(Patterns.ISO_DURATION)
  @Size(min = 3, max = 64)
  @JsonPropertyDescription("With type byDuration: ISO-8601 duration back from now, e.g. PT30M or P1DT12H.")
  private String duration;

  public ResetTargetType getType() {
    return type;
  }

  public void setType(ResetTargetType type) {
    this.type = type;
  }

  public List<PartitionOffset> getOffsets() {
    return offsets;
  }

  public void setOffsets(List<PartitionOffset> offsets) {
    this.offsets = offsets;
  }

  public String getTimestamp() {
    return timestamp;
  }

  public void setTimestamp(String timestamp) {
    this.timestamp = timestamp;
  }

  public Long getShiftBy() {
    return shiftBy;
  }

  public void setShiftBy(Long shiftBy) {
    this.shiftBy = shiftBy;
  }

  public String getDuration() {
    return duration;
  }

  public void setDuration(String duration) {
    this.duration = duration;
  }
}
