package io.reducer.workloads.dlq.format;

import org.apache.kafka.clients.consumer.ConsumerRecord;

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
    CarriedHeaders carried = CarriedHeaders.of(record.headers(), name -> false);
    return new Record(record, carried);
  }

  private final class Record extends DlqRecord {

    Record(ConsumerRecord<byte[], byte[]> record, CarriedHeaders carried) {
      super(name(), record.partition(), record.offset(), record.timestamp(), null, record.key(), record.value(),
          carried.carried, carried.replayCount);
    }

    @Override
    public String errorType() {
      return null;
    }

    @Override
    public String correlationId() {
      return CarriedHeaders.correlationId(headers());
    }

    @Override
    public Integer originalPartition() {
      return null;
    }

    @Override
    public Long originalOffset() {
      return null;
    }
  }
}
