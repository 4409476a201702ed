package io.reducer.workloads.dlq.format;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Spring Kafka's {@code DeadLetterPublishingRecoverer}: the original key, value and headers, plus
 * {@code kafka_dlt-*} headers. {@code kafka_dlt-original-topic} is UTF-8; {@code kafka_dlt-original-partition} is
 * a 4-byte big-endian int and {@code kafka_dlt-original-offset} and {@code -timestamp} 8-byte big-endian longs;
 * {@code kafka_dlt-exception-fqcn} (or {@code kafka_dlt-key-exception-fqcn} for a key deserialization failure)
 * names the exception. When a record passed through several retry topics, Spring appends one set of original
 * headers per hop: the first is the topic the record was first consumed from, the last exception is the latest.
 * Spring's retry-topic bookkeeping ({@code retry_topic-*}) and deserialization-failure headers
 * ({@code springDeserializerException*}) are dropped as well.
 */
public final class SpringFormat implements DlqFormat {

  static final String PREFIX = "kafka_dlt-";
  static final String ORIGINAL_TOPIC = PREFIX + "original-topic";
  static final String ORIGINAL_PARTITION = PREFIX + "original-partition";
  static final String ORIGINAL_OFFSET = PREFIX + "original-offset";
  static final String EXCEPTION_FQCN = PREFIX + "exception-fqcn";
  static final String KEY_EXCEPTION_FQCN = PREFIX + "key-exception-fqcn";
  private static final String RETRY_TOPIC_PREFIX = "retry_topic-";
  private static final String DESERIALIZER_EXCEPTION_PREFIX = "springDeserializerException";

  @Override
  public String name() {
    return "spring";
  }

  @Override
  public DlqRecord read(ConsumerRecord<byte[], byte[]> record) {
    Headers headers = record.headers();
    if (!HeaderValues.anyStartsWith(headers, PREFIX)) {
      return null;
    }
    CarriedHeaders carried = CarriedHeaders.of(headers, SpringFormat::isSpringErrorHeader);
    String topic = HeaderValues.first(headers, ORIGINAL_TOPIC);
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
      String errorType = HeaderValues.last(all, EXCEPTION_FQCN);
      return errorType != null ? errorType : HeaderValues.last(all, KEY_EXCEPTION_FQCN);
    }

    @Override
    public String correlationId() {
      return CarriedHeaders.correlationId(headers());
    }

    @Override
    public Integer originalPartition() {
      return HeaderValues.integer(HeaderValues.firstHeader(all, ORIGINAL_PARTITION));
    }

    @Override
    public Long originalOffset() {
      return HeaderValues.number(HeaderValues.firstHeader(all, ORIGINAL_OFFSET), Long.BYTES);
    }
  }

  private static boolean isSpringErrorHeader(String name) {
    return name.startsWith(PREFIX) || name.startsWith(RETRY_TOPIC_PREFIX)
        || name.startsWith(DESERIALIZER_EXCEPTION_PREFIX);
  }
}
