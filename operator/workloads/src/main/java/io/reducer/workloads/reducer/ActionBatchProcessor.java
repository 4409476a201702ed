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

  AttemptResult attempt(Connection connection, List<PendingAction> actions, Instant at)
      throws SQLException, OutcomeRaceException {
    Set<String> ids = new HashSet<>();
    for (PendingAction pending : actions) {
      ids.add(pending.action().actionId());
    }
    Map<String, String> known = store.dedupOutcomes(connection, ids);
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
    Map<String, WorkflowState> states = byKey.isEmpty() ? Map.of() : store.read(connection, byKey.keySet());

    List<KeyCommit> writes = new ArrayList<>();
    Map<String, List<Refusal>> refusalsByKey = new LinkedHashMap<>();
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
        }
      }
      if (!versions.isEmpty()) {
        writes.add(new KeyCommit(entry.getKey(), expected, versions));
      }
      refusalsByKey.put(entry.getKey(), refusals);
    }

    Set<String> won = writes.isEmpty() ? Set.of() : store.writeStates(connection, writes, at);
    List<KeyCommit> lost = new ArrayList<>();
    List<VersionCommit> committed = new ArrayList<>();
    for (KeyCommit write : writes) {
      if (won.contains(write.workflowKey())) {
        committed.addAll(write.versions());
      } else {
        lost.add(write);
      }
    }
    Set<String> lostKeys = new HashSet<>();
    lost.forEach(write -> lostKeys.add(write.workflowKey()));

    List<String[]> rejectedOutcomes = new ArrayList<>();
    List<DeadLetter> letters = new ArrayList<>();
    List<PendingAction> conflicted = new ArrayList<>();
    for (Map.Entry<String, List<PendingAction>> entry : byKey.entrySet()) {
      if (lostKeys.contains(entry.getKey())) {
        conflicted.addAll(entry.getValue());
        continue;
      }
      for (Refusal refusal : refusalsByKey.get(entry.getKey())) {
        Action action = refusal.pending().action();
        letters.add(new DeadLetter(refusal.pending().record(),
            new PoisonRecordException(refusal.why().errorType(), refusal.why().message()), action.correlationId()));
        rejectedOutcomes.add(new String[] {action.actionId(), action.workflowKey()});
      }
    }
    if (!lost.isEmpty()) {
      store.conflicts(connection, lost);
    }
    int outcomes = committed.size() + rejectedOutcomes.size();
    if (outcomes > 0) {
      int recorded = committed.isEmpty()
          ? store.recordOutcomes(connection, rejectedOutcomes.stream()
              .map(r -> new String[] {r[0], r[1], CanonicalStore.REJECTED}).toList(), at, dedupTtl)
          : store.recordCommits(connection, committed, rejectedOutcomes, at, dedupTtl);
      if (recorded != outcomes) {
        throw new OutcomeRaceException();
      }
    }
    return new AttemptResult(committed.size(), duplicates, letters, conflicted, lost.size());
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
