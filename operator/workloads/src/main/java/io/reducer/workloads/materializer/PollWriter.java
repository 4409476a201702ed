package io.reducer.workloads.materializer;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.reducer.workloads.deadletter.DeadLetter;
import io.reducer.workloads.deadletter.DeadLetterException;
import io.reducer.workloads.deadletter.DeadLetterPublisher;
import io.reducer.workloads.postgres.Database;

/**
 * Writes a poll's partition batches to PostgreSQL, on the writer thread while the poll loop reads the next poll. It
 * owns the database connection while it runs and touches neither the consumer nor the loop's positions: what the
 * loop must do afterwards comes back as a {@link PollWrite}.
 */
final class PollWriter {

  private static final Logger LOG = LoggerFactory.getLogger(PollWriter.class);
  /**
   * Partitions' batches go into one transaction up to this many records (a partition's batch is never split). About
   * 6 ms of PostgreSQL time per transaction; more would make the first partitions of a large poll wait longer.
   */
  private static final int TRANSACTION_RECORDS = 1000;

  private final MaterializerConfig config;
  private final Database database;
  private final ProjectionUpsert upsert;
  private final WatermarkStore watermarks;
  private final PartitionBatchProcessor processor;
  private final DeadLetterPublisher deadLetters;
  private final StateCommittedDecoder decoder;
  private final MaterializerMetrics metrics;
  /** Stage stamps of each committed batch, for the benchmark; null (always, in production) records nothing. */
  private volatile BatchTrace trace;

  PollWriter(MaterializerConfig config, Database database, ProjectionUpsert upsert, WatermarkStore watermarks,
      DeadLetterPublisher deadLetters, StateCommittedDecoder decoder, MaterializerMetrics metrics) {
    this.config = config;
    this.database = database;
    this.upsert = upsert;
    this.watermarks = watermarks;
    this.processor = new PartitionBatchProcessor(upsert, watermarks, deadLetters);
    this.deadLetters = deadLetters;
    this.decoder = decoder;
    this.metrics = metrics;
  }

  void traceBatches(BatchTrace trace) {
    this.trace = trace;
  }

  /**
   * Writes the parts (sorted by partition, each with records or a moved position). A large poll (catching up) goes
   * in several transactions: the first partitions' rows become visible without waiting for the whole poll's
   * statement, and the decoding thread decodes the next ones meanwhile.
   */
  PollWrite write(List<PollPart> moving, long polled) {
    PollWrite result = new PollWrite();
    try {
      for (int from = 0, to; from < moving.size(); from = to) {
        long size = moving.get(from).records().size();
        for (to = from + 1; to < moving.size() && size + moving.get(to).records().size() <= TRANSACTION_RECORDS;
            to++) {
          size += moving.get(to).records().size();
        }
        commitTogether(moving.subList(from, to), moving.subList(from, moving.size()), polled, result);
      }
    } catch (FencedException e) {
      result.fenced(e);
    }
    return result;
  }

  /**
   * One transaction for the batches of several partitions of a poll ({@code unfinished}: these and the poll's
   * partitions after them): one statement moves each partition's watermark (guarded by epoch and expected position,
   * the row locked until commit) and upserts the newest row per key of all of them, then the DLQ records are sent
   * and acknowledged, then one commit. Two round trips for the whole poll instead of five per partition: with many
   * partitions, a partition's events no longer wait behind the other partitions' transactions on the one
   * connection. Rows and watermarks still change in the same transaction, so this is as exactly-once as a
   * transaction per partition. A partition whose guard fails is left out (fenced: the process stops; moved: it is
   * sought again) and the others are written again at once. A row the database rejects sends the poll down the old
   * way, a transaction per partition that isolates the row under savepoints.
   */
  private void commitTogether(List<PollPart> parts, List<PollPart> unfinished, long polled, PollWrite result)
      throws FencedException {
    List<PollPart> remaining = new ArrayList<>(parts);
    Map<TopicPartition, DecodedBatch> batches = new HashMap<>();
    for (PollPart part : parts) {
      batches.put(part.partition(), await(part.decoding(), part.records()));
    }
    while (!remaining.isEmpty()) {
      long started = System.nanoTime();
      List<ProjectionUpsert.Move> moves = new ArrayList<>(remaining.size());
      List<StateCommitted> rows = new ArrayList<>();
      List<DeadLetter> letters = new ArrayList<>();
      Set<String> keys = new HashSet<>();
      boolean keyInTwoPartitions = false;
      for (PollPart part : remaining) {
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
        for (PollPart part : remaining) {
          applyPartition(part, batches.get(part.partition()), polled, result);
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
          remaining = leaveOutMoved(connection, remaining, written.moved(), unfinished, result);
          continue;
        }
        // The watermark rows are locked until commit, so no one can take over between this ack and the commit.
        deadLetters.publish(letters);
        long watermarkDone = System.nanoTime();
        connection.commit();
        long committed = System.nanoTime();
        database.answered();
        for (PollPart part : remaining) {
          committed(part, batches.get(part.partition()), written.applied(), polled, started, statementDone,
              watermarkDone, committed, result);
        }
        return;
      } catch (SQLException e) {
        database.rollbackQuietly();
        if (SqlErrors.isRowRejection(e)) {
          // Find the rows the database rejects: a transaction per partition, each row under a savepoint.
          for (PollPart part : remaining) {
            applyPartition(part, batches.get(part.partition()), polled, result);
          }
          return;
        }
        database.discard();
        retryLater(remaining, e, result);
        return;
      } catch (DeadLetterException e) {
        database.rollbackQuietly();
        retryLater(remaining, e, result);
        return;
      }
    }
  }

  /**
   * After a guard failed: the parts whose guard held, to write again. A partition whose epoch changed means a
   * reset happened (fenced: stop); another position means another instance took it over (seek it again).
   */
  private List<PollPart> leaveOutMoved(Connection connection, List<PollPart> remaining, Set<Integer> moved,
      List<PollPart> all, PollWrite result) throws SQLException, FencedException {
    List<PollPart> kept = new ArrayList<>();
    for (PollPart part : remaining) {
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
      result.reload(part.partition());
    }
    return kept;
  }

  private static void retryLater(List<PollPart> parts, Exception e, PollWrite result) {
    LOG.warn("batches of {} records on {} rolled back, retrying from the database watermarks: {}",
        parts.stream().mapToInt(p -> p.records().size()).sum(),
        parts.stream().map(p -> p.partition().toString()).toList(), e.toString());
    for (PollPart part : parts) {
      result.reloadLater(part.partition());
    }
  }

  /** A part's batch committed in a transaction with others: its meters and trace; the loop takes its position. */
  private void committed(PollPart part, DecodedBatch batch, Set<String> appliedKeys, long polled, long started,
      long statementDone, long watermarkDone, long committed, PollWrite result) {
    result.committed(part);
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
    recordBatch(part, batch, polled, started, outcome);
  }

  /** One partition's batch in a transaction of its own, rows the database rejects isolated under savepoints. */
  private void applyPartition(PollPart part, DecodedBatch batch, long polled, PollWrite result)
      throws FencedException {
    TopicPartition partition = part.partition();
    long started = System.nanoTime();
    try {
      BatchOutcome outcome = processor.process(database.connection(), partition.partition(), batch, part.expected(),
          part.newNext());
      database.answered();
      result.committed(part);
      if (!part.records().isEmpty()) {
        recordBatch(part, batch, polled, started, outcome);
      }
    } catch (WatermarkMovedException e) {
      database.answered();
      LOG.warn(e.getMessage());
      result.reload(partition);
    } catch (SQLException | DeadLetterException e) {
      database.rollbackQuietly();
      LOG.warn("batch of {} records on {} rolled back, retrying from the database watermark: {}",
          part.records().size(), partition, e.toString());
      if (e instanceof SQLException) {
        database.discard();
      }
      result.reloadLater(partition);
    } catch (FencedException e) {
      database.answered();
      throw e;
    }
  }

  private void recordBatch(PollPart part, DecodedBatch batch, long polled, long started, BatchOutcome outcome) {
    metrics.batchCommitted(outcome, Duration.ofNanos(outcome.committedNanos() - started));
    BatchTrace tracing = trace;
    if (tracing != null) {
      tracing.committed(part.partition().partition(), part.records(), polled, batch.decodedNanos(), started, outcome);
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
}
