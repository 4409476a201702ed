package io.reducer.workloads.dlq.format;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Any other record: no known error headers and no envelope. It says nothing about where it came from, so it is
 * unroutable unless the replay names a target topic; then it is republished as it is (key, value, headers).
 */
public final class RawFormat implements DlqFormat {

  @Override
  public String name() {
    return "raw";
  }

  @Override
  public DlqRecord read(ConsumerRecord<byte[], byte[]> record) {
    List<Header> carried = CarriedHeaders.of(record.headers(), name -> false);
    return new DlqRecord(name(), record.partition(), record.offset(), record.timestamp(), null, record.key(),
        record.value(), carried, null, CarriedHeaders.correlationId(carried), ReplayHeaders.count(record.headers()),
        null, null);
  }
}
