package io.reducer.workloads.materializer;

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
import java.util.concurrent.locks.LockSupport;

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
import io.reducer.workloads.deadletter.DeadLetterPublisher;
import io.reducer.workloads.health.ConsumerLoopStatus;
import io.reducer.workloads.kafka.ConsumerSettings;
import io.reducer.workloads.postgres.Database;

/**
 * The poll loop. PostgreSQL owns the position: partitions are sought to their watermark on assignment and after
 * any failure, and each poll's records are written by {@link PollWriter} on a thread of its own while this loop
 * reads the next poll. Kafka offsets are committed afterwards for tooling (lag dashboards) only; nothing reads them
 * back.
 */
public final class Materializer {

  private static final Logger LOG = LoggerFactory.getLogger(Materializer.class);
  private static final Duration RETRY_BACKOFF = Duration.ofMillis(500);
  private static final Duration IDLE_PING = Duration.ofSeconds(5);
  private static final Duration KAFKA_CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration LAG_MEASURE_INTERVAL = Duration.ofMillis(50);
  /**
   * How often the Kafka offsets (tooling only) are committed: once per database transaction made an offset commit,
   * and a record per partition in {@code __consumer_offsets}, for each of a hundred or more transactions a second.
   */
  static final Duration OFFSET_COMMIT_INTERVAL = Duration.ofSeconds(1);

  private final MaterializerConfig config;
  private final Database database;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final DeadLetterPublisher deadLetters;
  private final WatermarkStore watermarks;
  private final StateCommittedDecoder decoder = new StateCommittedDecoder();
  /** The writers of a poll's batches, each with its own connection; the first uses {@link #database}. */
  private final List<PollWriter> writers = new ArrayList<>();
  /** The connections of the writers after the first. */
  private final List<Database> writerDatabases = new ArrayList<>();
  /** One thread that decodes a poll's batches alongside this loop, which takes over those it has not started on. */
  private final ExecutorService decoding = Executors.newSingleThreadExecutor(task -> {
    Thread thread = new Thread(task, "materializer-decode");
    thread.setDaemon(true);
    return thread;
  });
  /** The writers' threads: they write a poll's batches while this loop reads the next poll (see {@link #apply}). */
  private final ExecutorService writing;
  private final MaterializerMetrics metrics;
  private final ConsumerLoopStatus status;
  private final FetchPacing pacing;
  private final AutoCloseable http;
  private final CountDownLatch finished = new CountDownLatch(1);

  /** Partitions with a position loaded from the database, and the watermark this process expects. */
  private final Map<TopicPartition, Watermark> owned = new HashMap<>();
  /** Assigned partitions, paused, whose position must be (re)loaded from the database before reading. */
  private final Set<TopicPartition> pending = new HashSet<>();
  /** Highest watermark this process saw per partition, to notice regressions. */
  private final Map<TopicPartition, Long> highestSeen = new HashMap<>();
  /** Positions committed to the database and not yet to Kafka. */
  private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
  private long offsetsCommittedNanos = System.nanoTime();
  private long nextLoadAttemptNanos;
  private long nextLagMeasureNanos;
  /** The writes of the last poll, until {@link #settle} takes in what they left; they hold the connections. */
  private final List<Future<PollWrite>> inFlight = new ArrayList<>();
  /** What {@link #settle} threw inside a rebalance callback, to throw after the poll. */
  private Exception failedInCallback;
  private volatile boolean stopping;
  private volatile int exitCode = -1;

  Materializer(MaterializerConfig config, Database database, MaterializerMetrics metrics, ConsumerLoopStatus status,
      AutoCloseable http) {
    this.config = config;
    this.status = status;
    this.pacing = new FetchPacing(config.fetchWaitMs(), config.maxRecords());
    this.http = http;
    this.database = database;
    this.metrics = metrics;
    this.deadLetters = new DeadLetterPublisher(config.kafkaSecurity().clientProperties(config.bootstrapServers()),
        config.dlqTopic(), "reducer-materializer-dlq");
    this.watermarks = new WatermarkStore(config.schema(), config.namespace(), config.projection());
    for (int i = 0; i < config.writers(); i++) {
      Database connection = i == 0 ? database : config.database();
      if (i > 0) {
        writerDatabases.add(connection);
      }
      writers.add(new PollWriter(config, connection, new ProjectionUpsert(config.schema(), config.table()),
          watermarks, deadLetters, decoder, metrics));
    }
    int[] threads = {0};
    this.writing = Executors.newFixedThreadPool(config.writers(), task -> {
      Thread thread = new Thread(task, "materializer-write-" + threads[0]++);
      thread.setDaemon(true);
      return thread;
    });
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
        if (!inFlight.isEmpty() && inFlight.stream().allMatch(Future::isDone)) {
          settle();
        }
        if (inFlight.isEmpty()) {
          database.pingIfIdle(IDLE_PING);
          writerDatabases.forEach(connection -> connection.pingIfIdle(IDLE_PING));
          commitOffsetsIfDue();
        }
        if (!pending.isEmpty() && System.nanoTime() >= nextLoadAttemptNanos) {
          settle();
          if (System.nanoTime() >= nextLoadAttemptNanos) { // the write settled may have asked for a pause
            loadPending();
          }
        }
        // Under steady traffic, let a fetch's worth of records arrive first (FetchPacing); never when idle.
        long paced = pacing.waitNanos(System.nanoTime());
        if (paced > 0) {
          LockSupport.parkNanos(paced);
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(config.pollTimeoutMs()));
        long polled = System.nanoTime();
        pacing.polled(records.count(), bytes(records), polled);
        throwIfFailedInCallback();
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

  private static long bytes(ConsumerRecords<byte[], byte[]> records) {
    long bytes = 0;
    for (ConsumerRecord<byte[], byte[]> record : records) {
      bytes += Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
    }
    return bytes;
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
    writers.forEach(writer -> writer.traceBatches(trace));
  }

  /**
   * Applies a poll. Its batches are written by the writers, each a share of the partitions in a transaction of its
   * own on its own connection, while this loop polls again; one poll in flight at a time. Parts are read against
   * the positions the writes in flight will leave (taken as committed), then those writes are settled; a part whose
   * partition they did not commit is dropped, its records read again from the database's watermark. So the poll,
   * the fetch parsing and the decoding of the next poll overlap PostgreSQL's work on this one, and a large poll
   * uses more than one PostgreSQL backend.
   */
  private void apply(ConsumerRecords<byte[], byte[]> records, long polled) throws FencedException {
    List<PollPart> parts = new ArrayList<>();
    for (TopicPartition partition : records.partitions()) {
      Watermark expected = owned.get(partition);
      if (expected == null) {
        continue; // revoked or waiting for its position: it is sought from the database before reading again
      }
      List<ConsumerRecord<byte[], byte[]>> batch = fresh(expected, records.records(partition));
      // Decoding needs only the record bytes: it starts on the decoding thread at once; the writer takes over a
      // batch that thread has not started on.
      Future<DecodedBatch> decoded = batch.isEmpty() ? CompletableFuture.completedFuture(DecodedBatch.of(decoder, batch))
          : decoding.submit(() -> DecodedBatch.of(decoder, batch));
      parts.add(new PollPart(partition, expected, -1, batch, decoded));
    }
    settle();
    measureLag();
    List<PollPart> moving = new ArrayList<>();
    for (PollPart part : parts) {
      if (owned.get(part.partition()) != part.expected()) {
        part.decoding().cancel(false); // the write before did not commit the partition: it is sought again
        continue;
      }
      if (!part.records().isEmpty()) {
        metrics.partitionRead(part.partition().partition(), part.records().get(0).timestamp());
      }
      moving.add(part);
    }
    // Positions can pass the watermark without records (transaction markers): move the watermark along.
    for (Map.Entry<TopicPartition, Watermark> entry : owned.entrySet()) {
      if (!records.partitions().contains(entry.getKey())) {
        moving.add(new PollPart(entry.getKey(), entry.getValue(), -1, List.of(),
            CompletableFuture.completedFuture(DecodedBatch.of(decoder, List.of()))));
      }
    }
    List<PollPart> writes = new ArrayList<>();
    for (PollPart part : moving) {
      long newNext = consumer.position(part.partition(), KAFKA_CALL_TIMEOUT);
      if (!part.records().isEmpty() || newNext > part.expected().nextOffset()) {
        writes.add(part.movedTo(newNext));
      }
    }
    if (writes.isEmpty()) {
      return;
    }
    writes.sort(Comparator.comparingInt(part -> part.partition().partition()));
    for (PollPart part : writes) {
      owned.put(part.partition(), part.committedWatermark());
    }
    List<List<PollPart>> shares = WriterShares.split(writes, writers.size());
    for (int i = 0; i < shares.size(); i++) {
      PollWriter writer = writers.get(i);
      List<PollPart> share = shares.get(i);
      inFlight.add(writing.submit(() -> writer.write(share, polled)));
    }
  }

  /**
   * Waits for the writes in flight, if any, and takes in what they left: committed positions (kept, with their
   * meters and Kafka offsets), partitions to seek from the database again, fencing (thrown). After it the loop's
   * positions are the database's and the connections are free.
   */
  private void settle() throws FencedException {
    if (inFlight.isEmpty()) {
      return;
    }
    List<PollWrite> results = new ArrayList<>();
    RuntimeException failed = null;
    for (Future<PollWrite> write : inFlight) {
      try {
        results.add(write.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failed = new IllegalStateException("interrupted while writing a batch", e);
      } catch (ExecutionException e) {
        failed = e.getCause() instanceof RuntimeException runtime ? runtime
            : new IllegalStateException("writing a batch failed", e.getCause());
      }
    }
    inFlight.clear();
    if (failed != null) {
      throw failed;
    }
    FencedException fenced = null;
    for (PollWrite result : results) {
      take(result);
      fenced = fenced == null ? result.fenced() : fenced;
    }
    if (fenced != null) {
      throw fenced;
    }
  }

  /** One writer's result: its committed positions and their Kafka offsets, the partitions to seek again. */
  private void take(PollWrite result) {
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    for (PollPart part : result.committed()) {
      TopicPartition partition = part.partition();
      highestSeen.merge(partition, part.newNext(), Math::max);
      commits.put(partition, new OffsetAndMetadata(part.newNext()));
      metrics.partitionCommitted(partition.partition(), part.newNext(), part.lastTimestamp());
    }
    Set<TopicPartition> assigned = consumer.assignment();
    for (TopicPartition partition : result.reload()) {
      if (assigned.contains(partition)) {
        reload(partition);
      } else {
        owned.remove(partition);
      }
    }
    if (result.backOff()) {
      nextLoadAttemptNanos = System.nanoTime() + RETRY_BACKOFF.toNanos();
    }
    if (result.fenced() == null) {
      uncommitted.putAll(commits);
      commitOffsetsIfDue();
    }
  }

  private void commitOffsetsIfDue() {
    if (!uncommitted.isEmpty() && System.nanoTime() - offsetsCommittedNanos >= OFFSET_COMMIT_INTERVAL.toNanos()) {
      commitOffsets();
    }
  }

  /** Commits the positions the database holds to Kafka, for tooling; never read back. */
  private void commitOffsets() {
    offsetsCommittedNanos = System.nanoTime();
    if (uncommitted.isEmpty()) {
      return;
    }
    consumer.commitAsync(Map.copyOf(uncommitted), (offsets, error) -> {
      if (error != null) {
        LOG.debug("Kafka offset commit failed (tooling only, the database holds the position): {}", error.toString());
      }
    });
    uncommitted.clear();
  }

  /** {@link #settle} inside a rebalance callback, which cannot throw it: the loop throws it after the poll. */
  private void settleInCallback() {
    try {
      settle();
    } catch (FencedException | RuntimeException e) {
      failedInCallback = e;
    }
  }

  private void throwIfFailedInCallback() throws FencedException {
    Exception failed = failedInCallback;
    failedInCallback = null;
    if (failed instanceof FencedException fenced) {
      throw fenced;
    }
    if (failed != null) {
      throw (RuntimeException) failed;
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
   * Records between each partition's watermark and the log end the consumer last heard of, for the lag gauges;
   * local to the consumer (no request), at most every 50 ms. Called with no write in flight, so the watermarks are
   * the database's.
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
    try {
      settle(); // the write in flight commits or rolls back before the connection closes
    } catch (FencedException | RuntimeException e) {
      LOG.debug("the last write before stopping: {}", e.toString());
    }
    writing.shutdownNow();
    decoding.shutdownNow();
    writerDatabases.forEach(Database::close);
    try {
      commitOffsets(); // the consumer's close waits for it
    } catch (RuntimeException e) {
      LOG.debug("the last Kafka offset commit: {}", e.toString());
    }
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
      settleInCallback(); // loading positions needs the connection
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
      settleInCallback(); // what is in flight for them commits or rolls back before another process takes them
      if (!uncommitted.isEmpty()) {
        try {
          commitOffsets();
        } catch (RuntimeException e) {
          LOG.debug("Kafka offset commit before a handover (tooling only): {}", e.toString());
        }
      }
      partitions.forEach(owned::remove);
      partitions.forEach(partition -> metrics.partitionForgotten(partition.partition()));
      pending.removeAll(partitions);
      if (!partitions.isEmpty()) {
        LOG.info("partitions revoked: {}", partitions);
      }
    }
  }
}
