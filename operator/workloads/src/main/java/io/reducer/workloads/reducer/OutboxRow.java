package io.reducer.workloads.reducer;

import java.time.Instant;

/** One row of reducer_outbox: a committed version waiting to be published as a state-committed event. */
record OutboxRow(long sequence, String workflowKey, long version, String state, String namespace, String tag,
    String lastAction, String correlationId, Instant committedAt) {
}
