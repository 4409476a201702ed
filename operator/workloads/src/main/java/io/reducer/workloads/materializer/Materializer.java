package io.reducer.workloads.materializer;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
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
import io.reducer.workloads.deadletter.DeadLetter;
import io.reducer.workloads.deadletter.DeadLetterException;
import io.reducer.workloads.deadletter.DeadLetterPublisher;
import io.reducer.workloads.health.ConsumerLoopStatus;
import io.reducer.workloads.kafka.ConsumerSettings;
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
  private static final Duration LAG_MEASURE_INTERVAL = Duration.ofMillis(50);
  /**
   * Partitions' batches go into one transaction up to this many records (a partition's batch is never split). About
   * 6 ms of PostgreSQL time per transaction; more would make the first partitions of a large poll wait longer.
   */
  private static final int TRANSACTION_RECORDS = 1000;

  private final MaterializerConfig config;
  private final Database database;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final DeadLetterPublisher deadLetters;
  private final WatermarkStore watermarks;
  private final ProjectionUpsert upsert;
  private final PartitionBatchProcessor processor;
  private final StateCommittedDecoder decoder = new StateCommittedDecoder();
  /** One thread that decodes a poll's batches alongside this loop, which takes over those it has not started on. */
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
  private long nextLagMeasureNanos;
  /** Stage stamps of each committed batch, for the benchmark; null (always, in production) records nothing. */
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
    this.upsert = new ProjectionUpsert(config.schema(), config.table());
    this.processor = new PartitionBatchProcessor(upsert, watermarks, deadLetters);
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
        database.pingIfIdle(IDLE_PING);
        if (!pending.isEmpty() && System.nanoTime() >= nextLoadAttemptNanos) {
          loadPending();
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(config.pollTimeoutMs()));
        long polled = System.nanoTime();
        status.alive();
        status.group(consumer.assignment().size(), !consumer.groupMetadata().memberId().isEmpty());
        apply(records, polled);
        measureLag();
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

  /** Reports each committed batch's stage times to {@code trace} (null: stop); for the benchmark's lag breakdown. */
  void traceBatches(BatchTrace trace) {
    this.trace = trace;
  }

  /** One partition's share of a poll: its fresh records (decoded on the decoding thread) and where they move it. */
  private record Part(TopicPartition partition, Watermark expected, long newNext,
      List<ConsumerRecord<byte[], byte[]>> records, Future<DecodedBatch> decoding) {
  }

  /**
   * Applies a poll: the batches of all its partitions in one transaction, every watermark moved in it (see
   * {@link #commitTogether}). Then, for tooling only, the Kafka offsets of what committed.
   */
  private void apply(ConsumerRecords<byte[], byte[]> records, long polled) throws FencedException {
    // Decoding needs only the record bytes: it starts on the decoding thread while this thread reads the positions
    // and decodes too (await takes over a batch that thread has not started on).
    List<Part> parts = new ArrayList<>();
    for (TopicPartition partition : records.partitions()) {
      Watermark expected = owned.get(partition);
      if (expected == null) {
        continue; // revoked or waiting for its position: it is sought from the database before reading again
      }
      List<ConsumerRecord<byte[], byte[]>> batch = fresh(expected, records.records(partition));
      if (!batch.isEmpty()) {
        metrics.partitionRead(partition.partition(), batch.get(0).timestamp());
      }
      Future<DecodedBatch> decoded = batch.isEmpty() ? CompletableFuture.completedFuture(DecodedBatch.of(decoder, batch))
          : decoding.submit(() -> DecodedBatch.of(decoder, batch));
      parts.add(new Part(partition, expected, -1, batch, decoded));
    }
    // Positions can pass the watermark without records (transaction markers): move the watermark along.
    for (TopicPartition partition : new ArrayList<>(owned.keySet())) {
      if (!records.partitions().contains(partition)) {
        parts.add(new Part(partition, owned.get(partition), -1, List.of(),
            CompletableFuture.completedFuture(DecodedBatch.of(decoder, List.of()))));
      }
    }
    List<Part> moving = new ArrayList<>();
    for (Part part : parts) {
      long newNext = consumer.position(part.partition(), KAFKA_CALL_TIMEOUT);
      if (!part.records().isEmpty() || newNext > part.expected().nextOffset()) {
        moving.add(new Part(part.partition(), part.expected(), newNext, part.records(), part.decoding()));
      }
    }
    if (moving.isEmpty()) {
      return;
    }
    moving.sort(Comparator.comparingInt(part -> part.partition().partition()));
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    // A large poll (catching up) goes in several transactions: the first partitions' rows become visible without
    // waiting for the whole poll's statement, and the decoding thread decodes the next ones meanwhile.
    for (int from = 0, to; from < moving.size(); from = to) {
      long size = moving.get(from).records().size();
      for (to = from + 1; to < moving.size() && size + moving.get(to).records().size() <= TRANSACTION_RECORDS; to++) {
        size += moving.get(to).records().size();
      }
      commitTogether(moving.subList(from, to), moving.subList(from, moving.size()), polled, commits);
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
   * The records at or after the partition's watermark. Only this partition's own batch or a rebalance (inside
   * poll) changes its watermark, so it still holds when the batch is applied.
   */
  private static List<ConsumerRecord<byte[], byte[]>> fresh(Watermark expected,
      List<ConsumerRecord<byte[], byte[]>> batch) {
    List<ConsumerRecord<byte[], byte[]>> fresh = new ArrayList<>(batch.size());
    for (ConsumerRecord<byte[], byte[]> record : batch) {
      if (record.offset() >= expected.nextOffset()) {
        fresh.add(record);
      }
    }
    return fresh;
  }

  /**
   * One transaction for the batches of several partitions of a poll (up to {@link #TRANSACTION_RECORDS} records;
   * {@code unfinished}: these and the poll's partitions after them): one statement moves each partition's watermark
   * (guarded by epoch and expected position, the row locked until commit) and upserts the newest row per key of
   * all of them, then the DLQ records are sent and acknowledged, then one commit. Two round trips for the whole poll
   * instead of five per partition: with many partitions, a partition's events no longer wait behind the other
   * partitions' transactions on the one connection. Rows and watermarks still change in the same transaction, so
   * this is as exactly-once as a transaction per partition. A partition whose guard fails is left out (fenced: the
   * process stops; moved: it is sought again) and the others are written again at once. A row the database rejects
   * sends the poll down the old way, a transaction per partition that isolates the row under savepoints.
   */
  private void commitTogether(List<Part> parts, List<Part> unfinished, long polled,
      Map<TopicPartition, OffsetAndMetadata> commits) throws FencedException {
    List<Part> remaining = new ArrayList<>(parts);
    Map<TopicPartition, DecodedBatch> batches = new HashMap<>();
    for (Part part : parts) {
      batches.put(part.partition(), await(part.decoding(), part.records()));
    }
    while (!remaining.isEmpty()) {
      long started = System.nanoTime();
      List<ProjectionUpsert.Move> moves = new ArrayList<>(remaining.size());
      List<StateCommitted> rows = new ArrayList<>();
      List<DeadLetter> letters = new ArrayList<>();
      Set<String> keys = new HashSet<>();
      boolean keyInTwoPartitions = false;
      for (Part part : remaining) {
        DecodedBatch batch = batches.get(part.partition());
        moves.add(new ProjectionUpsert.Move(part.partition().partition(), part.expected(), part.newNext(),
            batch.newest()));
        for (StateCommitted row : batch.latest().latest()) {
          keyInTwoPartitions |= !keys.add(row.workflowKey());
          rows.add(row);
        }
        letters.addAll(batch.letters());
      }
      if (keyInTwoPartitions) {
        // A custom partitioner put a key into two partitions: one statement cannot write a row twice.
        for (Part part : remaining) {
          applyPartition(part, batches.get(part.partition()), commits, polled);
        }
        return;
      }
      try {
        Connection connection = database.connection();
        ProjectionUpsert.Guarded written = upsert.applyGuarded(connection, config.namespace(), config.projection(),
            moves, rows);
        long statementDone = System.nanoTime();
        if (written.moved().size() < remaining.size()) {
          connection.rollback();
          database.answered();
          remaining = leaveOutMoved(connection, remaining, written.moved(), unfinished);
          continue;
        }
        // The watermark rows are locked until commit, so no one can take over between this ack and the commit.
        deadLetters.publish(letters);
        long watermarkDone = System.nanoTime();
        connection.commit();
        long committed = System.nanoTime();
        database.answered();
        for (Part part : remaining) {
          committed(part, batches.get(part.partition()), written.applied(), polled, started, statementDone,
              watermarkDone, committed, commits);
        }
        return;
      } catch (SQLException e) {
        database.rollbackQuietly();
        if (SqlErrors.isRowRejection(e)) {
          // Find the rows the database rejects: a transaction per partition, each row under a savepoint.
          for (Part part : remaining) {
            applyPartition(part, batches.get(part.partition()), commits, polled);
          }
          return;
        }
        database.discard();
        retryLater(remaining, e);
        return;
      } catch (DeadLetterException e) {
        database.rollbackQuietly();
        retryLater(remaining, e);
        return;
      }
    }
  }

  /**
   * After a guard failed: the parts whose guard held, to write again. A partition whose epoch changed means a
   * reset happened (fenced: stop); another position means another instance took it over (seek it again).
   */
  private List<Part> leaveOutMoved(Connection connection, List<Part> remaining, Set<Integer> moved, List<Part> all)
      throws SQLException, FencedException {
    List<Part> kept = new ArrayList<>();
    for (Part part : remaining) {
      int partition = part.partition().partition();
      if (moved.contains(partition)) {
        kept.add(part);
        continue;
      }
      Watermark actual = watermarks.read(connection, partition);
      connection.rollback();
      Watermark expected = part.expected();
      if (actual == null || actual.epoch() != expected.epoch()) {
        long dropped = all.stream().mapToLong(p -> p.records().size()).sum();
        throw new FencedException("partition " + partition + ": watermark epoch is "
            + (actual == null ? "gone" : actual.epoch()) + ", this process holds epoch " + expected.epoch()
            + " (a reset happened); dropping " + dropped + " records and stopping", dropped);
      }
      LOG.warn("partition {}: watermark is at {}, expected {} (another instance took over); re-seeking", partition,
          actual.nextOffset(), expected.nextOffset());
      reload(part.partition());
    }
    return kept;
  }

  private void retryLater(List<Part> parts, Exception e) {
    LOG.warn("batches of {} records on {} rolled back, retrying from the database watermarks: {}",
        parts.stream().mapToInt(p -> p.records().size()).sum(),
        parts.stream().map(p -> p.partition().toString()).toList(), e.toString());
    for (Part part : parts) {
      reload(part.partition());
    }
    nextLoadAttemptNanos = System.nanoTime() + RETRY_BACKOFF.toNanos();
  }

  /** A part's batch committed: its position, meters, trace and Kafka offset. */
  private void committed(Part part, DecodedBatch batch, Set<String> appliedKeys, long polled, long started,
      long statementDone, long watermarkDone, long committed, Map<TopicPartition, OffsetAndMetadata> commits) {
    TopicPartition partition = part.partition();
    owned.put(partition, Watermark.position(partition.partition(), part.newNext(), part.expected().epoch()));
    highestSeen.merge(partition, part.newNext(), Math::max);
    commits.put(partition, new OffsetAndMetadata(part.newNext()));
    metrics.partitionCommitted(partition.partition(), part.newNext(), lastTimestamp(part.records()));
    if (part.records().isEmpty()) {
      return;
    }
    LatestPerKey.Result latest = batch.latest();
    int applied = 0;
    int duplicates = 0;
    for (Map.Entry<String, Integer> rows : latest.rowsPerKey().entrySet()) {
      if (appliedKeys.contains(rows.getKey())) {
        applied++;
        duplicates += latest.staleInBatch().getOrDefault(rows.getKey(), 0);
      } else {
        duplicates += rows.getValue();
      }
    }
    BatchOutcome outcome = new BatchOutcome(part.records().size(), applied, duplicates, batch.letters().size(),
        batch.newest(), statementDone, watermarkDone, committed);
    metrics.batchCommitted(outcome, Duration.ofNanos(committed - started));
    BatchTrace tracing = trace;
    if (tracing != null) {
      tracing.committed(partition.partition(), part.records(), polled, batch.decodedNanos(), started, outcome);
    }
  }

  private static long lastTimestamp(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.isEmpty() ? -1 : records.get(records.size() - 1).timestamp();
  }

  /**
   * Records between each partition's watermark and the log end the consumer last heard of, for the lag gauges;
   * local to the consumer (no request), at most every 50 ms.
   */
  private void measureLag() {
    long now = System.nanoTime();
    if (now < nextLagMeasureNanos) {
      return;
    }
    nextLagMeasureNanos = now + LAG_MEASURE_INTERVAL.toNanos();
    for (Map.Entry<TopicPartition, Watermark> entry : owned.entrySet()) {
      OptionalLong toEnd = consumer.currentLag(entry.getKey());
      if (toEnd.isPresent()) {
        long end = consumer.position(entry.getKey(), KAFKA_CALL_TIMEOUT) + toEnd.getAsLong();
        metrics.partitionBehind(entry.getKey().partition(), Math.max(0, end - entry.getValue().nextOffset()));
      }
    }
  }

  /** One partition's batch in a transaction of its own, rows the database rejects isolated under savepoints. */
  private void applyPartition(Part part, DecodedBatch batch, Map<TopicPartition, OffsetAndMetadata> commits,
      long polled) throws FencedException {
    TopicPartition partition = part.partition();
    Watermark expected = part.expected();
    long newNext = part.newNext();
    List<ConsumerRecord<byte[], byte[]>> fresh = batch.records();
    long started = System.nanoTime();
    try {
      BatchOutcome outcome = processor.process(database.connection(), partition.partition(), batch, expected, newNext);
      database.answered();
      owned.put(partition, Watermark.position(partition.partition(), newNext, expected.epoch()));
      highestSeen.merge(partition, newNext, Math::max);
      metrics.partitionCommitted(partition.partition(), newNext, lastTimestamp(fresh));
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
        metrics.partitionLoaded(partition.partition(), watermark.nextOffset());
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
    ConsumerSettings.readCommitted(properties);
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
      partitions.forEach(partition -> metrics.partitionForgotten(partition.partition()));
      pending.removeAll(partitions);
      if (!partitions.isEmpty()) {
        LOG.info("partitions revoked: {}", partitions);
      }
    }
  }
}
