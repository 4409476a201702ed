package io.reducer.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A measurement that is bad when high: Warning at or above warning, Critical at or above critical. */
@ValidationRule(value = "self.critical >= self.warning", message = "critical must be greater than or equal to warning")
public class UpperThreshold {

  @Required
  @Min(0)
  @JsonPropertyDescription("Value at or above which health is Warning.")
  private double warning;

  @Required
  @Min(0)
  @JsonPropertyDescription("Value at or above which health is Critical.")
  private double critical;

  public UpperThreshold() {
  }

  public UpperThreshold(double warning, double critical) {
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
