package io.reducer.workloads.reducer;

/**
 * One applied action: the version it gives its workflow, and what the history, outbox and state-committed event
 * say about it.
 */
record VersionCommit(
    String workflowKey,
    long version,
    String state,
    String previousState,
    String namespace,
    String tag,
    String trigger,
    String actionId,
    String correlationId) {
}
