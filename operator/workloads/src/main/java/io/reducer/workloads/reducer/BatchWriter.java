package io.reducer.workloads.reducer;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reducer.workloads.deadletter.DeadLetter;
import io.reducer.workloads.deadletter.DeadLetterException;
import io.reducer.workloads.deadletter.DeadLetterPublisher;
import io.reducer.workloads.deadletter.PoisonRecordException;
import io.reducer.workloads.health.ConsumerLoopStatus;
import io.reducer.workloads.postgres.Database;

/**
 * Writes one batch of actions into the canonical store, on the reducer's database worker: transactions of at most
 * {@code --transaction-actions}, each attempted as many times as conflicts require (each attempt one transaction);
 * rejected and given-up actions go to the DLQ before the transaction that records them commits. Owns the worker's
 * database connection and DLQ producer; nothing else touches them while a batch runs.
 */
final class BatchWriter implements AutoCloseable {

  static final String REDUCER_GAVE_UP = "REDUCER_GAVE_UP";
  private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

  private final ReducerConfig config;
  private final Database database;
  private final DeadLetterPublisher deadLetters;
  private final ActionBatchProcessor processor;
  private final CanonicalStore store;
  private final ReducerMetrics metrics;
  private final ConsumerLoopStatus status;
  private final Consumer<List<OutboxRow>> committed;
  private final ReducerProbe probe;
  private final StateCache cache;
  private final RandomGenerator random = RandomGenerator.getDefault();
  private final TransactionSizer sizer;
  /**
   * Whether the next attempt reads the dedup log rather than taking its actions for new (at first sight, see
   * {@link ActionBatchProcessor}). True at the start, when actions read before a crash or a rebalance come again,
   * and after an attempt that found a duplicate, until one finds none.
   */
  private boolean readOutcomes = true;

  BatchWriter(ReducerConfig config, Database database, ActionBatchProcessor processor, CanonicalStore store,
      StateCache cache, ReducerMetrics metrics, ConsumerLoopStatus status, Consumer<List<OutboxRow>> committed,
      ReducerProbe probe) {
    this.config = config;
    this.cache = cache;
    this.database = database;
    this.processor = processor;
    this.store = store;
    this.metrics = metrics;
    this.status = status;
    this.committed = committed;
    this.probe = probe;
    this.sizer = new TransactionSizer(config.transactionActions(), config.commitTargetMs());
    metrics.transactionActions(sizer.size());
    this.deadLetters = new DeadLetterPublisher(config.kafkaSecurity().clientProperties(config.bootstrapServers()),
        config.dlqTopic(), "reducer-dlq-" + config.pipeline());
  }

  /**
   * Writes the batch; on failure rolls back what is open (a transaction that committed stays: the dedup log makes
   * its actions no-ops when the batch is read again) and throws.
   */
  void write(ActionBatch batch)
      throws SQLException, DeadLetterException, OutcomeRaceException, InterruptedException {
    List<PendingAction> actions = batch.actions();
    cache.clearIfAsked();
    try {
      // Bounded transactions keep the commit latency (the runbooks' SLA: p95 < 10 ms) independent of the batch
      // size, and the sizer keeps it near --commit-target-ms when the machine is slower. Chunks run one after the
      // other, so a key's actions still commit in order.
      int from = 0;
      do {
        int chunk = Math.min(actions.size() - from, sizer.size());
        applyAll(actions.subList(from, from + chunk), from == 0 ? batch.poison() : List.of(),
            chunk < actions.size());
        from += chunk;
      } while (from < actions.size());
    } catch (SQLException | DeadLetterException | OutcomeRaceException e) {
      database.rollbackQuietly();
      if (e instanceof SQLException) {
        database.discard();
      }
      throw e;
    }
  }

  /**
   * From the poll loop, when partitions change hands: forget the remembered rows before the next batch, since keys
   * may now be written elsewhere (a remembered row found old costs a second write, not a wrong one).
   */
  void forgetRows() {
    cache.clearSoon();
  }

  /** Proves the database still answers while no batch runs, for readiness. */
  void pingIfIdle(Duration idle) {
    database.pingIfIdle(idle);
  }

  /** Attempts until no key conflicts or the attempts are used up; each attempt commits on its own. */
  private void applyAll(List<PendingAction> actions, List<DeadLetter> poison, boolean cut)
      throws SQLException, DeadLetterException, OutcomeRaceException, InterruptedException {
    List<PendingAction> remaining = actions;
    List<DeadLetter> letters = poison;
    for (int attempt = 1; ; attempt++) {
      long started = System.nanoTime();
      Instant at = Instant.now();
      Connection connection = database.connection();
      AttemptResult result = remaining.isEmpty()
          ? AttemptResult.none(0, false)
          : attempt(connection, remaining, at, letters.isEmpty());
      long attempted = System.nanoTime();
      if (result.committed()) {
        // The write committed itself: nothing was to be published first.
        connection.setAutoCommit(false);
      } else {
        List<DeadLetter> all = new ArrayList<>(letters);
        all.addAll(result.letters());
        deadLetters.publish(all);
      }
      long lettersSent = System.nanoTime();
      if (!result.committed()) {
        connection.commit();
      }
      if (probe != null) {
        long committedAt = System.nanoTime();
        probe.committed(remaining, started, committedAt);
        probe.step(ReducerProbe.Step.STATEMENTS, started, attempted);
        probe.step(ReducerProbe.Step.DEAD_LETTERS, attempted, lettersSent);
        probe.step(ReducerProbe.Step.DATABASE_COMMIT, lettersSent, committedAt);
      }
      database.answered();
      // A worker that commits is a reducer that is alive, however long its batch.
      status.alive();
      double latencyMs = (System.nanoTime() - started) / 1e6;
      metrics.attempt(result, letters.size(), latencyMs);
      if (attempt == 1 && !remaining.isEmpty()) {
        sizer.committed(remaining.size(), cut, latencyMs);
        metrics.transactionActions(sizer.size());
      }
      metrics.dedupChecked(remaining.size(), result.duplicates(),
          result.applied() + result.letters().size());
      cache.remember(result.committedRows());
      metrics.stateCache(result.remembered(), result.stale().size());
      if (result.applied() > 0) {
        committed.accept(result.outbox());
      }
      if (!result.stale().isEmpty()) {
        // Their keys were forgotten, so this reads them: attempts of their own, as if they came now.
        applyAll(result.stale(), List.of(), false);
      }
      letters = List.of();
      remaining = result.conflicted();
      if (remaining.isEmpty()) {
        return;
      }
      if (attempt >= config.retry().maxAttempts()) {
        giveUp(remaining, attempt, result.conflictedKeys());
        return;
      }
      long backoff = config.retry().backoffMs(attempt, random);
      metrics.conflictRetry(remaining.size(), backoff);
      long sleeping = System.nanoTime();
      Thread.sleep(backoff);
      if (probe != null) {
        probe.step(ReducerProbe.Step.CONFLICT_BACKOFF, sleeping, System.nanoTime());
      }
    }
  }

  /**
   * One attempt; at first sight unless the dedup log must be read. An attempt at first sight that meets an action
   * recorded before is rolled back and made again reading the log, in the same transaction's place. At first sight
   * with nothing to publish, the write may commit itself ({@link AttemptResult#committed()}).
   */
  private AttemptResult attempt(Connection connection, List<PendingAction> actions, Instant at,
      boolean nothingToPublish) throws SQLException, OutcomeRaceException {
    if (!readOutcomes && actions.stream().noneMatch(PendingAction::replayed)) {
      try {
        return processor.attempt(connection, actions, at, false, nothingToPublish);
      } catch (OutcomeRaceException e) {
        if (connection.getAutoCommit()) {
          connection.setAutoCommit(false);
        } else {
          connection.rollback();
        }
        metrics.dedupReread();
        LOG.debug("an action of this transaction was recorded before; attempting it again reading the dedup log");
      }
    }
    AttemptResult result = processor.attempt(connection, actions, at, true, false);
    readOutcomes = result.duplicates() > 0;
    return result;
  }

  /** Records each action in reducer_gaveup_log and sends it to the DLQ, in one transaction. */
  private void giveUp(List<PendingAction> actions, int attempts, int keys) throws SQLException, DeadLetterException {
    String error = "version conflict on every one of " + attempts + " attempts (another writer kept moving the key)";
    Connection connection = database.connection();
    store.gaveUp(connection, actions, attempts, error);
    List<DeadLetter> letters = new ArrayList<>();
    for (PendingAction pending : actions) {
      letters.add(new DeadLetter(pending.record(), new PoisonRecordException(REDUCER_GAVE_UP,
          "workflow " + pending.action().workflowKey() + ": " + error), pending.action().correlationId()));
    }
    deadLetters.publish(letters);
    connection.commit();
    metrics.gaveUp(actions.size());
    LOG.warn("gave up on {} actions of {} keys after {} attempts; they are in {} and the DLQ as {}", actions.size(),
        keys, attempts, CanonicalSchema.GAVE_UP, REDUCER_GAVE_UP);
  }

  @Override
  public void close() {
    try {
      deadLetters.close();
    } catch (RuntimeException e) {
      LOG.debug("closing the DLQ producer: {}", e.toString());
    }
    database.close();
  }
}
