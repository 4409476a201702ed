package io.reducer.workloads.dlq.format;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Every format a replay reads, in detection order; the first that recognizes a record reads it:
 *
 * <ol>
 *   <li>{@link MaterializerFormat}: ours, {@code x-error-type} and {@code x-original-topic} headers;
 *   <li>{@link ConnectFormat}: any {@code __connect.errors.*} header;
 *   <li>{@link SpringFormat}: any {@code kafka_dlt-*} header;
 *   <li>{@link JsonEnvelopeFormat}: a JSON object value with an {@code original_payload} field;
 *   <li>{@link RawFormat}: anything else, unroutable without a target topic.
 * </ol>
 *
 * Header formats come before the envelope because headers are what a DLQ writer adds around a failed record,
 * while the value is the failed record itself: a Connect or Spring DLQ record whose failed value happens to be
 * an envelope is still a Connect or Spring record. They are also cheaper to recognize than parsing a value.
 */
public final class DlqFormats {

  private static final List<DlqFormat> ORDER = List.of(new MaterializerFormat(), new ConnectFormat(),
      new SpringFormat(), new JsonEnvelopeFormat(), new RawFormat());

  private DlqFormats() {
  }

  public static DlqRecord read(ConsumerRecord<byte[], byte[]> record) {
    for (DlqFormat format : ORDER) {
      DlqRecord decoded = format.read(record);
      if (decoded != null) {
        return decoded;
      }
    }
    throw new IllegalStateException("RawFormat reads every record");
  }

  public static List<DlqFormat> all() {
    return ORDER;
  }
}
