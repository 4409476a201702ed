package io.reducer.workloads.reducer.spi;

/**
 * A committed row of {@code workflow_state}, as the reducer sees it.
 *
 * @param workflowKey the workflow's key
 * @param version the committed version, 1 for the first commit
 * @param state the state name (for the built-in state machine, one of its states in upper case)
 * @param namespace free-form grouping the projections carry along, may be null
 * @param tag free-form label the projections carry along, may be null
 * @param lastAction the action (trigger) of the last commit
 */
public record WorkflowState(String workflowKey, long version, String state, String namespace, String tag,
    String lastAction) {
}
