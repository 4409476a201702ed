package io.reducer.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/**
 * One observation in the standard Kubernetes condition shape (metav1.Condition), so kstatus-aware tools
 * such as kubectl wait, Argo CD and Flux understand it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {

  @Required
  @Pattern(Patterns.CONDITION_WORD)
  @Size(max = 316)
  @JsonPropertyDescription("Type of the condition in CamelCase, e.g. Ready, Reconciling, Stalled, Degraded, Paused.")
  private String type;

  @Required
  @JsonPropertyDescription("Status of the condition: True, False or Unknown (could not be determined).")
  private ConditionStatus status;

  @Pattern(Patterns.CONDITION_WORD)
  @Size(max = 1024)
  @JsonPropertyDescription("Machine-readable CamelCase reason for the condition's last transition.")
  private String reason;

  @Size(max = 32768)
  @JsonPropertyDescription("Human-readable details about the transition, including what to do about it.")
  private String message;

  @Pattern(Patterns.RFC3339)
  @Size(max = Bounds.TIMESTAMP)
  @JsonPropertyDescription("When the condition last changed from one status to another (RFC 3339).")
  private String lastTransitionTime;

  @Min(0)
  @JsonPropertyDescription("The metadata.generation of the resource that this condition was computed from.")
  private Long observedGeneration;

  public Condition() {
  }

  public Condition(String type, ConditionStatus status, String reason, String message) {
    this.type = type;
    this.status = status;
    this.reason = reason;
    this.message = message;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public ConditionStatus getStatus() {
    return status;
  }

  public void setStatus(ConditionStatus status) {
    this.status = status;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Condition)) {
      return false;
    }
    Condition that = (Condition) o;
    return Objects.equals(type, that.type) && status == that.status && Objects.equals(reason, that.reason)
        && Objects.equals(message, that.message) && Objects.equals(lastTransitionTime, that.lastTransitionTime)
        && Objects.equals(observedGeneration, that.observedGeneration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, status, reason, message, lastTransitionTime, observedGeneration);
  }

  @Override
  public String toString() {
    return type + "=" + status + " (" + reason + "): " + message;
  }
}
