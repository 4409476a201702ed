package io.reducer.workloads.dlq.format;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

import io.reducer.workloads.deadletter.DeadLetterPublisher;

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
  static final List<String> OWN_HEADERS = List.of(ERROR_TYPE, ERROR_MESSAGE, EXCEPTION_CLASS, ORIGINAL_TOPIC,
      ORIGINAL_PARTITION, ORIGINAL_OFFSET, CORRELATION_ID);

  @Override
  public String name() {
    return "materializer";
  }

  @Override
  public DlqRecord read(ConsumerRecord<byte[], byte[]> record) {
    Headers headers = record.headers();
    if (headers.lastHeader(ERROR_TYPE) == null) {
      return null;
    }
    String topic = HeaderValues.last(headers, ORIGINAL_TOPIC);
    if (topic == null) {
      return null;
    }
    CarriedHeaders carried = CarriedHeaders.of(headers, MaterializerFormat::isOwnHeader);
    return new Record(record, topic.isBlank() ? null : topic, carried);
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
      return HeaderValues.last(all, ERROR_TYPE);
    }

    @Override
    public String correlationId() {
      String id = HeaderValues.last(all, CORRELATION_ID);
      return id != null ? id : CarriedHeaders.correlationId(headers());
    }

    @Override
    public Integer originalPartition() {
      return HeaderValues.integer(all.lastHeader(ORIGINAL_PARTITION));
    }

    @Override
    public Long originalOffset() {
      return HeaderValues.number(all.lastHeader(ORIGINAL_OFFSET), Long.BYTES);
    }
  }

  private static boolean isOwnHeader(String name) {
    // Every own header starts with "x-"; the list is only searched for those.
    return name.startsWith("x-") && OWN_HEADERS.contains(name);
  }
}
