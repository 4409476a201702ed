package io.reducer.workloads.reducer;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * the keys' rows, fold each key's actions in memory (one version per applied action), write each key once with
 * optimistic concurrency, then history, dedup and outbox rows for the keys that won. A key that lost the race
 * writes nothing and comes back in {@link AttemptResult#conflicted()} for the next attempt.
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

  ActionBatchProcessor(CanonicalStore store, Reducer reducer, Duration dedupTtl) {
    this.store = store;
    this.reducer = reducer;
    this.dedupTtl = dedupTtl;
  }

  /**
   * @param readOutcomes read the dedup log first; false for an attempt at first sight (see above), which the
   *     caller must not make for actions that came back through a DLQ replay
   * @throws OutcomeRaceException an action was recorded by another process meanwhile or, at first sight, before:
   *     roll back and attempt again reading the dedup log
   */
  AttemptResult attempt(Connection connection, List<PendingAction> actions, Instant at, boolean readOutcomes)
      throws SQLException, OutcomeRaceException {
    Set<String> ids = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (PendingAction pending : actions) {
      ids.add(pending.action().actionId());
      keys.add(pending.action().workflowKey());
    }
    // One statement reads the dedup log and the rows; a key whose actions all turn out to be duplicates was read
    // for nothing, which costs less than a second round trip.
    CanonicalStore.Snapshot snapshot = store.read(connection, readOutcomes ? ids : Set.of(), keys);
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
    Map<String, WorkflowState> states = snapshot.states();

    List<KeyCommit> writes = new ArrayList<>();
    Map<String, List<Refusal>> refusalsByKey = new LinkedHashMap<>();
    List<String[]> refused = new ArrayList<>();
    for (Map.Entry<String, List<PendingAction>> entry : byKey.entrySet()) {
      WorkflowState current = states.get(entry.getKey());
      long expected = current == null ? 0 : current.version();
      List<VersionCommit> versions = new ArrayList<>();
      List<Refusal> refusals = new ArrayList<>();
      for (PendingAction pending : entry.getValue()) {
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
          refused.add(new String[] {pending.action().actionId(), entry.getKey()});
        }
      }
      if (!versions.isEmpty()) {
        writes.add(new KeyCommit(entry.getKey(), expected, versions));
      }
      refusalsByKey.put(entry.getKey(), refusals);
    }
    if (writes.isEmpty() && refused.isEmpty()) {
      return new AttemptResult(0, duplicates, List.of(), List.of(), 0, List.of());
    }

    CanonicalStore.Written written = store.commit(connection, writes, refused, at, dedupTtl, readOutcomes);
    Set<String> lost = written.lost();
    int committed = 0;
    for (KeyCommit write : writes) {
      if (!lost.contains(write.workflowKey())) {
        committed += write.versions().size();
      }
    }
    int outcomes = committed;
    List<DeadLetter> letters = new ArrayList<>();
    List<PendingAction> conflicted = new ArrayList<>();
    for (Map.Entry<String, List<PendingAction>> entry : byKey.entrySet()) {
      if (lost.contains(entry.getKey())) {
        conflicted.addAll(entry.getValue());
        continue;
      }
      for (Refusal refusal : refusalsByKey.get(entry.getKey())) {
        Action action = refusal.pending().action();
        letters.add(new DeadLetter(refusal.pending().record(),
            new PoisonRecordException(refusal.why().errorType(), refusal.why().message()), action.correlationId()));
        outcomes++;
      }
    }
    if (written.outcomes() != outcomes) {
      throw new OutcomeRaceException();
    }
    return new AttemptResult(committed, duplicates, letters, conflicted, lost.size(), written.outbox());
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
}
