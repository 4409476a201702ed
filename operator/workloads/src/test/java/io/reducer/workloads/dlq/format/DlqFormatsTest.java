package io.reducer.workloads.dlq.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DlqFormatsTest {

  @Test
  void materializerRecordsKeepTheirHeadersButNotTheErrorHeaders() {
    RecordHeaders headers = new RecordHeaders();
    add(headers, "correlation-id", "c-1");
    add(headers, "trace", "t-1");
    add(headers, "x-error-type", "DECODE_ERROR");
    add(headers, "x-error-message", "not JSON");
    add(headers, "x-exception-class", "java.io.IOException");
    add(headers, "x-original-topic", "state-committed");
    add(headers, "x-original-partition", "2");
    add(headers, "x-original-offset", "41");
    add(headers, "x-correlation-id", "c-1");

    DlqRecord record = DlqFormats.read(record(headers, "wf-1", "{bad"));

    assertThat(record.format()).isEqualTo("materializer");
    assertThat(record.targetTopic()).isEqualTo("state-committed");
    assertThat(text(record.key())).isEqualTo("wf-1");
    assertThat(text(record.value())).isEqualTo("{bad");
    assertThat(names(record.headers())).containsExactly("correlation-id", "trace");
    assertThat(record.errorType()).isEqualTo("DECODE_ERROR");
    assertThat(record.correlationId()).isEqualTo("c-1");
    assertThat(record.replayCount()).isZero();
    assertThat(record.originalPartition()).isEqualTo(2);
    assertThat(record.originalOffset()).isEqualTo(41L);
    assertThat(record.partition()).isEqualTo(3);
    assertThat(record.offset()).isEqualTo(77);
    assertThat(record.timestamp()).isEqualTo(1_700_000_000_000L);
  }

  @Test
  void earlierReplayProvenanceIsReadAndNotCarried() {
    RecordHeaders headers = new RecordHeaders();
    add(headers, "x-replay-name", "first");
    add(headers, "x-replay-count", "2");
    add(headers, "x-replay-source", "dlq:0:5");
    add(headers, "x-error-type", "E");
    add(headers, "x-original-topic", "t");

    DlqRecord record = DlqFormats.read(record(headers, "k", "v"));

    assertThat(record.replayCount()).isEqualTo(2);
    assertThat(record.headers()).isEmpty();
  }

  @Test
  void aReplayCountThatIsNotANumberIsTreatedAsExhausted() {
    RecordHeaders headers = new RecordHeaders();
    add(headers, "x-replay-count", "many");
    assertThat(DlqFormats.read(record(headers, "k", "v")).replayCount()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void connectRecordsUseTheirDecimalTextHeaders() {
    RecordHeaders headers = new RecordHeaders();
    add(headers, "app", "a");
    add(headers, "__connect.errors.topic", "orders");
    add(headers, "__connect.errors.partition", "4");
    add(headers, "__connect.errors.offset", "12345678");
    add(headers, "__connect.errors.connector.name", "jdbc-sink");
    add(headers, "__connect.errors.task.id", "0");
    add(headers, "__connect.errors.stage", "VALUE_CONVERTER");
    add(headers, "__connect.errors.class.name", "org.apache.kafka.connect.json.JsonConverter");
    add(headers, "__connect.errors.exception.class.name", "org.apache.kafka.connect.errors.DataException");
    add(headers, "__connect.errors.exception.message", "boom");
    add(headers, "__connect.errors.exception.stacktrace", "...");
    add(headers, "correlation-id", "c-9");

    DlqRecord record = DlqFormats.read(record(headers, "k", "v"));

    assertThat(record.format()).isEqualTo("connect");
    assertThat(record.targetTopic()).isEqualTo("orders");
    assertThat(record.errorType()).isEqualTo("org.apache.kafka.connect.errors.DataException");
    assertThat(record.originalPartition()).isEqualTo(4);
    assertThat(record.originalOffset()).isEqualTo(12_345_678L);
    assertThat(record.correlationId()).isEqualTo("c-9");
    assertThat(names(record.headers())).containsExactly("app", "correlation-id");
  }

  @Test
  void springRecordsUseBinaryPartitionAndOffsetAndTheFirstOriginalTopic() {
    RecordHeaders headers = new RecordHeaders();
    add(headers, "__TypeId__", "com.example.Order");
    add(headers, "kafka_dlt-original-topic", "orders");
    headers.add("kafka_dlt-original-partition", ByteBuffer.allocate(4).putInt(7).array());
    headers.add("kafka_dlt-original-offset", ByteBuffer.allocate(8).putLong(5_000_000_000L).array());
    headers.add("kafka_dlt-original-timestamp", ByteBuffer.allocate(8).putLong(1L).array());
    add(headers, "kafka_dlt-original-timestamp-type", "CREATE_TIME");
    add(headers, "kafka_dlt-exception-fqcn", "org.springframework.kafka.listener.ListenerExecutionFailedException");
    add(headers, "kafka_dlt-exception-message", "first failure");
    add(headers, "kafka_dlt-exception-stacktrace", "...");
    headers.add("retry_topic-attempts", ByteBuffer.allocate(4).putInt(3).array());
    // A second hop appends another set: the first topic is the original one, the last exception the latest.
    add(headers, "kafka_dlt-original-topic", "orders-retry-0");
    add(headers, "kafka_dlt-exception-fqcn", "java.lang.IllegalStateException");

    DlqRecord record = DlqFormats.read(record(headers, "k", "v"));

    assertThat(record.format()).isEqualTo("spring");
    assertThat(record.targetTopic()).isEqualTo("orders");
    assertThat(record.errorType()).isEqualTo("java.lang.IllegalStateException");
    assertThat(record.originalPartition()).isEqualTo(7);
    assertThat(record.originalOffset()).isEqualTo(5_000_000_000L);
    assertThat(names(record.headers())).containsExactly("__TypeId__");
  }

  @Test
  void springKeyDeserializationFailuresNameTheKeyException() {
    RecordHeaders headers = new RecordHeaders();
    add(headers, "kafka_dlt-original-topic", "orders");
    add(headers, "kafka_dlt-key-exception-fqcn", "org.apache.kafka.common.errors.SerializationException");
    add(headers, "springDeserializerExceptionKey", "serialized");

    DlqRecord record = DlqFormats.read(record(headers, "k", "v"));

    assertThat(record.errorType()).isEqualTo("org.apache.kafka.common.errors.SerializationException");
    assertThat(record.headers()).isEmpty();
  }

  @Test
  void envelopeRepublishesThePayloadBytesAsWritten() {
    String payload = "{ \"file_path\": \"/src/a.py\", \"size\": 1.50, \"tags\": [1, 2] }";
    String envelope = "{\"original_topic\":\"stamping.generate.v1\",\"original_payload\": " + payload
        + " ,\"error_type\":\"SERVICE_UNAVAILABLE\",\"error_message\":\"timeout\","
        + "\"correlation_id\":\"abc-123\",\"retry\":{\"nested\":[true]}}";

    DlqRecord record = DlqFormats.read(record(new RecordHeaders(), "k", envelope));

    assertThat(record.format()).isEqualTo("envelope");
    assertThat(record.targetTopic()).isEqualTo("stamping.generate.v1");
    assertThat(text(record.value())).isEqualTo(payload);
    assertThat(text(record.key())).isEqualTo("k");
    assertThat(record.errorType()).isEqualTo("SERVICE_UNAVAILABLE");
    assertThat(record.correlationId()).isEqualTo("abc-123");
    assertThat(record.headers()).hasSize(1);
    assertThat(record.headers().get(0).key()).isEqualTo("correlation-id");
    assertThat(text(record.headers().get(0).value())).isEqualTo("abc-123");
  }

  @Test
  void envelopeOptionalFieldsOverrideKeyHeadersAndReplayCount() {
    String envelope = "{\"original_topic\":\"t\",\"original_payload\":\"plain text\",\"original_key\":\"wf-9\","
        + "\"original_headers\":{\"correlation-id\":\"c\",\"h\":\"v\"},\"replay_count\":2,"
        + "\"original_partition\":1,\"original_offset\":99,\"error_type\":\"E\"}";
    RecordHeaders dlqHeaders = new RecordHeaders();
    add(dlqHeaders, "ignored", "because original_headers is set");

    DlqRecord record = DlqFormats.read(record(dlqHeaders, "dlq-key", envelope));

    assertThat(text(record.value())).isEqualTo("plain text");
    assertThat(text(record.key())).isEqualTo("wf-9");
    assertThat(names(record.headers())).containsExactly("correlation-id", "h");
    assertThat(record.correlationId()).isEqualTo("c");
    assertThat(record.replayCount()).isEqualTo(2);
    assertThat(record.originalPartition()).isEqualTo(1);
    assertThat(record.originalOffset()).isEqualTo(99L);
  }

  @Test
  void envelopeScalarPayloadsKeepTheirJsonText() {
    assertThat(text(DlqFormats.read(record(new RecordHeaders(), "k",
        "{\"original_topic\":\"t\",\"original_payload\":12.50}")).value())).isEqualTo("12.50");
    assertThat(text(DlqFormats.read(record(new RecordHeaders(), "k",
        "{\"original_payload\":[ 1 ,2 ],\"original_topic\":\"t\"}")).value())).isEqualTo("[ 1 ,2 ]");
  }

  @Test
  void envelopeWithoutTopicIsUnroutable() {
    DlqRecord record = DlqFormats.read(record(new RecordHeaders(), "k", "{\"original_payload\":{}}"));
    assertThat(record.format()).isEqualTo("envelope");
    assertThat(record.targetTopic()).isNull();
  }

  @Test
  void otherValuesAreRawAndUnroutable() {
    for (String value : List.of("{\"original_topic\":\"t\"}", "{not json", "[1]", "plain", "{\"a\":1} trailing")) {
      DlqRecord record = DlqFormats.read(record(new RecordHeaders(), "k", value));
      assertThat(record.format()).as(value).isEqualTo("raw");
      assertThat(record.targetTopic()).isNull();
      assertThat(text(record.value())).isEqualTo(value);
    }
    DlqRecord tombstone = DlqFormats.read(record(new RecordHeaders(), null, null));
    assertThat(tombstone.format()).isEqualTo("raw");
    assertThat(tombstone.key()).isNull();
    assertThat(tombstone.value()).isNull();
  }

  @Test
  void headerFormatsWinOverAnEnvelopeValue() {
    RecordHeaders headers = new RecordHeaders();
    add(headers, "__connect.errors.topic", "connect-source");
    DlqRecord record = DlqFormats.read(record(headers, "k",
        "{\"original_topic\":\"t\",\"original_payload\":{}}"));
    assertThat(record.format()).isEqualTo("connect");
    assertThat(record.targetTopic()).isEqualTo("connect-source");
  }

  @Test
  void provenanceHeadersReplaceEarlierOnes() {
    ReplayHeaders provenance = new ReplayHeaders("r1", "dlq");
    List<Header> headers = provenance.add(List.of(), 2, 1, 9);
    assertThat(names(headers)).containsExactly("x-replay-name", "x-replay-count", "x-replay-source");
    assertThat(text(headers.get(0).value())).isEqualTo("r1");
    assertThat(text(headers.get(1).value())).isEqualTo("3");
    assertThat(text(headers.get(2).value())).isEqualTo("dlq:1:9");
    assertThat(text(provenance.add(List.of(), 500, 12, 0).get(1).value())).isEqualTo("501");
    assertThat(text(provenance.add(List.of(), 0, 12, 0).get(2).value())).isEqualTo("dlq:12:0");
    assertThat(text(provenance.add(List.of(), 0, 0, 9_876_543_210L).get(2).value())).isEqualTo("dlq:0:9876543210");
  }

  static ConsumerRecord<byte[], byte[]> record(RecordHeaders headers, String key, String value) {
    return new ConsumerRecord<>("dlq", 3, 77, 1_700_000_000_000L, TimestampType.CREATE_TIME,
        key == null ? -1 : key.length(), value == null ? -1 : value.length(), bytes(key), bytes(value), headers,
        Optional.empty());
  }

  private static void add(RecordHeaders headers, String name, String value) {
    headers.add(name, bytes(value));
  }

  private static byte[] bytes(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static List<String> names(List<Header> headers) {
    return headers.stream().map(Header::key).toList();
  }
}
