package io.reducer.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What every status has: the generation it reflects and standard conditions. */
public abstract class ConditionedStatus {

  @Min(0)
  @JsonPropertyDescription("The metadata.generation of the spec that this status reflects.")
  private Long observedGeneration;

  @Size(max = Bounds.CONDITIONS)
  @JsonPropertyDescription("Standard conditions describing the resource; see the type of each for its meaning.")
  private List<Condition> conditions = new ArrayList<>();

  /** The condition of the given type, if present. */
  public Optional<Condition> condition(String type) {
    return conditions == null ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
