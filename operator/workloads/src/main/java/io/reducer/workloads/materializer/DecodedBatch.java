package io.reducer.workloads.materializer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.reducer.workloads.deadletter.DeadLetter;
import io.reducer.workloads.deadletter.PoisonRecordException;

/**
 * One partition's records of one poll, decoded: the newest event per key, the poison records, the newest event
 * time, and when decoding finished ({@code System.nanoTime}, for {@link BatchTrace}). Computed from the record bytes alone, so it can be prepared on another thread while the database
 * writes the previous partition's batch.
 */
record DecodedBatch(List<ConsumerRecord<byte[], byte[]>> records, LatestPerKey.Result latest,
    List<DeadLetter> letters, Instant newest, long decodedNanos) {

  static DecodedBatch of(StateCommittedDecoder decoder, List<ConsumerRecord<byte[], byte[]>> records) {
    List<StateCommitted> events = new ArrayList<>(records.size());
    List<DeadLetter> letters = new ArrayList<>();
    Instant newest = null;
    for (ConsumerRecord<byte[], byte[]> record : records) {
      try {
        StateCommitted event = decoder.decode(record.offset(), record.key(), record.value());
        events.add(event);
        if (event.committedAt() != null && (newest == null || event.committedAt().isAfter(newest))) {
          newest = event.committedAt();
        }
      } catch (PoisonRecordException e) {
        letters.add(new DeadLetter(record, e, DeadLetter.correlationHeader(record)));
      }
    }
    return new DecodedBatch(records, LatestPerKey.of(events), letters, newest, System.nanoTime());
  }
}
