package io.reducer.api.v1alpha1.dlq;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Selects DLQ records by the error type their producer recorded. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.include) || !has(self.exclude) || !self.include.exists(t, t in self.exclude)",
    message = "an error type cannot be both included and excluded")
public class ErrorTypeFilter {

  @Size(max = 100)
  @ValidationRule(value = "self.all(t, t.matches('^[A-Za-z0-9_.:$-]{1,256}$'))",
      message = "error types are 1-256 characters of letters, digits and _ . : $ -")
  @JsonPropertyDescription("Only records with one of these error types, e.g. VALIDATION_ERROR. Omit for all.")
  private List<String> include;

  @Size(max = 100)
  @ValidationRule(value = "self.all(t, t.matches('^[A-Za-z0-9_.:$-]{1,256}$'))",
      message = "error types are 1-256 characters of letters, digits and _ . : $ -")
  @JsonPropertyDescription("Records with these error types are left in the DLQ.")
  private List<String> exclude;

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
