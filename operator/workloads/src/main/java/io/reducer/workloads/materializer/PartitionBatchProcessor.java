package io.reducer.workloads.materializer;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.reducer.workloads.deadletter.DeadLetter;
import io.reducer.workloads.deadletter.DeadLetterException;
import io.reducer.workloads.deadletter.DeadLetterPublisher;
import io.reducer.workloads.deadletter.PoisonRecordException;

/**
 * Applies one partition's records of one poll in one transaction: upsert the newest version per key, send poison
 * records to the DLQ, advance the watermark if it is still ours, commit. Either all of it happens or none.
 */
final class PartitionBatchProcessor {

  private final ProjectionUpsert upsert;
  private final WatermarkStore watermarks;
  private final DeadLetterPublisher deadLetters;

  PartitionBatchProcessor(ProjectionUpsert upsert, WatermarkStore watermarks, DeadLetterPublisher deadLetters) {
    this.upsert = upsert;
    this.watermarks = watermarks;
    this.deadLetters = deadLetters;
  }

  /**
   * Runs and commits the batch. On any exception the caller rolls back; nothing of the batch is then visible,
   * except DLQ records already acknowledged (sent again when the batch is retried).
   */
  BatchOutcome process(Connection connection, int partition, DecodedBatch batch, Watermark expected, long newNext)
      throws SQLException, DeadLetterException, FencedException, WatermarkMovedException {
    List<ConsumerRecord<byte[], byte[]>> records = batch.records();
    List<DeadLetter> letters = new ArrayList<>(batch.letters());
    Instant newest = batch.newest();
    LatestPerKey.Result latest = batch.latest();
    Set<String> rejected = new HashSet<>();
    Set<String> applied = latest.latest().isEmpty()
        ? Set.of() : applyIsolatingRejects(connection, latest.latest(), records, letters, rejected);
    long statementDone = System.nanoTime();
    int duplicates = 0;
    for (Map.Entry<String, Integer> rows : latest.rowsPerKey().entrySet()) {
      String key = rows.getKey();
      if (rejected.contains(key)) {
        continue;
      }
      duplicates += applied.contains(key) ? latest.staleInBatch().getOrDefault(key, 0) : rows.getValue();
    }
    if (!watermarks.advance(connection, partition, expected, newNext, newest)) {
      Watermark actual = watermarks.read(connection, partition);
      connection.rollback();
      if (actual == null || actual.epoch() != expected.epoch()) {
        throw new FencedException("partition " + partition + ": watermark epoch is "
            + (actual == null ? "gone" : actual.epoch()) + ", this process holds epoch " + expected.epoch()
            + " (a reset happened); dropping " + records.size() + " records and stopping", records.size());
      }
      throw new WatermarkMovedException("partition " + partition + ": watermark is at " + actual.nextOffset()
          + ", expected " + expected.nextOffset() + " (another instance took over); re-seeking");
    }
    // The watermark row is locked until commit, so no one can take over between this ack and the commit.
    deadLetters.publish(letters);
    long watermarkDone = System.nanoTime();
    connection.commit();
    return new BatchOutcome(records.size(), applied.size(), duplicates, letters.size(), newest, statementDone,
        watermarkDone, System.nanoTime());
  }

  /** One statement for the batch; only if the database rejects it, row by row to find the bad rows. */
  private Set<String> applyIsolatingRejects(Connection connection, List<StateCommitted> rows,
      List<ConsumerRecord<byte[], byte[]>> records, List<DeadLetter> letters, Set<String> rejected)
      throws SQLException {
    Savepoint whole = connection.setSavepoint();
    try {
      Set<String> applied = upsert.apply(connection, rows);
      connection.releaseSavepoint(whole);
      return applied;
    } catch (SQLException e) {
      if (!SqlErrors.isRowRejection(e)) {
        throw e;
      }
      connection.rollback(whole);
    }
    Map<Long, ConsumerRecord<byte[], byte[]>> byOffset = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      byOffset.put(record.offset(), record);
    }
    Set<String> applied = new HashSet<>();
    for (StateCommitted row : rows) {
      Savepoint one = connection.setSavepoint();
      try {
        applied.addAll(upsert.apply(connection, List.of(row)));
        connection.releaseSavepoint(one);
      } catch (SQLException e) {
        if (!SqlErrors.isRowRejection(e)) {
          throw e;
        }
        connection.rollback(one);
        rejected.add(row.workflowKey());
        ConsumerRecord<byte[], byte[]> record = byOffset.get(row.offset());
        String header = DeadLetter.correlationHeader(record);
        String correlation = header != null ? header : row.correlationId();
        letters.add(new DeadLetter(record, new PoisonRecordException(PoisonRecordException.DATABASE_REJECTED,
            "database rejected the row: " + e.getMessage(), e), correlation));
      }
    }
    return applied;
  }
}
