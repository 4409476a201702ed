package io.reducer.workloads.dlq.format;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A way of writing failed records to a dead-letter topic. {@link DlqFormats} asks each format in turn; the first
 * that recognizes a record reads it.
 */
public interface DlqFormat {

  /** Short name shown in summaries, e.g. {@code materializer}. */
  String name();

  /** The record decoded, or null when the record is not in this format. */
  DlqRecord read(ConsumerRecord<byte[], byte[]> record);
}
