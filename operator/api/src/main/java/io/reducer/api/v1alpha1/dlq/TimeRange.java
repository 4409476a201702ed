package io.reducer.api.v1alpha1.dlq;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.reducer.api.v1alpha1.common.Bounds;
import io.reducer.api.v1alpha1.common.Patterns;

/** A half-open interval [from, to) of DLQ record timestamps. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.from) || !has(self.to) || timestamp(self.from) < timestamp(self.to)",
    message = "from must be before to")
public class TimeRange {

  @Pattern(Patterns.RFC3339)
  @Size(max = Bounds.TIMESTAMP)
  @JsonPropertyDescription("Earliest record timestamp included (RFC 3339).")
  private String from;

  @Pattern(Patterns.RFC3339)
  @Size(max = Bounds.TIMESTAMP)
  @JsonPropertyDescription("Records at or after this timestamp are excluded (RFC 3339).")
  private String to;

  public String getFrom() {
    return from;
  }

  public void setFrom(String from) {
    this.from = from;
  }

  public String getTo() {
    return to;
  }

  public void setTo(String to) {
    this.to = to;
  }
}
