package io.reducer.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** CPU and memory amounts in Kubernetes quantity notation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourceQuantities {

  @Pattern(Patterns.QUANTITY)
  @Size(max = 64)
  @JsonPropertyDescription("CPU amount, e.g. 250m or 1.")
  private String cpu;

  @Pattern(Patterns.QUANTITY)
  @Size(max = 64)
  @JsonPropertyDescription("Memory amount, e.g. 256Mi or 1Gi.")
  private String memory;

  public ResourceQuantities() {
  }

  public ResourceQuantities(String cpu, String memory) {
    this.cpu = cpu;
    this.memory = memory;
  }

  public String getCpu() {
    return cpu;
  }

  public void setCpu(String cpu) {
    this.cpu = cpu;
  }

  public String getMemory() {
    return memory;
  }

  public void setMemory(String memory) {
    this.memory = memory;
  }
}
