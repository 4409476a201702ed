package io.reducer.workloads.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.reducer.workloads.deadletter.PoisonRecordException;

class StateCommittedDecoderTest {

  private final StateCommittedDecoder decoder = new StateCommittedDecoder();

  @Test
  void decodesTheContractFields() throws Exception {
    StateCommitted event = decode("wf-1", "{\"workflow_key\":\"wf-1\",\"version\":7,\"state\":\"PROCESSING\","
        + "\"namespace\":\"ns\",\"tag\":\"t\",\"last_action\":\"start\",\"correlation_id\":\"c-1\","
        + "\"committed_at\":\"2026-01-02T03:04:05.123+01:00\"}");
    assertThat(event).isEqualTo(new StateCommitted(42, "wf-1", 7, "PROCESSING", "ns", "t", "start", "c-1",
        Instant.parse("2026-01-02T02:04:05.123Z")));
  }

  @Test
  void optionalFieldsMayBeMissingAndTheRecordKeyNamesTheRow() throws Exception {
    StateCommitted event = decode("wf-2", "{\"version\":0}");
    assertThat(event.workflowKey()).isEqualTo("wf-2");
    assertThat(event.state()).isNull();
    assertThat(event.committedAt()).isNull();
  }

  @Test
  void unusualButValidShapesDecodeLikeTheContractSays() throws Exception {
    assertThat(decode("wf-3", "{\"version\":1,\"version\":4,\"state\":3,\"state\":\"LAST\","
        + "\"extra\":{\"nested\":[1,{\"state\":\"NO\"}]},\"committed_at\":\"2026-01-02t03:04z\"} trailing"))
        .isEqualTo(new StateCommitted(42, "wf-3", 4, "LAST", null, null, null, null,
            Instant.parse("2026-01-02T03:04:00Z")));
    assertThat(decode("", "{\"workflow_key\":\"wf-\\u00e9\",\"version\":9223372036854775807,\"tag\":null}"))
        .isEqualTo(new StateCommitted(42, "wf-\u00e9", Long.MAX_VALUE, null, null, null, null, null, null));
  }

  @Test
  void rejectsWhatCannotBeApplied() {
    assertPoison("k", "not json", PoisonRecordException.DESERIALIZATION);
    assertPoison("k", "[1,2]", PoisonRecordException.DESERIALIZATION);
    assertPoison("k", "{\"workflow_key\":\"k\"}", PoisonRecordException.VALIDATION);
    assertPoison("k", "{\"version\":\"7\"}", PoisonRecordException.VALIDATION);
    assertPoison("k", "{\"version\":1.5}", PoisonRecordException.VALIDATION);
    assertPoison("k", "{\"version\":-1}", PoisonRecordException.VALIDATION);
    assertPoison("k", "{\"version\":99999999999999999999}", PoisonRecordException.VALIDATION);
    assertPoison(null, "{\"version\":1}", PoisonRecordException.VALIDATION);
    assertPoison("a", "{\"workflow_key\":\"b\",\"version\":1}", PoisonRecordException.VALIDATION);
    assertPoison("k", "{\"version\":1,\"state\":3}", PoisonRecordException.VALIDATION);
    assertPoison("k", "{\"version\":1,\"committed_at\":\"yesterday\"}", PoisonRecordException.VALIDATION);
    assertPoison("k", "{\"version\":1,\"committed_at\":\"2026-02-30T03:04:05Z\"}", PoisonRecordException.VALIDATION);
    assertPoison("k", "{\"version\":2,\"version\":null}", PoisonRecordException.VALIDATION);
    assertPoison("k", "{\"version\":2,\"state\":\"A\"", PoisonRecordException.DESERIALIZATION);
    assertPoison("k", "{\"version\":2,\"x\":[}", PoisonRecordException.DESERIALIZATION);
    assertPoison("", "{\"workflow_key\":\"\",\"version\":1}", PoisonRecordException.VALIDATION);
    assertPoison("k", "", PoisonRecordException.DESERIALIZATION);
    assertThatThrownBy(() -> decoder.decode(0, "k".getBytes(StandardCharsets.UTF_8), null))
        .isInstanceOf(PoisonRecordException.class);
  }

  private StateCommitted decode(String key, String json) throws PoisonRecordException {
    return decoder.decode(42, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        json.getBytes(StandardCharsets.UTF_8));
  }

  private void assertPoison(String key, String json, String type) {
    assertThatThrownBy(() -> decode(key, json))
        .as(json)
        .isInstanceOfSatisfying(PoisonRecordException.class, e -> assertThat(e.errorType()).isEqualTo(type));
  }
}
