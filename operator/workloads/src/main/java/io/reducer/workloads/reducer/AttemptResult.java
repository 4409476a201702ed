package io.reducer.workloads.reducer;

import java.util.List;

import io.reducer.workloads.deadletter.DeadLetter;

/**
 * What one attempt wrote, before its commit.
 *
 * @param applied actions committed as new versions
 * @param duplicates actions skipped because the dedup log (or this batch) already had them
 * @param letters rejected actions, for the DLQ before the commit
 * @param conflicted actions of keys that another writer moved meanwhile: nothing of them was written
 * @param conflictedKeys how many keys those are
 * @param outbox the outbox rows it wrote, in sequence order
 */
record AttemptResult(int applied, int duplicates, List<DeadLetter> letters, List<PendingAction> conflicted,
    int conflictedKeys, List<OutboxRow> outbox) {
}
