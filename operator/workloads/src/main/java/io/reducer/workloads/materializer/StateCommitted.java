package io.reducer.workloads.materializer;

import java.time.Instant;

/** One decoded state-committed event (DESIGN.md section 4), with the Kafka offset it came from. */
public record StateCommitted(
    long offset,
    String workflowKey,
    long version,
    String state,
    String namespace,
    String tag,
    String lastAction,
    String correlationId,
    Instant committedAt) {
}
