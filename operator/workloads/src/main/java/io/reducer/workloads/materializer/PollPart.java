package io.reducer.workloads.materializer;

import java.util.List;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One partition's share of a poll: the watermark it was read against, the position the poll moved it to, its fresh
 * records and their decoding (on the decoding thread).
 */
record PollPart(TopicPartition partition, Watermark expected, long newNext,
    List<ConsumerRecord<byte[], byte[]>> records, Future<DecodedBatch> decoding) {

  PollPart movedTo(long position) {
    return new PollPart(partition, expected, position, records, decoding);
  }

  /** The watermark this part leaves behind once its transaction commits. */
  Watermark committedWatermark() {
    return Watermark.position(partition.partition(), newNext, expected.epoch());
  }

  long lastTimestamp() {
    return records.isEmpty() ? -1 : records.get(records.size() - 1).timestamp();
  }
}
