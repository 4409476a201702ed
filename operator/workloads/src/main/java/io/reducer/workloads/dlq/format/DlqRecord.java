package io.reducer.workloads.dlq.format;

import java.util.List;

import org.apache.kafka.common.header.Header;

/**
 * One dead-letter record as a replay sees it, whatever format wrote it.
 *
 * @param format name of the {@link DlqFormat} that read it
 * @param partition DLQ partition
 * @param offset DLQ offset
 * @param timestamp DLQ record timestamp (epoch milliseconds); the time filters apply to it
 * @param targetTopic where the failed record came from, so where it is replayed to; null when the record does not
 *     say (unroutable unless a target topic is given)
 * @param key key to republish
 * @param value value to republish
 * @param headers headers to republish: the original record's headers, without the error and provenance headers
 *     the DLQ writer added and without earlier replay provenance headers
 * @param errorType what failed, as the DLQ writer recorded it; null when it did not
 * @param correlationId correlation id, null when the record carries none
 * @param replayCount how many times the record was replayed before, from the {@code x-replay-count} header
 * @param originalPartition partition the failed record was read from, when the DLQ writer recorded it
 * @param originalOffset offset the failed record was read from, when the DLQ writer recorded it
 */
public record DlqRecord(
    String format,
    int partition,
    long offset,
    long timestamp,
    String targetTopic,
    byte[] key,
    byte[] value,
    List<Header> headers,
    String errorType,
    String correlationId,
    int replayCount,
    Integer originalPartition,
    Long originalOffset) {
}
