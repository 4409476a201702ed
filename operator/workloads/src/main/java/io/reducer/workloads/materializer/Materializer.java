package io.reducer.workloads.materializer;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.deadletter.DeadLetterException;
import io.reducer.workloads.deadletter.DeadLetterPublisher;
import io.reducer.workloads.health.ConsumerLoopStatus;
import io.reducer.workloads.postgres.Database;

/**
 * The poll loop. PostgreSQL owns the position: partitions are sought to their watermark on assignment and after
 * any failure, and each poll's records are applied per partition by {@link PartitionBatchProcessor}. Kafka
 * offsets are committed afterwards for tooling (lag dashboards) only; nothing reads them back.
 */
public final class Materializer {

  private static final Logger LOG = LoggerFactory.getLogger(Materializer.class);
  private static final Duration RETRY_BACKOFF = Duration.ofMillis(500);
  private static final Duration IDLE_PING = Duration.ofSeconds(5);
  private static final Duration KAFKA_CALL_TIMEOUT = Duration.ofSeconds(30);

  private final MaterializerConfig config;
  private final Database database;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final DeadLetterPublisher deadLetters;
  private final WatermarkStore watermarks;
  private final PartitionBatchProcessor processor;
  private final StateCommittedDecoder decoder = new StateCommittedDecoder();
  /** One thread that decodes the next partitions' batches while this loop waits for the database. */
  private final ExecutorService decoding = Executors.newSingleThreadExecutor(task -> {
    Thread thread = new Thread(task, "materializer-decode");
    thread.setDaemon(true);
    return thread;
  });
  private final MaterializerMetrics metrics;
  private final ConsumerLoopStatus status;
  private final AutoCloseable http;
  private final CountDownLatch finished = new CountDownLatch(1);

  /** Partitions with a position loaded from the database, and the watermark this process expects. */
  private final Map<TopicPartition, Watermark> owned = new HashMap<>();
  /** Assigned partitions, paused, whose position must be (re)loaded from the database before reading. */
  private final Set<TopicPartition> pending = new HashSet<>();
  /** Highest watermark this process saw per partition, to notice regressions. */
  private final Map<TopicPartition, Long> highestSeen = new HashMap<>();
  private long nextLoadAttemptNanos;
  private volatile BatchTrace trace;
  private volatile boolean stopping;
  private volatile int exitCode = -1;

  Materializer(MaterializerConfig config, Database database, MaterializerMetrics metrics, ConsumerLoopStatus status,
      AutoCloseable http) {
    this.config = config;
    this.status = status;
    this.http = http;
    this.database = database;
    this.metrics = metrics;
    this.deadLetters = new DeadLetterPublisher(config.kafkaSecurity().clientProperties(config.bootstrapServers()),
        config.dlqTopic(), "reducer-materializer-dlq");
    this.watermarks = new WatermarkStore(config.schema(), config.namespace(), config.projection());
    this.processor = new PartitionBatchProcessor(new ProjectionUpsert(config.schema(), config.table()), watermarks,
        deadLetters);
    this.consumer = new KafkaConsumer<>(consumerProperties(config), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  public MaterializerMetrics metrics() {
    return metrics;
  }

  public ConsumerLoopStatus status() {
    return status;
  }

  /** Runs until {@link #stop()} or fencing; returns the process exit code. Closes everything it opened. */
  public int run() {
    int code = ExitCodes.FAILURE;
    try {
      code = loop();
      return code;
    } finally {
      status.stopped();
      closeQuietly();
      exitCode = code;
      finished.countDown();
    }
  }

  /** The exit code of {@link #run()} once it returned ({@link #awaitStopped}), else -1. */
  public int exitCode() {
    return exitCode;
  }

  private int loop() {
    try {
      consumer.subscribe(List.of(config.topic()), new Rebalance());
      LOG.info("materializing {}", config);
      while (!stopping) {
        status.alive();
        pingIfIdle();
        if (!pending.isEmpty() && System.nanoTime() >= nextLoadAttemptNanos) {
          loadPending();
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(config.pollTimeoutMs()));
        long polled = System.nanoTime();
        status.alive();
        status.group(consumer.assignment().size(), !consumer.groupMetadata().memberId().isEmpty());
        apply(records, polled);
      }
      return ExitCodes.OK;
    } catch (WakeupException e) {
      if (!stopping) {
        throw e;
      }
      return ExitCodes.OK;
    } catch (FencedException e) {
      LOG.error("FENCED: {}. Exiting with code {} so the pod restarts with the new epoch.", e.getMessage(),
          ExitCodes.FENCED);
      metrics.fenced(e.droppedRecords());
      return ExitCodes.FENCED;
    } catch (RuntimeException e) {
      LOG.error("materializer failed; it resumes from the database watermarks on restart", e);
      return ExitCodes.FAILURE;
    }
  }

  /** Asks the loop to stop; an in-flight batch either commits or rolls back. Safe from any thread. */
  public void stop() {
    stopping = true;
    consumer.wakeup();
  }

  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  void traceBatches(BatchTrace trace) {
    this.trace = trace;
  }

  private void apply(ConsumerRecords<byte[], byte[]> records, long polled) throws FencedException {
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    // Decoding needs only the record bytes: while the database writes one partition's batch, the next ones are
    // decoded on the decoding thread. Writes and commits stay on this thread, in the same order as before.
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> fresh = new HashMap<>();
    Map<TopicPartition, Future<DecodedBatch>> decoded = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> batch = fresh(partition, records.records(partition));
      fresh.put(partition, batch);
      decoded.put(partition, decoding.submit(() -> DecodedBatch.of(decoder, batch)));
    }
    long done = 0;
    for (TopicPartition partition : records.partitions()) {
      try {
        applyPartition(partition, decoded.get(partition), fresh.get(partition), commits, polled);
      } catch (FencedException e) {
        throw new FencedException(e.getMessage(), records.count() - done);
      }
      done += records.records(partition).size();
    }
    // Positions can pass the watermark without records (transaction markers): move the watermark along.
    for (TopicPartition partition : new ArrayList<>(owned.keySet())) {
      if (!records.partitions().contains(partition)) {
        applyPartition(partition, CompletableFuture.completedFuture(DecodedBatch.of(decoder, List.of())), List.of(),
            commits, polled);
      }
    }
    if (!commits.isEmpty()) {
      consumer.commitAsync(commits, (offsets, error) -> {
        if (error != null) {
          LOG.debug("Kafka offset commit failed (tooling only, the database holds the position): {}", error.toString());
        }
      });
    }
  }

  /**
   * The records at or after the partition's watermark; none when its position is not loaded. Only this
   * partition's own batch or a rebalance (inside poll) changes its watermark, so it still holds when the batch
   * is applied.
   */
  private List<ConsumerRecord<byte[], byte[]>> fresh(TopicPartition partition,
      List<ConsumerRecord<byte[], byte[]>> batch) {
    Watermark expected = owned.get(partition);
    List<ConsumerRecord<byte[], byte[]>> fresh = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : batch) {
      if (expected != null && record.offset() >= expected.nextOffset()) {
        fresh.add(record);
      }
    }
    return fresh;
  }

  private void applyPartition(TopicPartition partition, Future<DecodedBatch> decoded,
      List<ConsumerRecord<byte[], byte[]>> records, Map<TopicPartition, OffsetAndMetadata> commits, long polled)
      throws FencedException {
    Watermark expected = owned.get(partition);
    if (expected == null) {
      return; // revoked or waiting for its position: it is sought from the database before reading again
    }
    long newNext = consumer.position(partition, KAFKA_CALL_TIMEOUT);
    DecodedBatch batch = await(decoded, records);
    List<ConsumerRecord<byte[], byte[]>> fresh = batch.records();
    if (fresh.isEmpty() && newNext <= expected.nextOffset()) {
      return;
    }
    long started = System.nanoTime();
    try {
      BatchOutcome outcome = processor.process(database.connection(), partition.partition(), batch, expected, newNext);
      database.answered();
      owned.put(partition, new Watermark(newNext, expected.epoch()));
      highestSeen.merge(partition, newNext, Math::max);
      if (!fresh.isEmpty()) {
        metrics.batchCommitted(outcome, Duration.ofNanos(outcome.committedNanos() - started));
        BatchTrace tracing = trace;
        if (tracing != null) {
          tracing.committed(partition.partition(), fresh, polled, batch.decodedNanos(), started, outcome);
        }
      }
      commits.put(partition, new OffsetAndMetadata(newNext));
    } catch (WatermarkMovedException e) {
      database.answered();
      LOG.warn(e.getMessage());
      reload(partition);
    } catch (SQLException | DeadLetterException e) {
      database.rollbackQuietly();
      LOG.warn("batch of {} records on {} rolled back, retrying from the database watermark: {}", fresh.size(),
          partition, e.toString());
      if (e instanceof SQLException) {
        database.discard();
      }
      reload(partition);
      nextLoadAttemptNanos = System.nanoTime() + RETRY_BACKOFF.toNanos();
    } catch (FencedException e) {
      database.answered();
      throw e;
    }
  }

  /**
   * The decoded batch. If the decoding thread has not started on it (on a busy machine it may wait for a core),
   * this thread decodes it rather than wait for that thread to be scheduled.
   */
  private DecodedBatch await(Future<DecodedBatch> decoded, List<ConsumerRecord<byte[], byte[]>> fresh) {
    if (!decoded.isDone() && decoded.cancel(false)) {
      return DecodedBatch.of(decoder, fresh);
    }
    try {
      return decoded.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while decoding a batch", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("decoding a batch failed", e.getCause());
    }
  }

  /** An idle materializer still proves the database answers, for readiness. */
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

  /** Forgets the in-memory position; the partition is paused until it is sought from the database again. */
  private void reload(TopicPartition partition) {
    owned.remove(partition);
    pending.add(partition);
    consumer.pause(List.of(partition));
  }

  private void loadPending() {
    List<TopicPartition> partitions = new ArrayList<>(pending);
    partitions.retainAll(consumer.assignment());
    pending.retainAll(partitions);
    if (partitions.isEmpty()) {
      return;
    }
    try {
      Map<TopicPartition, Long> logStart = consumer.beginningOffsets(partitions, KAFKA_CALL_TIMEOUT);
      for (TopicPartition partition : partitions) {
        Watermark watermark = watermarks.load(database.connection(), partition.partition(), logStart.get(partition));
        database.answered();
        Long seen = highestSeen.get(partition);
        if (seen != null && watermark.nextOffset() < seen) {
          metrics.regression();
          LOG.warn("watermark of {} regressed from {} to {}", partition, seen, watermark.nextOffset());
        }
        highestSeen.put(partition, watermark.nextOffset());
        consumer.seek(partition, watermark.nextOffset());
        consumer.resume(List.of(partition));
        owned.put(partition, watermark);
        pending.remove(partition);
        LOG.info("{}: resuming at offset {} (epoch {})", partition, watermark.nextOffset(), watermark.epoch());
      }
    } catch (SQLException e) {
      database.rollbackQuietly();
      database.discard();
      nextLoadAttemptNanos = System.nanoTime() + RETRY_BACKOFF.toNanos();
      LOG.warn("cannot read watermarks, the database is unavailable; retrying: {}", e.toString());
    } catch (TimeoutException e) {
      nextLoadAttemptNanos = System.nanoTime() + RETRY_BACKOFF.toNanos();
      LOG.warn("cannot read the log start offsets from Kafka; retrying: {}", e.toString());
    }
  }

  private void closeQuietly() {
    decoding.shutdownNow();
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
    try {
      http.close();
    } catch (Exception e) {
      LOG.debug("closing the HTTP endpoints: {}", e.toString());
    }
    metrics.close();
  }

  /** The consumer settings; read_committed, so records of aborted transactions (a replay that failed) are never read. */
  static Map<String, Object> consumerProperties(MaterializerConfig config) {
    Map<String, Object> properties = config.kafkaSecurity().clientProperties(config.bootstrapServers());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, config.group());
    properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "reducer-materializer-" + config.projection());
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxRecords());
    properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, config.sessionTimeoutMs());
    properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(500, config.sessionTimeoutMs() / 3));
    if (!config.groupInstanceId().isEmpty()) {
      // Static membership: a container restarted in place rejoins under the same id and gets its partitions back
      // without waiting for the dead process's session to expire.
      properties.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.groupInstanceId());
    }
    // Used only when a watermark points outside the log (retention deleted it): start at the oldest record.
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return properties;
  }

  /** Runs inside poll(), on the loop's thread, so it may use the consumer and the database connection. */
  private final class Rebalance implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      pending.addAll(partitions);
      consumer.pause(partitions);
      loadPending();
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      forget(partitions);
    }

    private void forget(Collection<TopicPartition> partitions) {
      partitions.forEach(owned::remove);
      pending.removeAll(partitions);
      if (!partitions.isEmpty()) {
        LOG.info("partitions revoked: {}", partitions);
      }
    }
  }
}
