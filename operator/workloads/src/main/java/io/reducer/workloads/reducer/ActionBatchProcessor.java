package io.reducer.workloads.reducer;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.reducer.workloads.deadletter.DeadLetter;
import io.reducer.workloads.deadletter.PoisonRecordException;
import io.reducer.workloads.reducer.spi.Action;
import io.reducer.workloads.reducer.spi.Reducer;
import io.reducer.workloads.reducer.spi.Reduction;
import io.reducer.workloads.reducer.spi.WorkflowState;

/**
 * One attempt at a batch of actions inside the caller's transaction: skip what the dedup log already has, read
 * the keys' rows (those the {@link StateCache} does not remember), fold each key's actions in memory (one version
 * per applied action), write each key once with optimistic concurrency, then history, dedup and outbox rows for
 * the keys that won. A key that lost the race writes nothing and comes back in {@link AttemptResult#conflicted()}
 * for the next attempt; one whose remembered row was old comes back in {@link AttemptResult#stale()}, to be written
 * again at once.
 *
 * <p>An attempt "at first sight" does not read the dedup log: it takes every action for new, and the dedup rows'
 * unique key proves it (an action recorded before makes the attempt throw {@link OutcomeRaceException}, and the
 * caller rolls back and attempts again reading the log). Actions are seldom delivered twice, so this saves the
 * lookup of every action id in all but a few transactions.
 */
final class ActionBatchProcessor {

  /** Error type of an action whose reducer threw: a bug in the reducer, not in the action; replay after a fix. */
  static final String REDUCER_ERROR = "REDUCER_ERROR";

  private final CanonicalStore store;
  private final Reducer reducer;
  private final Duration dedupTtl;
  private final StateCache cache;

  ActionBatchProcessor(CanonicalStore store, Reducer reducer, Duration dedupTtl, StateCache cache) {
    this.store = store;
    this.reducer = reducer;
    this.dedupTtl = dedupTtl;
    this.cache = cache;
  }

  /**
   * @param readOutcomes read the dedup log first; false for an attempt at first sight (see above), which the
   *     caller must not make for actions that came back through a DLQ replay
   * @param selfCommitting the caller has nothing to publish before the commit and did not ask to read the dedup
   *     log: when the reducer refuses none of the actions either, the write statement is the transaction and
   *     commits itself (the connection in auto-commit, which saves the commit's round trip; the reads before it
   *     need no transaction, since the write checks every version it expects). Otherwise the connection is left in
   *     a transaction for the caller to commit; {@link AttemptResult#committed()} says which
   * @throws OutcomeRaceException an action was recorded by another process meanwhile or, at first sight, before:
   *     roll back (unless the connection is in auto-commit, where the failed statement undid itself) and attempt
   *     again reading the dedup log
   */
  AttemptResult attempt(Connection connection, List<PendingAction> actions, Instant at, boolean readOutcomes,
      boolean selfCommitting) throws SQLException, OutcomeRaceException {
    connection.setAutoCommit(selfCommitting);
    Set<String> ids = new HashSet<>();
    Map<String, WorkflowState> remembered = new HashMap<>();
    Set<String> unknown = new HashSet<>();
    for (PendingAction pending : actions) {
      ids.add(pending.action().actionId());
      String key = pending.action().workflowKey();
      if (!remembered.containsKey(key) && !unknown.contains(key)) {
        WorkflowState state = cache.get(key);
        if (state != null) {
          remembered.put(key, state);
        } else {
          unknown.add(key);
        }
      }
    }
    int hits = remembered.size();
    // One statement reads the dedup log and the rows not remembered; a key whose actions all turn out to be
    // duplicates was read for nothing, which costs less than a second round trip.
    CanonicalStore.Snapshot snapshot = readOutcomes || !unknown.isEmpty()
        ? store.read(connection, readOutcomes ? ids : Set.of(), unknown)
        : new CanonicalStore.Snapshot(Map.of(), Map.of());
    Map<String, String> known = snapshot.outcomes();
    Set<String> seen = new HashSet<>();
    Map<String, List<PendingAction>> byKey = new LinkedHashMap<>();
    int duplicates = 0;
    for (PendingAction pending : actions) {
      Action action = pending.action();
      String outcome = known.get(action.actionId());
      boolean decided = CanonicalStore.APPLIED.equals(outcome)
          || CanonicalStore.REJECTED.equals(outcome) && !pending.replayed();
      if (decided || !seen.add(action.actionId())) {
        duplicates++;
        continue;
      }
      byKey.computeIfAbsent(action.workflowKey(), k -> new ArrayList<>()).add(pending);
    }
    Map<String, WorkflowState> states = new HashMap<>(snapshot.states());
    states.putAll(remembered);

    Map<String, KeyFold> folds = new LinkedHashMap<>();
    Set<String> recheck = new HashSet<>();
    for (Map.Entry<String, List<PendingAction>> entry : byKey.entrySet()) {
      KeyFold fold = fold(states.get(entry.getKey()), entry.getValue());
      folds.put(entry.getKey(), fold);
      if (!fold.refusals().isEmpty() && remembered.containsKey(entry.getKey())) {
        recheck.add(entry.getKey());
      }
    }
    if (!recheck.isEmpty()) {
      // A refusal is recorded for good (dedup log, DLQ): decide it on the row as committed, not as remembered.
      cache.forget(recheck);
      Map<String, WorkflowState> fresh = store.read(connection, Set.of(), recheck).states();
      for (String key : recheck) {
        remembered.remove(key);
        folds.put(key, fold(fresh.get(key), byKey.get(key)));
      }
    }

    List<KeyCommit> writes = new ArrayList<>();
    List<String[]> refused = new ArrayList<>();
    for (Map.Entry<String, KeyFold> entry : folds.entrySet()) {
      KeyFold fold = entry.getValue();
      if (!fold.versions().isEmpty()) {
        writes.add(new KeyCommit(entry.getKey(), fold.expected(), fold.versions(),
            remembered.containsKey(entry.getKey())));
      }
      for (Refusal refusal : fold.refusals()) {
        refused.add(new String[] {refusal.pending().action().actionId(), entry.getKey()});
      }
    }
    if (writes.isEmpty() && refused.isEmpty()) {
      return AttemptResult.none(duplicates, connection.getAutoCommit());
    }
    if (!refused.isEmpty() && connection.getAutoCommit()) {
      // Refusals go to the DLQ before their outcomes commit: a transaction, then. No statement is open.
      connection.setAutoCommit(false);
    }

    CanonicalStore.Written written = store.commit(connection, writes, refused, at, dedupTtl, readOutcomes);
    Set<String> lost = written.lost();
    cache.forget(lost);
    int committed = 0;
    List<WorkflowState> committedRows = new ArrayList<>();
    for (KeyCommit write : writes) {
      if (!lost.contains(write.workflowKey())) {
        committed += write.versions().size();
        committedRows.add(folds.get(write.workflowKey()).end());
      }
    }
    int outcomes = committed;
    List<DeadLetter> letters = new ArrayList<>();
    List<PendingAction> conflicted = new ArrayList<>();
    List<PendingAction> stale = new ArrayList<>();
    int conflictedKeys = 0;
    for (Map.Entry<String, List<PendingAction>> entry : byKey.entrySet()) {
      if (lost.contains(entry.getKey())) {
        if (remembered.containsKey(entry.getKey())) {
          stale.addAll(entry.getValue());
        } else {
          conflicted.addAll(entry.getValue());
          conflictedKeys++;
        }
        continue;
      }
      for (Refusal refusal : folds.get(entry.getKey()).refusals()) {
        Action action = refusal.pending().action();
        letters.add(new DeadLetter(refusal.pending().record(),
            new PoisonRecordException(refusal.why().errorType(), refusal.why().message()), action.correlationId()));
        outcomes++;
      }
    }
    if (written.outcomes() != outcomes) {
      throw new OutcomeRaceException();
    }
    return new AttemptResult(committed, duplicates, letters, conflicted, conflictedKeys, written.outbox(), stale,
        committedRows, hits, connection.getAutoCommit());
  }

  /** A key's actions folded in order on its row ({@code current}, null for a new key): versions and refusals. */
  private KeyFold fold(WorkflowState current, List<PendingAction> actions) {
    long expected = current == null ? 0 : current.version();
    List<VersionCommit> versions = new ArrayList<>();
    List<Refusal> refusals = new ArrayList<>();
    for (PendingAction pending : actions) {
      Reduction reduction = reduce(current, pending.action());
      if (reduction instanceof Reduction.Applied applied) {
        Action action = pending.action();
        long version = current == null ? 1 : current.version() + 1;
        versions.add(new VersionCommit(action.workflowKey(), version, applied.state(),
            current == null ? null : current.state(), applied.namespace(), applied.tag(), action.action(),
            action.actionId(), action.correlationId()));
        current = new WorkflowState(action.workflowKey(), version, applied.state(), applied.namespace(),
            applied.tag(), action.action());
      } else {
        refusals.add(new Refusal(pending, (Reduction.Rejected) reduction));
      }
    }
    return new KeyFold(expected, versions, refusals, current);
  }

  /** A reducer that throws is a bug: the action is rejected with {@link #REDUCER_ERROR} so the partition flows. */
  private Reduction reduce(WorkflowState current, Action action) {
    try {
      Reduction reduction = reducer.reduce(current, action);
      if (reduction == null) {
        return new Reduction.Rejected(REDUCER_ERROR, reducer.getClass().getName() + " returned null");
      }
      return reduction;
    } catch (RuntimeException e) {
      return new Reduction.Rejected(REDUCER_ERROR, reducer.getClass().getName() + " threw " + e);
    }
  }

  /** An action the reducer refused, and why. */
  private record Refusal(PendingAction pending, Reduction.Rejected why) {
  }

  /** A key's fold: the version it expects, the versions and refusals, and the row after its last version. */
  private record KeyFold(long expected, List<VersionCommit> versions, List<Refusal> refusals, WorkflowState end) {
  }
}
