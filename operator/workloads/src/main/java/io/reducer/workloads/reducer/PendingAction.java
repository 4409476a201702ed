package io.reducer.workloads.reducer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.reducer.workloads.reducer.spi.Action;

/**
 * A decoded action and the record it came from.
 *
 * @param replayed the record came back through a DlqReplay ({@code x-replay-count} header): an action rejected
 *     before is evaluated again instead of being skipped as a duplicate
 */
public record PendingAction(ConsumerRecord<byte[], byte[]> record, Action action, boolean replayed) {
}
