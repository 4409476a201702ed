package io.reducer.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A percentage that is bad when low: Warning below warning, Critical below critical. */
@ValidationRule(value = "self.critical <= self.warning", message = "critical must be less than or equal to warning")
public class LowerThreshold {

  @Required
  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Percentage below which health is Warning.")
  private double warning;

  @Required
  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Percentage below which health is Critical.")
  private double critical;

  public LowerThreshold() {
  }

  public LowerThreshold(double warning, double critical) {
    this.warning = warning;
    this.critical = critical;
  }

  public double getWarning() {
    return warning;
  }

  public void setWarning(double warning) {
    this.warning = warning;
  }

  public double getCritical() {
    return critical;
  }

  public void setCritical(double critical) {
    this.critical = critical;
  }
}
