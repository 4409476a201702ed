package io.reducer.workloads.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Which records carry a correlation id, by header, JSON field or DLQ format, and what the timeline shows of them. */
class CorrelationMatcherTest {

  private static final String ID = "550e8400-e29b-41d4-a716-446655440000";
  private final CorrelationMatcher matcher = new CorrelationMatcher(ID);

  @Test
  void theHeaderCarriesIt() {
    RecordHeaders headers = headers("correlation-id", ID);
    TimelineEntry entry = matcher.match(TopicRole.ACTIONS, record("orders.actions", headers, "order-42",
        "{\"action_id\":\"a-1\",\"workflow_key\":\"order-42\",\"action\":\"PROCESSING\"}"));

    assertThat(entry).isNotNull();
    assertThat(entry.matchedBy()).isEqualTo("header");
    assertThat(entry.type()).isEqualTo(TimelineEntry.ACTION);
    assertThat(entry.source()).isEqualTo("orders.actions");
    assertThat(entry.partition()).isEqualTo(2);
    assertThat(entry.offset()).isEqualTo(17L);
    assertThat(entry.workflowKey()).isEqualTo("order-42");
    assertThat(entry.trigger()).isEqualTo("PROCESSING");
    assertThat(entry.detail()).isEqualTo("action_id=a-1");
    assertThat(entry.time()).isEqualTo("2023-11-14T22:13:20Z");
  }

  @Test
  void theTopLevelFieldCarriesIt() {
    TimelineEntry entry = matcher.match(TopicRole.STATE_COMMITTED, record("orders.state-committed", headers(),
        "order-42", "{\"workflow_key\":\"order-42\",\"version\":3,\"state\":\"COMPLETED\",\"last_action\":\"done\","
            + "\"correlation_id\":\"" + ID + "\",\"committed_at\":\"2026-12-04T10:00:00Z\"}"));

    assertThat(entry.matchedBy()).isEqualTo("correlation_id");
    assertThat(entry.type()).isEqualTo(TimelineEntry.STATE_COMMITTED);
    assertThat(entry.version()).isEqualTo(3L);
    assertThat(entry.state()).isEqualTo("COMPLETED");
    assertThat(entry.trigger()).isEqualTo("done");
  }

  @Test
  void thePayloadFieldOfTheRunbooksEnvelopeCarriesIt() {
    TimelineEntry entry = matcher.match(TopicRole.OTHER, record("stamping.generate-completed.v1", headers(), null,
        "{\"event_type\":\"STAMPING_COMPLETED\",\"payload\":{\"files\":[1,2],\"correlation_id\":\"" + ID + "\"}}"));

    assertThat(entry.matchedBy()).isEqualTo("payload.correlation_id");
    assertThat(entry.type()).isEqualTo(TimelineEntry.RECORD);
    assertThat(entry.trigger()).isEqualTo("STAMPING_COMPLETED");
    assertThat(entry.workflowKey()).isNull();
  }

  @Test
  void otherIdsAndOtherShapesDoNotMatch() {
    assertThat(matcher.match(TopicRole.ACTIONS, record("a", headers("correlation-id", "other"), "k",
        "{\"correlation_id\":\"" + ID + "-2\"}"))).isNull();
    assertThat(matcher.match(TopicRole.ACTIONS, record("a", headers(), "k", "{\"note\":\"" + ID + "\"}"))).isNull();
    assertThat(matcher.match(TopicRole.ACTIONS, record("a", headers(), "k", "not json " + ID))).isNull();
    assertThat(matcher.match(TopicRole.ACTIONS, record("a", headers(), "k", null))).isNull();
    assertThat(matcher.match(TopicRole.ACTIONS, record("a", headers(), "k",
        "{\"payload\":{\"payload\":{\"correlation_id\":\"" + ID + "\"}}}"))).isNull();
  }

  @Test
  void anIdWrittenWithJsonEscapesIsStillFound() {
    // "5" as \u0035: the bytes of the id are not in the value, the parsed string is the id.
    String escaped = "\\u0035" + ID.substring(1);
    assertThat(matcher.match(TopicRole.ACTIONS, record("a", headers(), "k",
        "{\"correlation_id\":\"" + escaped + "\"}"))).isNotNull();

    CorrelationMatcher quoted = new CorrelationMatcher("a\"b/c");
    assertThat(quoted.match(TopicRole.ACTIONS, record("a", headers(), "k", "{\"correlation_id\":\"a\\\"b\\/c\"}")))
        .isNotNull();
  }

  @Test
  void ourDeadLettersCarryItInXCorrelationId() {
    RecordHeaders headers = headers("x-error-type", "INVALID_TRANSITION", "x-error-message",
        "workflow order-42: PENDING is not allowed from PROCESSING", "x-original-topic", "orders.actions",
        "x-original-partition", "1", "x-original-offset", "9", "x-correlation-id", ID);
    TimelineEntry entry = matcher.match(TopicRole.DLQ, record("orders.dlq", headers, "order-42",
        "{\"action_id\":\"a-3\",\"workflow_key\":\"order-42\",\"action\":\"PENDING\"}"));

    assertThat(entry.matchedBy()).isEqualTo("dlq format materializer");
    assertThat(entry.type()).isEqualTo(TimelineEntry.DLQ);
    assertThat(entry.errorType()).isEqualTo("INVALID_TRANSITION");
    assertThat(entry.workflowKey()).isEqualTo("order-42");
    assertThat(entry.trigger()).isEqualTo("PENDING");
    assertThat(entry.detail()).isEqualTo("workflow order-42: PENDING is not allowed from PROCESSING; "
        + "from orders.actions 1@9; action_id=a-3");
  }

  @Test
  void connectAndSpringDeadLettersCarryItInTheCarriedHeader() {
    RecordHeaders connect = headers("correlation-id", ID, "__connect.errors.topic", "orders.actions",
        "__connect.errors.partition", "0", "__connect.errors.offset", "5",
        "__connect.errors.exception.class.name", "org.apache.kafka.connect.errors.DataException",
        "__connect.errors.exception.message", "Converting byte[] to Kafka Connect data failed");
    TimelineEntry fromConnect = matcher.match(TopicRole.DLQ, record("dlq", connect, "k", "garbage"));
    assertThat(fromConnect.matchedBy()).isEqualTo("header");
    assertThat(fromConnect.errorType()).isEqualTo("org.apache.kafka.connect.errors.DataException");
    assertThat(fromConnect.detail())
        .startsWith("Converting byte[] to Kafka Connect data failed; from orders.actions 0@5");

    RecordHeaders spring = headers("kafka_dlt-original-topic", "orders.actions", "kafka_dlt-exception-fqcn",
        "org.springframework.kafka.support.serializer.DeserializationException", "correlation-id", ID);
    spring.add("kafka_dlt-original-partition", ByteBuffer.allocate(4).putInt(3).array());
    spring.add("kafka_dlt-original-offset", ByteBuffer.allocate(8).putLong(44).array());
    TimelineEntry fromSpring = matcher.match(TopicRole.DLQ, record("dlq", spring, "k", "garbage"));
    assertThat(fromSpring.errorType())
        .isEqualTo("org.springframework.kafka.support.serializer.DeserializationException");
    assertThat(fromSpring.detail()).isEqualTo("from orders.actions 3@44");
  }

  @Test
  void theRunbooksDlqEnvelopeCarriesItAtTheTopOrInItsOriginalPayload() {
    TimelineEntry top = matcher.match(TopicRole.DLQ, record("dlq", headers(), null,
        "{\"original_topic\":\"orders.actions\",\"original_payload\":{\"workflow_key\":\"order-7\","
            + "\"action\":\"start\"},\"error_type\":\"SERVICE_UNAVAILABLE\",\"error_message\":\"timed out\","
            + "\"correlation_id\":\"" + ID + "\"}"));
    assertThat(top.matchedBy()).isEqualTo("dlq format envelope");
    assertThat(top.errorType()).isEqualTo("SERVICE_UNAVAILABLE");
    assertThat(top.workflowKey()).isEqualTo("order-7");
    assertThat(top.trigger()).isEqualTo("start");
    assertThat(top.detail()).isEqualTo("timed out; from orders.actions");

    // The payload as a JSON string (escaped), the id only inside it.
    TimelineEntry inside = matcher.match(TopicRole.DLQ, record("dlq", headers(), null,
        "{\"original_topic\":\"orders.actions\",\"original_payload\":\"{\\\"workflow_key\\\":\\\"order-8\\\","
            + "\\\"correlation_id\\\":\\\"" + ID + "\\\"}\",\"error_type\":\"VALIDATION_ERROR\"}"));
    assertThat(inside.matchedBy()).isEqualTo("original_payload.correlation_id");
    assertThat(inside.workflowKey()).isEqualTo("order-8");
    assertThat(inside.errorType()).isEqualTo("VALIDATION_ERROR");
  }

  @Test
  void aRawDeadLetterMatchesByItsValue() {
    TimelineEntry entry = matcher.match(TopicRole.DLQ, record("dlq", headers(), "k",
        "{\"workflow_key\":\"order-9\",\"correlation_id\":\"" + ID + "\"}"));
    assertThat(entry.matchedBy()).isEqualTo("correlation_id");
    assertThat(entry.errorType()).isNull();
    assertThat(entry.workflowKey()).isEqualTo("order-9");
  }

  private static RecordHeaders headers(String... namesAndValues) {
    RecordHeaders headers = new RecordHeaders();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return headers;
  }

  private static ConsumerRecord<byte[], byte[]> record(String topic, RecordHeaders headers, String key, String value) {
    return new ConsumerRecord<>(topic, 2, 17, 1_700_000_000_000L, TimestampType.CREATE_TIME, -1, -1,
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8), headers, Optional.empty());
  }
}
