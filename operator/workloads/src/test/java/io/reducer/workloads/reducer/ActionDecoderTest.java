package io.reducer.workloads.reducer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.reducer.workloads.deadletter.PoisonRecordException;
import io.reducer.workloads.reducer.spi.Action;

/** Decoding of actions-topic records: the action contract, and which records are poison and why. */
class ActionDecoderTest {

  private final ActionDecoder decoder = new ActionDecoder();

  private static ConsumerRecord<byte[], byte[]> record(String value) {
    return new ConsumerRecord<>("actions", 2, 17L, bytes("order-1"), value == null ? null : bytes(value));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private PoisonRecordException poison(String value) {
    return poison(record(value));
  }

  private PoisonRecordException poison(ConsumerRecord<byte[], byte[]> record) {
    PoisonRecordException poison = catchThrowableOfType(PoisonRecordException.class, () -> decoder.decode(record));
    assertThat(poison).as("poison for %s", record.value() == null ? null : new String(record.value(),
        StandardCharsets.UTF_8)).isNotNull();
    return poison;
  }

  @Test
  void decodesAValidAction() throws Exception {
    ConsumerRecord<byte[], byte[]> record = record("{\"action_id\":\"a-1\",\"workflow_key\":\"order-1\","
        + "\"action\":\"start\",\"payload\":{\"amount\":12,\"items\":[\"x\"]},\"correlation_id\":\"c-9\","
        + "\"ignored\":true}");
    PendingAction pending = decoder.decode(record);
    Action action = pending.action();
    assertThat(pending.record()).isSameAs(record);
    assertThat(action.actionId()).isEqualTo("a-1");
    assertThat(action.workflowKey()).isEqualTo("order-1");
    assertThat(action.action()).isEqualTo("start");
    assertThat(action.payload().isObject()).isTrue();
    assertThat(action.payload().get("amount").asInt()).isEqualTo(12);
    assertThat(action.payload().get("items").get(0).asText()).isEqualTo("x");
    assertThat(action.correlationId()).isEqualTo("c-9");
    assertThat(pending.replayed()).isFalse();
  }

  @Test
  void anAbsentOrNullPayloadIsAnEmptyObject() throws Exception {
    for (String value : List.of("{\"action_id\":\"a\",\"workflow_key\":\"k\",\"action\":\"start\"}",
        "{\"action_id\":\"a\",\"workflow_key\":\"k\",\"action\":\"start\",\"payload\":null}")) {
      Action action = decoder.decode(record(value)).action();
      assertThat(action.payload()).as(value).isNotNull();
      assertThat(action.payload().isObject()).as(value).isTrue();
      assertThat(action.payload().isEmpty()).as(value).isTrue();
      assertThat(action.correlationId()).as(value).isNull();
    }
  }

  @Test
  void theCorrelationHeaderWinsOverTheJsonField() throws Exception {
    ConsumerRecord<byte[], byte[]> record = record(
        "{\"action_id\":\"a\",\"workflow_key\":\"k\",\"action\":\"start\",\"correlation_id\":\"from-json\"}");
    record.headers().add("correlation-id", bytes("from-header"));
    assertThat(decoder.decode(record).action().correlationId()).isEqualTo("from-header");
  }

  @Test
  void theCorrelationHeaderIsUsedWithoutAJsonField() throws Exception {
    ConsumerRecord<byte[], byte[]> record = record("{\"action_id\":\"a\",\"workflow_key\":\"k\",\"action\":\"s\"}");
    record.headers().add("correlation-id", bytes("from-header"));
    assertThat(decoder.decode(record).action().correlationId()).isEqualTo("from-header");
  }

  @Test
  void anEmptyCorrelationHeaderCountsAsAbsent() throws Exception {
    ConsumerRecord<byte[], byte[]> record = record(
        "{\"action_id\":\"a\",\"workflow_key\":\"k\",\"action\":\"s\",\"correlation_id\":\"from-json\"}");
    record.headers().add("correlation-id", new byte[0]);
    assertThat(decoder.decode(record).action().correlationId()).isEqualTo("from-json");
  }

  @Test
  void theJsonFieldIsUsedWithoutAHeader() throws Exception {
    ConsumerRecord<byte[], byte[]> record = record(
        "{\"action_id\":\"a\",\"workflow_key\":\"k\",\"action\":\"start\",\"correlation_id\":\"from-json\"}");
    record.headers().add("x-other", bytes("noise"));
    assertThat(decoder.decode(record).action().correlationId()).isEqualTo("from-json");
  }

  @Test
  void replayedOnlyWithTheReplayCountHeader() throws Exception {
    String value = "{\"action_id\":\"a\",\"workflow_key\":\"k\",\"action\":\"start\"}";
    ConsumerRecord<byte[], byte[]> plain = record(value);
    plain.headers().add("x-replay-name", bytes("replay-1"));
    assertThat(decoder.decode(plain).replayed()).isFalse();
    ConsumerRecord<byte[], byte[]> replayed = record(value);
    replayed.headers().add("x-replay-count", bytes("1"));
    assertThat(decoder.decode(replayed).replayed()).isTrue();
  }

  @Test
  void nonJsonIsADeserializationError() {
    // Content after the object would be a second action silently lost.
    for (String value : List.of("not json", "{\"action_id\":", "\u00ff\u00fe",
        "{\"action_id\":\"a\",\"workflow_key\":\"k\",\"action\":\"s\"} trailing",
        "{\"action_id\":\"a\",\"workflow_key\":\"k\",\"action\":\"s\"}{\"action_id\":\"b\"}")) {
      PoisonRecordException poison = poison(value);
      assertThat(poison.errorType()).as(value).isEqualTo(PoisonRecordException.DESERIALIZATION);
      assertThat(poison.getMessage()).as(value).contains("not JSON");
    }
  }

  @Test
  void aTombstoneIsAValidationError() {
    PoisonRecordException poison = poison((String) null);
    assertThat(poison.errorType()).isEqualTo(PoisonRecordException.VALIDATION);
    assertThat(poison.getMessage()).contains("tombstone");
  }

  @Test
  void jsonThatIsNotAnObjectIsAValidationError() {
    for (String value : List.of("[1,2]", "\"text\"", "42", "null", "true")) {
      PoisonRecordException poison = poison(value);
      assertThat(poison.errorType()).as(value).isEqualTo(PoisonRecordException.VALIDATION);
      assertThat(poison.getMessage()).as(value).contains("JSON object");
    }
  }

  @Test
  void eachRequiredFieldMustBeANonBlankString() {
    for (String field : List.of("action_id", "workflow_key", "action")) {
      for (String bad : List.of("", "null", "\"\"", "\"   \"", "7", "true", "{}", "[\"a\"]")) {
        String value = validWith(field, bad);
        PoisonRecordException poison = poison(value);
        assertThat(poison.errorType()).as(value).isEqualTo(PoisonRecordException.VALIDATION);
        assertThat(poison.getMessage()).as(value).contains(field);
      }
    }
  }

  @Test
  void idsLongerThan512CharactersAreRefused() throws Exception {
    for (String field : List.of("action_id", "workflow_key", "action")) {
      String longest = validWith(field, "\"" + "x".repeat(512) + "\"");
      assertThat(decoder.decode(record(longest)).action()).as(field).isNotNull();
      PoisonRecordException poison = poison(validWith(field, "\"" + "x".repeat(513) + "\""));
      assertThat(poison.errorType()).as(field).isEqualTo(PoisonRecordException.VALIDATION);
      assertThat(poison.getMessage()).as(field).contains(field).contains("512");
    }
  }

  @Test
  void aPayloadThatIsNotAnObjectIsRefused() {
    for (String bad : List.of("[]", "\"x\"", "1", "false")) {
      PoisonRecordException poison =
          poison("{\"action_id\":\"a\",\"workflow_key\":\"k\",\"action\":\"start\",\"payload\":" + bad + "}");
      assertThat(poison.errorType()).as(bad).isEqualTo(PoisonRecordException.VALIDATION);
      assertThat(poison.getMessage()).as(bad).contains("payload");
    }
  }

  @Test
  void aCorrelationIdThatIsNotAStringIsRefusedEvenWithTheHeader() {
    for (String bad : List.of("5", "{}", "[]", "true")) {
      ConsumerRecord<byte[], byte[]> record = record(
          "{\"action_id\":\"a\",\"workflow_key\":\"k\",\"action\":\"start\",\"correlation_id\":" + bad + "}");
      record.headers().add("correlation-id", bytes("from-header"));
      PoisonRecordException poison = poison(record);
      assertThat(poison.errorType()).as(bad).isEqualTo(PoisonRecordException.VALIDATION);
      assertThat(poison.getMessage()).as(bad).contains("correlation_id");
    }
  }

  /** A valid action with {@code field} replaced by the JSON text {@code json}, or left out when it is empty. */
  private static String validWith(String field, String json) {
    StringBuilder value = new StringBuilder("{");
    for (String name : List.of("action_id", "workflow_key", "action")) {
      String fieldJson = name.equals(field) ? json : "\"v-" + name + "\"";
      if (!fieldJson.isEmpty()) {
        value.append(value.length() > 1 ? "," : "").append('"').append(name).append("\":").append(fieldJson);
      }
    }
    return value.append(",\"payload\":{}}").toString();
  }
}
