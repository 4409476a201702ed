package io.reducer.workloads.reducer;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
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
import io.reducer.workloads.deadletter.PoisonRecordException;
import io.reducer.workloads.health.ConsumerLoopStatus;
import io.reducer.workloads.kafka.ConsumerSettings;

/**
 * The poll loop of {@code workloads reduce}. It reads and decodes actions and hands them, a batch at a time, to a
 * database worker ({@link BatchWriter}, one thread); while the worker writes a batch, the loop keeps reading, so
 * the actions that arrive meanwhile form the next batch and go to the worker the moment it is free, instead of
 * waiting for a fetch that is only sent after the write. The Kafka offsets of a batch are committed after the
 * database commit. A batch that fails is read again: the loop seeks back to its first records and drops what it
 * read after them, and the dedup log makes the actions already applied no-ops. One batch is written at a time, so
 * a key's actions still commit in the order read.
 */
final class ReducerLoop {

  private static final Logger LOG = LoggerFactory.getLogger(ReducerLoop.class);
  private static final Duration FAILURE_BACKOFF = Duration.ofMillis(500);
  private static final Duration IDLE_PING = Duration.ofSeconds(5);
  /** How long the loop waits for the worker between two reads while a batch is being written. */
  private static final Duration GATHER_INTERVAL = Duration.ofMillis(5);
  /** How long a stopping loop waits for the batch being written, so it ends committed and not rolled back. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);
  /**
   * How often the Kafka offsets of written batches are committed. Committing after every batch (a hundred or more
   * a second) made an offset commit, and a record per partition in {@code __consumer_offsets}, per transaction; a
   * crash re-reads at most this much more, and the dedup log makes it a no-op. A handover or a stop commits at once.
   */
  static final Duration OFFSET_COMMIT_INTERVAL = Duration.ofSeconds(1);

  private final ReducerConfig config;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final BatchWriter writer;
  private final ReducerMetrics metrics;
  private final ConsumerLoopStatus status;
  private final ReducerProbe probe;
  private final ActionDecoder decoder = new ActionDecoder();
  private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
    Thread thread = new Thread(task, "reducer-database");
    thread.setDaemon(true);
    return thread;
  });
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean stopping;
  /** Read and decoded, not yet handed to the worker. */
  private ActionBatch gathering = new ActionBatch();
  /** The batch the worker is writing; null when it is idle. */
  private Writing writing;
  /** Offsets of written batches not committed to Kafka yet, by partition: the next offset to read. */
  private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
  private long offsetsCommittedNanos = System.nanoTime();

  ReducerLoop(ReducerConfig config, BatchWriter writer, ReducerMetrics metrics, ConsumerLoopStatus status,
      ReducerProbe probe) {
    this.config = config;
    this.writer = writer;
    this.metrics = metrics;
    this.status = status;
    this.probe = probe;
    this.consumer = new KafkaConsumer<>(consumerProperties(config), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  /** Runs until {@link #stop()}; returns the exit code. */
  int run() {
    try {
      consumer.subscribe(List.of(config.actionsTopic()), new Handover());
      LOG.info("reducing {}", config);
      while (!stopping) {
        if (writing != null && writing.done().isDone()) {
          settle(false);
        }
        if (writing == null) {
          status.alive();
          writer.pingIfIdle(IDLE_PING);
          if (!gathering.isEmpty()) {
            dispatch();
          } else {
            commitOffsetsIfDue();
            read(Duration.ofMillis(config.pollTimeoutMs()));
            continue;
          }
        }
        // A batch is being written: read on (up to one batch ahead) and look at the worker every few ms.
        if (gathering.size() < config.maxRecords()) {
          read(Duration.ZERO);
        }
        awaitWriting(GATHER_INTERVAL);
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
      finishWriting();
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

  /** Polls once and adds what came to the batch being gathered, decoded; poison records become dead letters. */
  private void read(Duration timeout) {
    long pollStarted = System.nanoTime();
    ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
    long polled = System.nanoTime();
    if (probe != null) {
      probe.step(ReducerProbe.Step.POLL, pollStarted, polled);
      if (!records.isEmpty()) {
        probe.polled(records, pollStarted, polled);
      }
    }
    status.group(consumer.assignment().size(), !consumer.groupMetadata().memberId().isEmpty());
    for (ConsumerRecord<byte[], byte[]> record : records) {
      try {
        gathering.action(record, decoder.decode(record));
      } catch (PoisonRecordException e) {
        gathering.poison(record, new DeadLetter(record, e,
            ActionDecoder.header(record, ActionDecoder.CORRELATION_HEADER)));
      }
    }
  }

  /** Hands the gathered batch to the worker. */
  private void dispatch() {
    ActionBatch batch = gathering;
    gathering = new ActionBatch();
    writing = new Writing(batch, worker.submit(() -> {
      writer.write(batch);
      return null;
    }));
  }

  private void awaitWriting(Duration timeout) throws InterruptedException {
    try {
      writing.done().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // still writing, or failed: settle() tells which
    }
  }

  /**
   * Ends the batch the worker finished: commits its offsets, or, if it failed, seeks back so that it and everything
   * read after it is read again.
   *
   * @param synchronously commit and wait for the broker (a partition is about to be handed over)
   */
  private void settle(boolean synchronously) throws InterruptedException {
    Writing done = writing;
    writing = null;
    try {
      done.done().get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SQLException || cause instanceof OutcomeRaceException
          || cause instanceof DeadLetterException) {
        readAgain(done.batch(), (Exception) cause);
        return;
      }
      if (cause instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("the database worker failed", cause);
    }
    uncommitted.putAll(done.batch().nextOffsets(done.batch().partitions()));
    if (synchronously) {
      commitOffsets(true);
    } else {
      commitOffsetsIfDue();
    }
  }

  private void commitOffsetsIfDue() {
    if (!uncommitted.isEmpty() && System.nanoTime() - offsetsCommittedNanos >= OFFSET_COMMIT_INTERVAL.toNanos()) {
      commitOffsets(false);
    }
  }

  /** Commits the offsets of every written batch so far. */
  private void commitOffsets(boolean synchronously) {
    if (uncommitted.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = Map.copyOf(uncommitted);
    uncommitted.clear();
    offsetsCommittedNanos = System.nanoTime();
    long offsetCommit = offsetsCommittedNanos;
    if (synchronously) {
      try {
        consumer.commitSync(offsets);
      } catch (RuntimeException e) {
        LOG.debug("Kafka offset commit failed; the dedup log makes re-read actions no-ops: {}", e.toString());
      }
    } else {
      consumer.commitAsync(offsets, (committed, error) -> {
        if (error != null) {
          LOG.debug("Kafka offset commit failed; the dedup log makes re-read actions no-ops: {}", error.toString());
        }
      });
    }
    if (probe != null) {
      probe.step(ReducerProbe.Step.OFFSET_COMMIT, offsetCommit, System.nanoTime());
    }
  }

  /** A failed batch: seeks every partition back to its first record in that batch or, after it, in the gathered one. */
  private void readAgain(ActionBatch failed, Exception e) throws InterruptedException {
    metrics.transactionRetry();
    if (e instanceof OutcomeRaceException || SqlStates.isTransient(e)) {
      LOG.debug("batch of {} actions rolled back, reading it again: {}", failed.size(), e.toString());
    } else {
      LOG.warn("batch of {} actions rolled back, reading it again in {} ms: {}", failed.size(),
          FAILURE_BACKOFF.toMillis(), e.toString());
      Thread.sleep(FAILURE_BACKOFF.toMillis());
    }
    Map<TopicPartition, Long> from = new HashMap<>(gathering.firstOffsets());
    from.putAll(failed.firstOffsets());
    gathering = new ActionBatch();
    for (Map.Entry<TopicPartition, Long> partition : from.entrySet()) {
      if (consumer.assignment().contains(partition.getKey())) {
        consumer.seek(partition.getKey(), partition.getValue());
      }
    }
  }

  /** On the way out: lets the worker finish its batch and commits the offsets written, so little is read twice. */
  private void finishWriting() {
    if (writing == null) {
      commitOffsets(true);
      return;
    }
    try {
      writing.done().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      uncommitted.putAll(writing.batch().nextOffsets(writing.batch().partitions()));
      commitOffsets(true);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.debug("the last batch did not finish: {}; it is read again on restart", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writing = null;
  }

  private void closeQuietly() {
    worker.shutdown();
    try {
      if (!worker.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      worker.shutdownNow();
      Thread.currentThread().interrupt();
    }
    try {
      // A static member stays in the group after a plain close until its session times out; leaving explicitly
      // hands its partitions over at once and lets a reset find the group empty after a scale to zero.
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5))
          .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    } catch (RuntimeException e) {
      LOG.debug("closing the consumer: {}", e.toString());
    }
    writer.close();
  }

  /**
   * Partitions leaving this process: the batch being written finishes first and, when revoked in an orderly way,
   * its offsets are committed before the new owner reads; what was read ahead for them is dropped.
   */
  private final class Handover implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      leave(partitions, true);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      leave(partitions, false);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      // The committed offsets say where to start; rows remembered from an earlier ownership may be old.
      writer.forgetRows();
    }

    private void leave(Collection<TopicPartition> partitions, boolean commit) {
      if (writing != null) {
        try {
          if (commit) {
            settle(true);
          } else {
            writing.done().get();
            writing = null;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
          // the partitions are gone; the batch is read again by whoever gets them, or by this process
          writing = null;
        }
      }
      if (commit) {
        commitOffsets(true);
      } else {
        // lost, not handed over: the group has moved on, so these offsets can no longer be committed
        uncommitted.keySet().removeAll(partitions);
      }
      gathering.drop(partitions);
      writer.forgetRows();
    }
  }

  /** A batch handed to the worker and the future of its write. */
  private record Writing(ActionBatch batch, Future<Void> done) {
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
