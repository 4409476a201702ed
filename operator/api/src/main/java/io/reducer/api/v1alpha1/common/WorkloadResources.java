package io.reducer.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Compute requests and limits for the pods the operator creates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadResources {

  @JsonPropertyDescription("Resources the scheduler reserves for each pod.")
  private ResourceQuantities requests;

  @JsonPropertyDescription("Upper bounds enforced on each pod's containers.")
  private ResourceQuantities limits;

  public ResourceQuantities getRequests() {
    return requests;
  }

  public void setRequests(ResourceQuantities requests) {
    this.requests = requests;
  }

  public ResourceQuantities getLimits() {
    return limits;
  }

  public void setLimits(ResourceQuantities limits) {
    this.limits = limits;
  }
}
