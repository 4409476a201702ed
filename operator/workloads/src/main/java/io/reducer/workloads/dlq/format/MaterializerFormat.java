package io.reducer.workloads.dlq.format;

import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Our own format, written by the materializer (io.reducer.workloads.materializer.DeadLetterPublisher): the
 * failed record's key, value and headers, plus {@code x-error-*}, {@code x-exception-class},
 * {@code x-original-*} and {@code x-correlation-id} headers. Recognized by {@code x-error-type} together with
 * {@code x-original-topic}.
 */
public final class MaterializerFormat implements DlqFormat {

  static final String ERROR_TYPE = "x-error-type";
  static final String ERROR_MESSAGE = "x-error-message";
  static final String EXCEPTION_CLASS = "x-exception-class";
  static final String ORIGINAL_TOPIC = "x-original-topic";
  static final String ORIGINAL_PARTITION = "x-original-partition";
  static final String ORIGINAL_OFFSET = "x-original-offset";
  static final String CORRELATION_ID = "x-correlation-id";
  /** Every header the materializer adds; none is carried over. */
  static final Set<String> OWN_HEADERS = Set.of(ERROR_TYPE, ERROR_MESSAGE, EXCEPTION_CLASS, ORIGINAL_TOPIC,
      ORIGINAL_PARTITION, ORIGINAL_OFFSET, CORRELATION_ID);

  @Override
  public String name() {
    return "materializer";
  }

  @Override
  public DlqRecord read(ConsumerRecord<byte[], byte[]> record) {
    Headers headers = record.headers();
    if (headers.lastHeader(ERROR_TYPE) == null || headers.lastHeader(ORIGINAL_TOPIC) == null) {
      return null;
    }
    List<Header> carried = CarriedHeaders.of(headers, OWN_HEADERS::contains);
    String correlationId = HeaderValues.last(headers, CORRELATION_ID);
    if (correlationId == null) {
      correlationId = CarriedHeaders.correlationId(carried);
    }
    String topic = HeaderValues.last(headers, ORIGINAL_TOPIC);
    Long partition = HeaderValues.number(headers.lastHeader(ORIGINAL_PARTITION), Integer.BYTES);
    return new DlqRecord(name(), record.partition(), record.offset(), record.timestamp(),
        topic == null || topic.isBlank() ? null : topic, record.key(), record.value(), carried,
        HeaderValues.last(headers, ERROR_TYPE), correlationId, ReplayHeaders.count(headers),
        partition == null ? null : partition.intValue(),
        HeaderValues.number(headers.lastHeader(ORIGINAL_OFFSET), Long.BYTES));
  }
}
