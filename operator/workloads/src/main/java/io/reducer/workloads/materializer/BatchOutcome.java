package io.reducer.workloads.materializer;

import java.time.Instant;

/** What one committed partition batch did; metrics are counted only once the transaction committed. */
record BatchOutcome(int records, int applied, int duplicates, int deadLetters, Instant newestEventTime) {
}
