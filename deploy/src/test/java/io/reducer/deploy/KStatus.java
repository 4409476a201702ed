package io.reducer.deploy;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The generic rules of kstatus (sigs.k8s.io/cli-utils, pkg/kstatus/status: checkGenericProperties, checkGeneration,
 * checkReadyCondition), which Flux's health checks and {@code flux wait}-style tools apply to a custom resource
 * they have no specific rules for. Ported to see what Flux makes of the statuses the operator writes.
 */
final class KStatus {

  private KStatus() {
  }

  /** kstatus's result for a kind without resource-specific rules. */
  enum Status { InProgress, Failed, Current, Terminating }

  record Result(Status status, String message) {
  }

  static Result compute(JsonNode obj) {
    if (!obj.path("metadata").path("deletionTimestamp").asText("").isEmpty()) {
      return new Result(Status.Terminating, "Resource scheduled for deletion");
    }
    // checkGeneration: only when both are present, and any difference counts.
    JsonNode generation = obj.path("metadata").path("generation");
    JsonNode observed = obj.path("status").path("observedGeneration");
    if (generation.isNumber() && observed.isNumber() && generation.asLong() != observed.asLong()) {
      return new Result(Status.InProgress, obj.path("kind").asText() + " generation is " + generation.asLong()
          + ", but latest observed generation is " + observed.asLong());
    }
    // The standard abnormal-true conditions decide alone, the first one in list order that is True.
    JsonNode conditions = obj.path("status").path("conditions");
    for (JsonNode c : conditions) {
      if ("True".equals(c.path("status").asText())) {
        if ("Reconciling".equals(c.path("type").asText())) {
          return new Result(Status.InProgress, c.path("message").asText());
        }
        if ("Stalled".equals(c.path("type").asText())) {
          return new Result(Status.Failed, c.path("message").asText());
        }
      }
    }
    // checkReadyCondition: a Ready condition, where there is one.
    for (JsonNode c : conditions) {
      if ("Ready".equals(c.path("type").asText())) {
        String status = c.path("status").asText();
        if ("True".equals(status)) {
          return new Result(Status.Current, "Resource is Ready");
        }
        if ("False".equals(status) || "Unknown".equals(status)) {
          return new Result(Status.InProgress, c.path("message").asText());
        }
      }
    }
    // No known condition: kstatus assumes the resource is current.
    return new Result(Status.Current, "Resource is current");
  }
}
