package io.reducer.workloads.reducer;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import io.reducer.workloads.reducer.spi.WorkflowState;

/**
 * The workflow rows this reducer committed last, by key, so that a transaction need not read them again: a key's
 * actions keep coming to the process that owns its partition. Only a hint. The write moves a row only from the
 * version it expects, so a row that another writer moved meanwhile (a hot key's sub-key on another reducer's
 * partition, a hand edit that raised the version) loses, is forgotten and is written again at once from a fresh
 * read; and a refusal decided on a remembered row is decided again on a fresh one before it is recorded.
 *
 * <p>Bounded, least recently used out; {@code --state-cache-keys 0} turns it off. Used by the database worker only;
 * the poll loop asks for it to be emptied, when partitions change hands, through {@link #clearSoon()}.
 */
final class StateCache {

  private final int capacity;
  private final Map<String, WorkflowState> rows;
  private volatile boolean clearRequested;

  StateCache(int capacity) {
    this.capacity = capacity;
    this.rows = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, WorkflowState> eldest) {
        return size() > StateCache.this.capacity;
      }
    };
  }

  /** The row last committed for this key, or null when none is remembered. */
  WorkflowState get(String workflowKey) {
    return rows.get(workflowKey);
  }

  /** Remembers rows as a committed transaction left them. */
  void remember(Collection<WorkflowState> committed) {
    if (capacity == 0) {
      return;
    }
    for (WorkflowState state : committed) {
      rows.put(state.workflowKey(), state);
    }
  }

  void forget(Collection<String> workflowKeys) {
    for (String key : workflowKeys) {
      rows.remove(key);
    }
  }

  /** From any thread: the worker empties the cache before its next batch. */
  void clearSoon() {
    clearRequested = true;
  }

  /** On the worker, before a batch: empties the cache if {@link #clearSoon()} asked for it. */
  void clearIfAsked() {
    if (clearRequested) {
      clearRequested = false;
      rows.clear();
    }
  }

  int size() {
    return rows.size();
  }
}
