package io.reducer.workloads.reducer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/** The state-committed record value of DESIGN.md section 4, the contract the materializer decodes. */
final class StateCommittedEncoder {

  private static final JsonFactory JSON = new JsonFactory();

  static byte[] encode(OutboxRow row) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("workflow_key", row.workflowKey());
      json.writeNumberField("version", row.version());
      json.writeStringField("state", row.state());
      json.writeStringField("namespace", row.namespace());
      json.writeStringField("tag", row.tag());
      json.writeStringField("last_action", row.lastAction());
      json.writeStringField("correlation_id", row.correlationId());
      json.writeStringField("committed_at", row.committedAt().toString());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory", e);
    }
    return out.toByteArray();
  }

  private StateCommittedEncoder() {
  }
}
