package io.reducer.workloads.dlq.format;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
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
    List<Header> carried = CarriedHeaders.of(headers, name -> name.startsWith(PREFIX));
    String topic = HeaderValues.last(headers, TOPIC);
    Long partition = HeaderValues.number(headers.lastHeader(PARTITION), Integer.BYTES);
    return new DlqRecord(name(), record.partition(), record.offset(), record.timestamp(),
        topic == null || topic.isBlank() ? null : topic, record.key(), record.value(), carried,
        HeaderValues.last(headers, EXCEPTION_CLASS), CarriedHeaders.correlationId(carried),
        ReplayHeaders.count(headers), partition == null ? null : partition.intValue(),
        HeaderValues.number(headers.lastHeader(OFFSET), Long.BYTES));
  }
}
