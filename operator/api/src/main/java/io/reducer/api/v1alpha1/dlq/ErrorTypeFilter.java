package io.reducer.api.v1alpha1.dlq;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.reducer.api.v1alpha1.common.Patterns;
import java.util.List;

/** Selects DLQ records by the error type their producer recorded. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.include) || !has(self.exclude) || !self.include.exists(t, t in self.exclude)",
    message = "an error type cannot be both included and excluded")
public class ErrorTypeFilter {

  // Item patterns instead of a CEL regex per item: the API server charges CEL by length, a pattern it does not.
  @Size(max = 100)
  @JsonPropertyDescription("Only records with one of these error types, e.g. VALIDATION_ERROR. Omit for all.")
  private List<@Size(min = 1, max = 256) @Pattern(Patterns.ERROR_TYPE) String> include;

  @Size(max = 100)
  @JsonPropertyDescription("Records with these error types are left in the DLQ.")
  private List<@Size(min = 1, max = 256) @Pattern(Patterns.ERROR_TYPE) String> exclude;

  public List<String> getInclude() {
    return include;
  }

  public void setInclude(List<String> include) {
    this.include = include;
  }

  public List<String> getExclude() {
    return exclude;
  }

  public void setExclude(List<String> exclude) {
    this.exclude = exclude;
  }
}
