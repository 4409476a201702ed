package io.reducer.workloads.reducer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

/**
 * The state-committed record value of DESIGN.md section 4, the contract the materializer decodes. One instance per
 * thread: it reuses its generator and buffer, and the text of the last commit time (a batch's rows share one),
 * which took a quarter of the relay's CPU when made anew for every record.
 */
final class StateCommittedEncoder {

  private static final JsonFactory JSON = new JsonFactory();

  private final ByteArrayBuilder buffer = new ByteArrayBuilder(512);
  private final JsonGenerator json;
  private Instant lastTime;
  private String lastTimeText;

  StateCommittedEncoder() {
    try {
      json = JSON.createGenerator(buffer);
    } catch (IOException e) {
      throw new UncheckedIOException("creating a JSON generator in memory", e);
    }
    json.setRootValueSeparator(null);
  }

  byte[] encode(OutboxRow row) {
    buffer.reset();
    try {
      json.writeStartObject();
      json.writeStringField("workflow_key", row.workflowKey());
      json.writeNumberField("version", row.version());
      json.writeStringField("state", row.state());
      json.writeStringField("namespace", row.namespace());
      json.writeStringField("tag", row.tag());
      json.writeStringField("last_action", row.lastAction());
      json.writeStringField("correlation_id", row.correlationId());
      json.writeStringField("committed_at", timeText(row.committedAt()));
      json.writeEndObject();
      json.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory", e);
    }
    return buffer.toByteArray();
  }

  private String timeText(Instant time) {
    if (!time.equals(lastTime)) {
      lastTime = time;
      lastTimeText = time.toString();
    }
    return lastTimeText;
  }
}
