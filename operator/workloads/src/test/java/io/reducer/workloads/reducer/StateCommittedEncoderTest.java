package io.reducer.workloads.reducer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reducer.workloads.materializer.StateCommitted;
import io.reducer.workloads.materializer.StateCommittedDecoder;

/** The state-committed value the outbox relay publishes, read back by the materializer's own decoder. */
class StateCommittedEncoderTest {

  /** One encoder for every case, as the relay uses one for every record: each value must stand alone. */
  private static final StateCommittedEncoder ENCODER = new StateCommittedEncoder();

  private static final Instant COMMITTED_AT = Instant.parse("2026-03-04T05:06:07.123456Z");

  private final StateCommittedDecoder decoder = new StateCommittedDecoder();

  /** Encodes {@code row} and decodes it as the materializer does, with the key the relay sends. */
  private StateCommitted roundTrip(OutboxRow row) throws Exception {
    byte[] value = ENCODER.encode(row);
    return decoder.decode(99L, row.workflowKey().getBytes(StandardCharsets.UTF_8), value);
  }

  @Test
  void aRowRoundTripsThroughTheContract() throws Exception {
    OutboxRow row = new OutboxRow(7, "order-1", 42, "PROCESSING", "shop", "blue", "start", "c-9", COMMITTED_AT);
    StateCommitted event = roundTrip(row);
    assertThat(event).isEqualTo(new StateCommitted(99L, "order-1", 42, "PROCESSING", "shop", "blue", "start", "c-9",
        COMMITTED_AT));
  }

  @Test
  void theValueUsesTheContractFieldNames() throws Exception {
    OutboxRow row = new OutboxRow(7, "order-1", 42, "PROCESSING", "shop", "blue", "start", "c-9", COMMITTED_AT);
    JsonNode json = new ObjectMapper().readTree(ENCODER.encode(row));
    assertThat(json.get("workflow_key").asText()).isEqualTo("order-1");
    assertThat(json.get("version").isIntegralNumber()).isTrue();
    assertThat(json.get("version").asLong()).isEqualTo(42);
    assertThat(json.get("state").asText()).isEqualTo("PROCESSING");
    assertThat(json.get("namespace").asText()).isEqualTo("shop");
    assertThat(json.get("tag").asText()).isEqualTo("blue");
    assertThat(json.get("last_action").asText()).isEqualTo("start");
    assertThat(json.get("correlation_id").asText()).isEqualTo("c-9");
    assertThat(json.get("committed_at").asText()).isEqualTo("2026-03-04T05:06:07.123456Z");
    assertThat(json.has("sequence")).as("the outbox sequence is internal").isFalse();
  }

  @Test
  void nullNamespaceTagAndCorrelationStayNull() throws Exception {
    OutboxRow row = new OutboxRow(1, "order-2", 0, "PENDING", null, null, "create", null, COMMITTED_AT);
    StateCommitted event = roundTrip(row);
    assertThat(event.namespace()).isNull();
    assertThat(event.tag()).isNull();
    assertThat(event.correlationId()).isNull();
    assertThat(event.version()).isZero();
    assertThat(event.state()).isEqualTo("PENDING");
    assertThat(event.lastAction()).isEqualTo("create");
    JsonNode json = new ObjectMapper().readTree(ENCODER.encode(row));
    assertThat(json.get("namespace").isNull()).as("null, not the text \"null\"").isTrue();
    assertThat(json.get("correlation_id").isNull()).isTrue();
  }

  @Test
  void committedAtKeepsMicroseconds() throws Exception {
    for (String time : List.of("2026-03-04T05:06:07.000001Z", "2026-03-04T05:06:07.999999Z",
        "2026-03-04T05:06:07.100000Z", "2026-03-04T05:06:00Z", "1999-12-31T23:59:59.5Z")) {
      Instant instant = Instant.parse(time);
      OutboxRow row = new OutboxRow(1, "k", 1, "S", null, null, "a", null, instant);
      assertThat(roundTrip(row).committedAt()).as(time).isEqualTo(instant);
    }
  }

  @Test
  void textNeedingEscapesSurvives() throws Exception {
    String key = "order \"7\" \\ caf\u00e9 \u2713 \ud83d\ude00";
    String state = "line\nbreak\ttab\u0001";
    OutboxRow row = new OutboxRow(1, key, Long.MAX_VALUE, state, "ns", "t", "a\"b", "c", COMMITTED_AT);
    StateCommitted event = roundTrip(row);
    assertThat(event.workflowKey()).isEqualTo(key);
    assertThat(event.state()).isEqualTo(state);
    assertThat(event.lastAction()).isEqualTo("a\"b");
    assertThat(event.version()).isEqualTo(Long.MAX_VALUE);
  }
}
