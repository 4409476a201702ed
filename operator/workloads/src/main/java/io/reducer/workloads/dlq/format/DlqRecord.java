package io.reducer.workloads.dlq.format;

import java.util.List;

import org.apache.kafka.common.header.Header;

/**
 * One dead-letter record as a replay sees it, whatever format wrote it. What every record needs is decoded when it
 * is read; error type, correlation id and the original position only when asked for (by a filter, a preview), by
 * the format's subclass: decoding them for millions of records would cost more than sending them.
 */
public abstract class DlqRecord {

  private final String format;
  private final int partition;
  private final long offset;
  private final long timestamp;
  private final String targetTopic;
  private final byte[] key;
  private final byte[] value;
  private final List<Header> headers;
  private final int replayCount;

  /**
   * @param format name of the {@link DlqFormat} that read it
   * @param timestamp DLQ record timestamp (epoch milliseconds); the time filters apply to it
   * @param targetTopic where the failed record came from, so where it is replayed to; null when the record does
   *     not say (unroutable unless a target topic is given)
   * @param headers headers to republish: the original record's headers, without the error and provenance headers
   *     the DLQ writer added and without earlier replay provenance headers
   * @param replayCount how many times the record was replayed before, from the {@code x-replay-count} header
   */
  DlqRecord(String format, int partition, long offset, long timestamp, String targetTopic, byte[] key, byte[] value,
      List<Header> headers, int replayCount) {
    this.format = format;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.targetTopic = targetTopic;
    this.key = key;
    this.value = value;
    this.headers = headers;
    this.replayCount = replayCount;
  }

  public String format() {
    return format;
  }

  /** DLQ partition. */
  public int partition() {
    return partition;
  }

  /** DLQ offset. */
  public long offset() {
    return offset;
  }

  public long timestamp() {
    return timestamp;
  }

  public String targetTopic() {
    return targetTopic;
  }

  public byte[] key() {
    return key;
  }

  public byte[] value() {
    return value;
  }

  public List<Header> headers() {
    return headers;
  }

  public int replayCount() {
    return replayCount;
  }

  /** What failed, as the DLQ writer recorded it; null when it did not. */
  public abstract String errorType();

  /** Null when the record carries none. */
  public abstract String correlationId();

  /** The partition the failed record was read from; null when the DLQ writer did not record it. */
  public abstract Integer originalPartition();

  /** The offset the failed record was read from; null when the DLQ writer did not record it. */
  public abstract Long originalOffset();
}
