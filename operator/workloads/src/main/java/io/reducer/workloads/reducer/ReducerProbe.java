package io.reducer.workloads.reducer;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Where an action's time goes inside a reducer process, as {@link System#nanoTime()} stamps, for the benchmark's
 * latency breakdown (docs/benchmarks.md, "Reducer"). Only a reducer started with a probe calls it; a production
 * process has none and pays a null check per poll, per transaction, per publish and per maintenance task.
 */
interface ReducerProbe {

  /** What the poll loop spends its time on, for the benchmark's log of the loop's stalls. */
  enum Step {
    POLL, STATEMENTS, DEAD_LETTERS, DATABASE_COMMIT, OFFSET_COMMIT, CONFLICT_BACKOFF
  }

  /**
   * A poll of the loop returned records.
   *
   * @param pollStarted when the poll was called
   * @param polled when it returned
   */
  void polled(ConsumerRecords<byte[], byte[]> records, long pollStarted, long polled);

  /**
   * A transaction of the database worker committed.
   *
   * @param actions the actions it attempted (a conflicted one comes again with its next attempt)
   * @param started when the transaction began
   * @param committed when its commit returned
   */
  void committed(List<PendingAction> actions, long started, long committed);

  /**
   * The relay published outbox rows.
   *
   * @param read when the relay began reading them
   * @param acknowledged when the broker had acknowledged all of them
   */
  void published(List<OutboxRow> rows, long read, long acknowledged);

  /**
   * The poll loop (a poll, an offset commit) or the database worker (each part of each transaction, a conflict
   * backoff) did one step from {@code started} to {@code ended}.
   */
  void step(Step step, long started, long ended);

  /**
   * The maintenance thread did work that reaches the database: housekeeping, an ANALYZE or the stats row.
   *
   * @param work what, e.g. "ANALYZE workflow_state"
   */
  void maintained(String work, long started, long ended);
}
