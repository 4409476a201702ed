package io.reducer.workloads.reducer.spi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One decoded record of the actions topic (docs/reducer.md, "The action contract").
 *
 * @param actionId unique id of the action; the dedup log makes a second delivery a no-op
 * @param workflowKey the workflow the action applies to
 * @param action the trigger, e.g. {@code start} or {@code COMPLETED}
 * @param payload the action's JSON payload, never null (an empty object when absent)
 * @param correlationId the correlation id carried to state-committed and the DLQ, may be null
 */
public record Action(String actionId, String workflowKey, String action, JsonNode payload, String correlationId) {
}
