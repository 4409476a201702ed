package io.reducer.workloads.reducer;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.deadletter.DeadLetter;
import io.reducer.workloads.deadletter.DeadLetterException;
import io.reducer.workloads.deadletter.DeadLetterPublisher;
import io.reducer.workloads.deadletter.PoisonRecordException;
import io.reducer.workloads.health.ConsumerLoopStatus;
import io.reducer.workloads.kafka.ConsumerSettings;
import io.reducer.workloads.postgres.Database;

/**
 * The poll loop of {@code workloads reduce}. Each poll is one batch: its actions are decoded, then applied in as
 * many attempts as conflicts require (each attempt one transaction), rejected and given-up actions go to the DLQ
 * before the transaction that records them commits, and the Kafka offsets are committed after the database. A
 * crash anywhere re-reads the batch, and the dedup log makes the actions already applied no-ops.
 */
final class ReducerLoop {

  static final String REDUCER_GAVE_UP = "REDUCER_GAVE_UP";
  private static final Logger LOG = LoggerFactory.getLogger(ReducerLoop.class);
  private static final Duration FAILURE_BACKOFF = Duration.ofMillis(500);
  private static final Duration IDLE_PING = Duration.ofSeconds(5);

  private final ReducerConfig config;
  private final Database database;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final DeadLetterPublisher deadLetters;
  private final ActionBatchProcessor processor;
  private final CanonicalStore store;
  private final ReducerMetrics metrics;
  private final ConsumerLoopStatus status;
  private final Consumer<List<OutboxRow>> committed;
  private final ReducerProbe probe;
  private final ActionDecoder decoder = new ActionDecoder();
  private final RandomGenerator random = RandomGenerator.getDefault();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean stopping;

  /** @param committed given the outbox rows of each commit that added some, to hand them to the relay */
  ReducerLoop(ReducerConfig config, Database database, ActionBatchProcessor processor, CanonicalStore store,
      ReducerMetrics metrics, ConsumerLoopStatus status, Consumer<List<OutboxRow>> committed, ReducerProbe probe) {
    this.config = config;
    this.database = database;
    this.processor = processor;
    this.store = store;
    this.metrics = metrics;
    this.status = status;
    this.committed = committed;
    this.probe = probe;
    this.deadLetters = new DeadLetterPublisher(config.kafkaSecurity().clientProperties(config.bootstrapServers()),
        config.dlqTopic(), "reducer-dlq-" + config.pipeline());
    this.consumer = new KafkaConsumer<>(consumerProperties(config), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  /** Runs until {@link #stop()}; returns the exit code. */
  int run() {
    try {
      consumer.subscribe(List.of(config.actionsTopic()));
      LOG.info("reducing {}", config);
      while (!stopping) {
        status.alive();
        pingIfIdle();
        long pollStarted = System.nanoTime();
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(config.pollTimeoutMs()));
        long polled = System.nanoTime();
        step(ReducerProbe.Step.POLL, pollStarted, polled);
        status.alive();
        status.group(consumer.assignment().size(), !consumer.groupMetadata().memberId().isEmpty());
        if (!records.isEmpty()) {
          process(records, pollStarted, polled);
        }
      }
      return ExitCodes.OK;
    } catch (WakeupException e) {
      if (!stopping) {
        LOG.error("reducer loop woken up unexpectedly", e);
        return ExitCodes.FAILURE;
      }
      return ExitCodes.OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.OK;
    } catch (RuntimeException e) {
      LOG.error("reducer failed; on restart it re-reads the actions after its last committed offsets", e);
      return ExitCodes.FAILURE;
    } finally {
      status.stopped();
      closeQuietly();
      finished.countDown();
    }
  }

  void stop() {
    stopping = true;
    consumer.wakeup();
  }

  boolean awaitStopped(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void process(ConsumerRecords<byte[], byte[]> records, long pollStarted, long polled)
      throws InterruptedException {
    List<PendingAction> actions = new ArrayList<>();
    List<DeadLetter> poison = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      try {
        actions.add(decoder.decode(record));
      } catch (PoisonRecordException e) {
        poison.add(new DeadLetter(record, e, ActionDecoder.header(record, ActionDecoder.CORRELATION_HEADER)));
      }
    }
    try {
      // Bounded transactions keep the commit latency (the runbooks' SLA: p95 < 10 ms) independent of the poll
      // size. Chunks run one after the other, so a key's actions still commit in order.
      int chunk = config.transactionActions();
      for (int from = 0; from < Math.max(1, actions.size()); from += chunk) {
        applyAll(actions.subList(from, Math.min(actions.size(), from + chunk)), from == 0 ? poison : List.of(),
            pollStarted, polled);
      }
    } catch (SQLException | DeadLetterException | OutcomeRaceException e) {
      database.rollbackQuietly();
      if (e instanceof SQLException) {
        database.discard();
      }
      metrics.transactionRetry();
      if (e instanceof OutcomeRaceException || SqlStates.isTransient(e)) {
        LOG.debug("batch of {} actions rolled back, reading it again: {}", records.count(), e.toString());
      } else {
        LOG.warn("batch of {} actions rolled back, reading it again in {} ms: {}", records.count(),
            FAILURE_BACKOFF.toMillis(), e.toString());
        Thread.sleep(FAILURE_BACKOFF.toMillis());
      }
      rewind(records);
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> batch = records.records(partition);
      offsets.put(partition, new OffsetAndMetadata(batch.get(batch.size() - 1).offset() + 1));
    }
    long offsetCommit = System.nanoTime();
    consumer.commitAsync(offsets, (done, error) -> {
      if (error != null) {
        LOG.debug("Kafka offset commit failed; the dedup log makes re-read actions no-ops: {}", error.toString());
      }
    });
    step(ReducerProbe.Step.OFFSET_COMMIT, offsetCommit, System.nanoTime());
  }

  /** Attempts until no key conflicts or the attempts are used up; each attempt commits on its own. */
  private void applyAll(List<PendingAction> actions, List<DeadLetter> poison, long pollStarted, long polled)
      throws SQLException, DeadLetterException, OutcomeRaceException, InterruptedException {
    List<PendingAction> remaining = actions;
    List<DeadLetter> letters = poison;
    for (int attempt = 1; ; attempt++) {
      long started = System.nanoTime();
      Instant at = Instant.now();
      Connection connection = database.connection();
      AttemptResult result = remaining.isEmpty()
          ? new AttemptResult(0, 0, List.of(), List.of(), 0, List.of())
          : processor.attempt(connection, remaining, at);
      long attempted = System.nanoTime();
      List<DeadLetter> all = new ArrayList<>(letters);
      all.addAll(result.letters());
      deadLetters.publish(all);
      long lettersSent = System.nanoTime();
      connection.commit();
      if (probe != null) {
        long committedAt = System.nanoTime();
        probe.committed(remaining, pollStarted, polled, started, committedAt);
        probe.step(ReducerProbe.Step.STATEMENTS, started, attempted);
        probe.step(ReducerProbe.Step.DEAD_LETTERS, attempted, lettersSent);
        probe.step(ReducerProbe.Step.DATABASE_COMMIT, lettersSent, committedAt);
      }
      database.answered();
      metrics.attempt(result, letters.size(), (System.nanoTime() - started) / 1e6);
      metrics.dedupChecked(remaining.size(), result.duplicates(),
          result.applied() + result.letters().size());
      if (result.applied() > 0) {
        committed.accept(result.outbox());
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
      step(ReducerProbe.Step.CONFLICT_BACKOFF, sleeping, System.nanoTime());
    }
  }

  private void step(ReducerProbe.Step step, long started, long ended) {
    if (probe != null) {
      probe.step(step, started, ended);
    }
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

  /** Seeks each partition of the batch back to its first record, so the next poll reads the batch again. */
  private void rewind(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition partition : records.partitions()) {
      if (consumer.assignment().contains(partition)) {
        consumer.seek(partition, records.records(partition).get(0).offset());
      }
    }
  }

  /** An idle reducer still proves the database answers, for readiness. */
  private void pingIfIdle() {
    if (database.answeredWithin(IDLE_PING)) {
      return;
    }
    try {
      if (database.connection().isValid(2)) {
        database.answered();
      } else {
        database.discard();
      }
    } catch (SQLException e) {
      database.discard();
    }
  }

  private void closeQuietly() {
    try {
      // A static member stays in the group after a plain close until its session times out; leaving explicitly
      // hands its partitions over at once and lets a reset find the group empty after a scale to zero.
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5))
          .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    } catch (RuntimeException e) {
      LOG.debug("closing the consumer: {}", e.toString());
    }
    try {
      deadLetters.close();
    } catch (RuntimeException e) {
      LOG.debug("closing the DLQ producer: {}", e.toString());
    }
    database.close();
  }

  /** The consumer settings; read_committed, so records of aborted transactions (a replay that failed) are never read. */
  static Map<String, Object> consumerProperties(ReducerConfig config) {
    Map<String, Object> properties = config.kafkaSecurity().clientProperties(config.bootstrapServers());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, config.group());
    properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "reducer-" + config.pipeline());
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    ConsumerSettings.readCommitted(properties);
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxRecords());
    properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, config.sessionTimeoutMs());
    properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(500, config.sessionTimeoutMs() / 3));
    if (!config.groupInstanceId().isEmpty()) {
      // Static membership: a container restarted in place rejoins under the same id and gets its partitions back
      // without waiting for the dead process's session to expire.
      properties.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.groupInstanceId());
    }
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return properties;
  }
}
