package io.reducer.workloads.reducer;

import java.util.List;

import io.reducer.workloads.deadletter.DeadLetter;
import io.reducer.workloads.reducer.spi.WorkflowState;

/**
 * What one attempt wrote, before its commit.
 *
 * @param applied actions committed as new versions
 * @param duplicates actions skipped because the dedup log (or this batch) already had them
 * @param letters rejected actions, for the DLQ before the commit
 * @param conflicted actions of keys that another writer moved meanwhile: nothing of them was written
 * @param conflictedKeys how many keys those are
 * @param outbox the outbox rows it wrote, in sequence order
 * @param stale actions of keys whose remembered row another writer had moved: nothing of them was written, and
 *     they are no conflict (no STATE_CONFLICT row, no attempt used); written again at once from a fresh read
 * @param committedRows each written key's row as this attempt leaves it, for the {@link StateCache} once committed
 * @param remembered keys whose row came from the {@link StateCache} instead of a read
 * @param committed the write statement committed itself (auto-commit): there is no transaction to commit
 */
record AttemptResult(int applied, int duplicates, List<DeadLetter> letters, List<PendingAction> conflicted,
    int conflictedKeys, List<OutboxRow> outbox, List<PendingAction> stale, List<WorkflowState> committedRows,
    int remembered, boolean committed) {

  /** An attempt that wrote nothing: every action was a duplicate, or there was none. */
  static AttemptResult none(int duplicates, boolean committed) {
    return new AttemptResult(0, duplicates, List.of(), List.of(), 0, List.of(), List.of(), List.of(), 0,
        committed);
  }
}
