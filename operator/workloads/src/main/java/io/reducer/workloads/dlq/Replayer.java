package io.reducer.workloads.dlq;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;

import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.dlq.format.DlqFormats;
import io.reducer.workloads.dlq.format.DlqRecord;
import io.reducer.workloads.dlq.format.ReplayHeaders;
import io.reducer.workloads.kafka.AssignedConsumers;
import io.reducer.workloads.kafka.KafkaFailures;

/**
 * Republishes the selected records of a DLQ snapshot exactly once.
 *
 * <p>One transactional producer ({@code transactional.id} from the replay name) and one read_committed consumer
 * with manual assignment. Each transaction sends a batch of records and commits the replay's consumer-group
 * offsets for the DLQ, with a {@link ReplayCheckpoint} as offset metadata, then commits: the records and the
 * position after them become visible together or not at all. On start, {@code initTransactions} aborts whatever
 * transaction an earlier process of the same replay left open and fences that process if it still runs; only then
 * are the committed offsets read, and reading resumes there. So a killed and retried process continues after
 * the last committed transaction, and of two concurrent processes the older one fails on its next send or commit
 * and exits with {@link ExitCodes#FENCED}.
 */
final class Replayer {

  /** How a run ended. */
  record Outcome(int exitCode, DlqReplayResult result) {
  }

  private final ReplayConfig config;
  private final SelectionConfig selectionConfig;
  private final Selection selection;
  private final PrintStream out;
  private final RateLimiter rateLimiter;
  private final ReplayHeaders provenance;
  private final AtomicReference<Exception> sendError = new AtomicReference<>();
  private final Callback onSent = (metadata, exception) -> {
    if (exception != null) {
      sendError.compareAndSet(null, exception);
    }
  };
  private volatile boolean stopRequested;

  private KafkaProducer<byte[], byte[]> producer;
  private KafkaConsumer<byte[], byte[]> consumer;
  private List<DlqInspectResult.Range> snapshot;
  private List<DlqInspectResult.Range> toRead;
  private String fingerprint;
  private final ReplayCounters committed = new ReplayCounters();
  private final ReplayCounters pending = new ReplayCounters();
  /** DLQ records earlier replays (of any name) sent; this one's are added in its transactions. */
  private ReplayLedger ledger;
  /** DLQ offsets sent in the open transaction, for the ledger. */
  private final ReplayLedger.Pending pendingSent = new ReplayLedger.Pending();
  private final Map<Integer, Long> positions = new TreeMap<>();
  private Map<Integer, Long> committedPositions = new TreeMap<>();
  private boolean transactionOpen;
  private long transactionStarted;
  private int transactionRecords;
  private long startedAt;
  /** Records an earlier run of this replay committed: rates count only this run's. */
  private long replayedBefore;
  private long lastReport;

  Replayer(ReplayConfig config, PrintStream out) {
    this.config = config;
    this.selectionConfig = config.selection();
    this.selection = new Selection(config.selection());
    this.out = out;
    this.rateLimiter = new RateLimiter(config.ratePerSecond());
    this.provenance = new ReplayHeaders(config.replayName(), config.selection().dlqTopic());
  }

  /** Asks the loop to commit what it has and stop; for SIGTERM. */
  void stop() {
    stopRequested = true;
  }

  Outcome run() {
    startedAt = System.nanoTime();
    try (Admin admin = DlqClients.admin(selectionConfig)) {
      int partitions = DlqTopic.partitions(admin, selectionConfig);
      if (selectionConfig.targetTopic() != null && DlqTopic.describe(admin, selectionConfig.targetTopic()) == null) {
        throw new ConfigException("target topic '" + selectionConfig.targetTopic() + "' does not exist: create it "
            + "or fix --target-topic (DLQ_TARGET_TOPIC)");
      }
      producer = DlqClients.transactionalProducer(selectionConfig, config.transactionalId());
      consumer = DlqClients.consumer(selectionConfig, config.group(),
          ReplayNames.prefixed(config.replayName()));
      // Aborts a transaction a dead predecessor left open and fences a live one, before the position is read.
      producer.initTransactions();
      // After initTransactions: a transaction of an earlier process of this replay is aborted, not pending.
      ledger = ReplayLedger.read(admin, selectionConfig, true);
      resume(partitions);
      return replay(new TargetTopics(admin));
    } catch (ConfigException e) {
      return failure(ExitCodes.BAD_CONFIGURATION, "configuration error: " + e.getMessage());
    } catch (KafkaException e) {
      if (isFenced(e)) {
        return failure(ExitCodes.FENCED, "fenced: another process of replay '" + config.replayName()
            + "' (transactional.id " + config.transactionalId() + ") started and took over; this one stopped "
            + "without committing its open transaction");
      }
      return failure(ExitCodes.FAILURE, "failed: " + KafkaFailures.rootMessage(e));
    } catch (RuntimeException e) {
      return failure(ExitCodes.FAILURE, "failed: " + KafkaFailures.rootMessage(e));
    } finally {
      closeClients();
    }
  }

  /** Reads the committed position and checkpoint of this replay, and decides the snapshot. */
  private void resume(int partitionCount) throws ConfigException {
    Set<TopicPartition> all = new HashSet<>();
    for (int p = 0; p < partitionCount; p++) {
      all.add(new TopicPartition(selectionConfig.dlqTopic(), p));
    }
    Map<Integer, Long> storedEnds = new TreeMap<>();
    Map<Integer, Long> storedPositions = new TreeMap<>();
    ReplayCheckpoint checkpoint = null;
    for (Map.Entry<TopicPartition, OffsetAndMetadata> entry
        : consumer.committed(all, Duration.ofSeconds(60)).entrySet()) {
      ReplayCheckpoint decoded = entry.getValue() == null ? null
          : ReplayCheckpoint.decode(entry.getValue().metadata());
      if (decoded != null) {
        checkpoint = decoded;
        storedEnds.put(entry.getKey().partition(), decoded.end());
        storedPositions.put(entry.getKey().partition(), entry.getValue().offset());
      }
    }
    Map<Integer, Long> ends = selectionConfig.snapshot() != null ? selectionConfig.snapshot()
        : checkpoint != null ? storedEnds : null;
    snapshot = DlqTopic.snapshot(consumer, selectionConfig, ends, partitionCount);
    fingerprint = selection.fingerprint(DlqTopic.ends(snapshot));
    if (checkpoint != null && !checkpoint.fingerprint().equals(fingerprint) && checkpoint.replayed() > 0
        && !ledger.knows(config.replayName())) {
      // It sent records before replays kept a ledger: starting over could send them again.
      throw new ConfigException("replay '" + config.replayName() + "' already committed progress in consumer group '"
          + config.group() + "' for a different selection (its snapshot: " + SnapshotSpec.format(storedEnds)
          + "), and the ledger " + ledger.topic() + " does not know what it sent: run it again with the flags it "
          + "started with, or choose a new --replay-name");
    }
    if (checkpoint != null && !checkpoint.fingerprint().equals(fingerprint)) {
      // The name was used for another selection (a DlqReplay re-created under its name over a grown DLQ): that
      // position means nothing here, so this selection starts at its beginning. What the other one sent is in
      // the ledger and is skipped, so nothing is sent twice.
      out.println("replay '" + config.replayName() + "' committed progress in consumer group '" + config.group()
          + "' for a different selection (its snapshot: " + SnapshotSpec.format(storedEnds) + "); this selection "
          + "starts at its beginning, and the records that one sent are skipped as already replayed");
      checkpoint = null;
      storedPositions.clear();
    }
    if (checkpoint != null) {
      committed.add(checkpoint.counters());
      replayedBefore = committed.replayed;
    }
    toRead = snapshot.stream().map(range -> new DlqInspectResult.Range(range.partition(),
        Math.min(range.endOffset(), storedPositions.getOrDefault(range.partition(), range.startOffset())),
        range.endOffset())).toList();
    toRead.forEach(range -> positions.put(range.partition(), range.startOffset()));
    committedPositions = new TreeMap<>(positions);
    String snapshotText = SnapshotSpec.format(DlqTopic.ends(snapshot));
    out.println("dlq replay '" + config.replayName() + "': topic " + selectionConfig.dlqTopic() + ", snapshot "
        + snapshotText + (ends == null ? " (current end offsets)" : "") + ", group " + config.group()
        + ", transactional.id " + config.transactionalId());
    out.println("filters: " + selectionConfig.describeFilters());
    out.println(checkpoint == null ? "starting at " + SnapshotSpec.format(positions)
        : "resuming at " + SnapshotSpec.format(positions) + " after " + committed);
    out.flush();
  }

  private Outcome replay(TargetTopics targets) throws ConfigException {
    SnapshotReader reader = new SnapshotReader(consumer, selectionConfig.dlqTopic(), toRead,
        selectionConfig.limit() != null);
    Long limit = selectionConfig.limit();
    boolean limitReached = limit != null && committed.matched >= limit;
    lastReport = System.nanoTime();
    reading:
    while (!limitReached && !stopRequested) {
      List<ConsumerRecord<byte[], byte[]>> records = reader.poll();
      if (records.isEmpty() && reader.done()) {
        break;
      }
      for (ConsumerRecord<byte[], byte[]> record : records) {
        DlqRecord decoded = DlqFormats.read(record);
        if (selection.matches(decoded)) {
          if (limit != null && committed.matched + pending.matched >= limit) {
            limitReached = true;
            break reading;
          }
          Selection.Decision decision = selection.decide(decoded,
              ledger.replayedBy(record.partition(), record.offset()));
          String target = selection.target(decoded);
          if (decision == Selection.Decision.REPLAY && !targets.exists(target)) {
            commit();
            return failure(ExitCodes.BAD_CONFIGURATION, "target topic '" + target + "' of DLQ record "
                + record.partition() + "@" + record.offset() + " does not exist: create it (or pass "
                + "--target-topic), then run the replay again; it resumes at this record");
          }
          begin();
          pending.matched++;
          switch (decision) {
            case UNROUTABLE -> pending.skip(DlqReplayResult.UNROUTABLE);
            case MAX_REPLAYS -> pending.skip(DlqReplayResult.MAX_REPLAYS);
            case TARGET_NOT_ALLOWED -> pending.skip(DlqReplayResult.TARGET_NOT_ALLOWED);
            case ALREADY_REPLAYED -> pending.skip(DlqReplayResult.ALREADY_REPLAYED);
            default -> {
              rateLimiter.acquire();
              producer.send(new ProducerRecord<>(target, null, null, decoded.key(), decoded.value(),
                  provenance.add(decoded.headers(), decoded.replayCount(), record.partition(), record.offset())),
                  onSent);
              pendingSent.sent(record.partition(), record.offset());
              pending.replayed++;
            }
          }
        } else {
          begin();
        }
        positions.put(record.partition(), record.offset() + 1);
        transactionRecords++;
        if (transactionRecords >= config.batchRecords() || transactionAgeMs() >= config.batchMs()
            || sendError.get() != null) {
          commit();
          report();
        }
        if (stopRequested) {
          break reading;
        }
      }
      if (transactionOpen && transactionAgeMs() >= config.batchMs()) {
        commit();
      }
      report();
    }
    if (stopRequested && !limitReached && !reader.done()) {
      commit();
      return failure(ExitCodes.FAILURE, "stopped by a signal after committing " + committed
          + " at DLQ positions " + SnapshotSpec.format(committedPositions));
    }
    // Done: every position moves to its snapshot end, past what was filtered out or lies beyond the limit.
    snapshot.forEach(range -> positions.put(range.partition(), range.endOffset()));
    commit();
    double seconds = (System.nanoTime() - startedAt) / 1e9;
    String message = "replayed " + committed.replayed + " of " + committed.matched + " matching records"
        + (replayedBefore > 0 ? " (" + (committed.replayed - replayedBefore) + " in this run, after resuming)" : "")
        + (limitReached ? " (limit " + limit + " reached)" : "") + " from snapshot "
        + SnapshotSpec.format(DlqTopic.ends(snapshot)) + " in " + String.format("%.1f", seconds) + " s"
        + (committed.skipped.isEmpty() ? "" : "; skipped " + committed.skipped);
    DlqReplayResult result = new DlqReplayResult(committed.progress(0), DlqReplayResult.SUCCEEDED, message);
    writeProgress(result);
    return new Outcome(ExitCodes.OK, result);
  }

  private void begin() {
    if (!transactionOpen) {
      producer.beginTransaction();
      transactionOpen = true;
      transactionStarted = System.nanoTime();
      transactionRecords = 0;
    }
  }

  /**
   * Commits the open transaction with the DLQ positions reached; opens one when only positions moved. A failed
   * send fails the commit; the caller then aborts.
   */
  private void commit() {
    if (!transactionOpen && positions.equals(committedPositions)) {
      return;
    }
    begin();
    ReplayCounters total = new ReplayCounters();
    total.add(committed);
    total.add(pending);
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (DlqInspectResult.Range range : snapshot) {
      offsets.put(new TopicPartition(selectionConfig.dlqTopic(), range.partition()),
          new OffsetAndMetadata(positions.get(range.partition()),
              ReplayCheckpoint.of(fingerprint, range.endOffset(), total).encode()));
    }
    // The ledger learns what this transaction sent in the same transaction: both are committed or neither.
    pendingSent.spans().forEach((partition, sent) -> ledger.records(config.replayName(), partition, sent)
        .forEach(entry -> producer.send(entry, onSent)));
    if (sendError.get() != null) {
      throw new KafkaException("a record could not be sent: " + KafkaFailures.rootMessage(sendError.get()),
          sendError.get());
    }
    producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
    producer.commitTransaction();
    committed.add(pending);
    pending.clear();
    pendingSent.clear();
    transactionOpen = false;
    committedPositions = new TreeMap<>(positions);
  }

  private long transactionAgeMs() {
    return (System.nanoTime() - transactionStarted) / 1_000_000;
  }

  /** Prints the committed counters and rewrites the progress file, at most once per interval. */
  private void report() {
    long now = System.nanoTime();
    if (now - lastReport < config.progressIntervalMs() * 1_000_000L) {
      return;
    }
    lastReport = now;
    double seconds = (now - startedAt) / 1e9;
    out.printf("progress: %s, committed DLQ positions %s, %.0f records/s%n", committed,
        SnapshotSpec.format(committedPositions), seconds > 0 ? (committed.replayed - replayedBefore) / seconds : 0.0);
    out.flush();
    writeProgress(new DlqReplayResult(committed.progress(0), DlqReplayResult.RUNNING,
        "replaying; committed DLQ positions " + SnapshotSpec.format(committedPositions)));
  }

  private void writeProgress(DlqReplayResult result) {
    if (config.progressFile() == null) {
      return;
    }
    try {
      TerminationMessage.replace(config.progressFile(), TerminationMessage.fit(result));
    } catch (IOException e) {
      out.println("warning: cannot write progress file " + config.progressFile() + ": " + e.getMessage());
    }
  }

  /**
   * Ends the run as failed: aborts the open transaction unless this process is fenced (then it no longer may),
   * and counts its records as failed. They are not lost: their DLQ position was not committed either, so a retry
   * resumes with them.
   */
  private Outcome failure(int exitCode, String message) {
    if (transactionOpen && exitCode != ExitCodes.FENCED) {
      try {
        producer.abortTransaction();
      } catch (KafkaException e) {
        // The broker aborts it when the transaction times out or a retry's initTransactions runs.
      }
    }
    long failed = pending.replayed;
    pending.clear();
    pendingSent.clear();
    transactionOpen = false;
    String text = message + (failed > 0 ? "; " + failed + " records of the open transaction were not committed" : "")
        + (exitCode == ExitCodes.BAD_CONFIGURATION || committedPositions.isEmpty() ? ""
            : "; a retry resumes at DLQ positions " + SnapshotSpec.format(committedPositions));
    DlqReplayResult result = new DlqReplayResult(committed.progress(failed), DlqReplayResult.FAILED, text);
    writeProgress(result);
    return new Outcome(exitCode, result);
  }

  private void closeClients() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    if (consumer != null) {
      AssignedConsumers.close(consumer);
    }
  }

  /**
   * Whether the coordinator took this process's transactional.id away. Under transactions v2 a commit racing
   * the abort that a newer process's {@code initTransactions} starts can come back as INVALID_TXN_STATE instead
   * of PRODUCER_FENCED (KAFKA-20785); the transaction was rolled back either way, and nothing else in this
   * process's use of the producer yields that error.
   */
  static boolean isFenced(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException
          || cause instanceof InvalidTxnStateException) {
        return true;
      }
    }
    return false;
  }
}
