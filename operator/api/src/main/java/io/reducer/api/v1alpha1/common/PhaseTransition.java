package io.reducer.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One entry of a one-shot operation's phase history: which phase it entered, when, and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PhaseTransition {

  @Required
  @Size(max = 64)
  @JsonPropertyDescription("The phase that was entered.")
  private String phase;

  @Required
  @Pattern(Patterns.RFC3339)
  @Size(max = Bounds.TIMESTAMP)
  @JsonPropertyDescription("When the phase was entered (RFC 3339).")
  private String time;

  @Size(max = 4096)
  @JsonPropertyDescription("Why the phase was entered, e.g. the reason a reset failed.")
  private String message;

  public PhaseTransition() {
  }

  public PhaseTransition(String phase, String time, String message) {
    this.phase = phase;
    this.time = time;
    this.message = message;
  }

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getTime() {
    return time;
  }

  public void setTime(String time) {
    this.time = time;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
