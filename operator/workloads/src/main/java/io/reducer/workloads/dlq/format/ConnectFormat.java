package io.reducer.workloads.dlq.format;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Kafka Connect's dead letter queue for sink connectors with {@code errors.deadletterqueue.context.headers.enable}:
 * the original key, value and headers, plus {@code __connect.errors.*} headers whose values are UTF-8 text, numbers
 * in decimal ({@code topic}, {@code partition}, {@code offset}, {@code connector.name}, {@code task.id},
 * {@code stage}, {@code class.name}, {@code exception.class.name}, {@code exception.message},
 * {@code exception.stacktrace}). Without context headers Connect records carry no origin and are read as
 * {@link RawFormat}.
 */
public final class ConnectFormat implements DlqFormat {

  static final String PREFIX = "__connect.errors.";
  static final String TOPIC = PREFIX + "topic";
  static final String PARTITION = PREFIX + "partition";
  static final String OFFSET = PREFIX + "offset";
  static final String EXCEPTION_CLASS = PREFIX + "exception.class.name";

  @Override
  public String name() {
    return "connect";
  }

  @Override
  public DlqRecord read(ConsumerRecord<byte[], byte[]> record) {
    Headers headers = record.headers();
    if (!HeaderValues.anyStartsWith(headers, PREFIX)) {
      return null;
    }
    CarriedHeaders carried = CarriedHeaders.of(headers, name -> name.startsWith(PREFIX));
    String topic = HeaderValues.last(headers, TOPIC);
    return new Record(record, topic == null || topic.isBlank() ? null : topic, carried);
  }

  private final class Record extends DlqRecord {

    private final Headers all;

    Record(ConsumerRecord<byte[], byte[]> record, String topic, CarriedHeaders carried) {
      super(name(), record.partition(), record.offset(), record.timestamp(), topic, record.key(), record.value(),
          carried.carried, carried.replayCount);
      this.all = record.headers();
    }

    @Override
    public String errorType() {
      return HeaderValues.last(all, EXCEPTION_CLASS);
    }

    @Override
    public String correlationId() {
      return CarriedHeaders.correlationId(headers());
    }

    @Override
    public Integer originalPartition() {
      return HeaderValues.integer(all.lastHeader(PARTITION));
    }

    @Override
    public Long originalOffset() {
      return HeaderValues.number(all.lastHeader(OFFSET), Long.BYTES);
    }
  }
}
