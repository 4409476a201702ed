package io.reducer.workloads.materializer;

import java.time.Instant;

/**
 * What one committed partition batch did; metrics are counted only once the transaction committed. The three
 * {@code System.nanoTime} stamps (statement done, watermark moved and DLQ acknowledged, committed) are for
 * {@link BatchTrace}: one clock read each per batch.
 */
record BatchOutcome(int records, int applied, int duplicates, int deadLetters, Instant newestEventTime,
    long statementNanos, long watermarkNanos, long committedNanos) {
}
