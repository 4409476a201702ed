package io.reducer.workloads.reducer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;

import io.reducer.workloads.deadletter.PoisonRecordException;
import io.reducer.workloads.dlq.format.ReplayHeaders;
import io.reducer.workloads.reducer.spi.Action;

/**
 * Decodes a record of the actions topic (docs/reducer.md, "The action contract"). Strict: an action without an id
 * could not be deduplicated and one without a key or trigger could not be applied, so they go to the DLQ.
 */
public final class ActionDecoder {

  static final String CORRELATION_HEADER = "correlation-id";
  static final int MAX_ID_LENGTH = 512;
  private static final Set<String> FIELDS = Set.of("action_id", "workflow_key", "action", "payload", "correlation_id");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The action of a record, or a poison exception that says what is wrong with it. */
  public PendingAction decode(ConsumerRecord<byte[], byte[]> record) throws PoisonRecordException {
    if (record.value() == null) {
      throw new PoisonRecordException(PoisonRecordException.VALIDATION, "action record has no value (a tombstone)");
    }
    // Streamed, not read as a tree: the tree of every action took a sixth of the poll loop's CPU. Only the payload
    // becomes a tree, for the reducer. A field given twice counts with its last value, as in a tree.
    Map<String, JsonNode> fields = new HashMap<>(8);
    try (JsonParser parser = JSON.createParser(record.value())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new PoisonRecordException(PoisonRecordException.VALIDATION, "action must be a JSON object");
      }
      for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
        JsonToken token = parser.nextToken();
        if (FIELDS.contains(name)) {
          fields.put(name, token == JsonToken.VALUE_STRING ? TextNode.valueOf(parser.getText())
              : parser.readValueAsTree());
        } else {
          parser.skipChildren();
        }
      }
      if (parser.nextToken() != null) {
        throw new PoisonRecordException(PoisonRecordException.DESERIALIZATION,
            "action is not JSON: there is content after the object");
      }
    } catch (IOException e) {
      throw new PoisonRecordException(PoisonRecordException.DESERIALIZATION, "action is not JSON: " + e.getMessage(), e);
    }
    String actionId = requiredText(fields, "action_id");
    String workflowKey = requiredText(fields, "workflow_key");
    String trigger = requiredText(fields, "action");
    JsonNode payload = fields.get("payload");
    if (payload == null || payload.isNull()) {
      payload = JsonNodeFactory.instance.objectNode();
    } else if (!payload.isObject()) {
      throw new PoisonRecordException(PoisonRecordException.VALIDATION, "payload must be a JSON object");
    }
    String correlationId = header(record, CORRELATION_HEADER);
    JsonNode field = fields.get("correlation_id");
    if (field != null && !field.isNull()) {
      if (!field.isTextual()) {
        throw new PoisonRecordException(PoisonRecordException.VALIDATION, "correlation_id must be a string");
      }
      correlationId = correlationId == null ? field.asText() : correlationId;
    }
    boolean replayed = record.headers().lastHeader(ReplayHeaders.COUNT) != null;
    return new PendingAction(record, new Action(actionId, workflowKey, trigger, payload, correlationId), replayed);
  }

  private static String requiredText(Map<String, JsonNode> fields, String name) throws PoisonRecordException {
    JsonNode field = fields.get(name);
    if (field == null || field.isNull()) {
      throw new PoisonRecordException(PoisonRecordException.VALIDATION, "action has no " + name);
    }
    if (!field.isTextual() || field.asText().isBlank()) {
      throw new PoisonRecordException(PoisonRecordException.VALIDATION, name + " must be a non-empty string");
    }
    if (field.asText().length() > MAX_ID_LENGTH) {
      throw new PoisonRecordException(PoisonRecordException.VALIDATION,
          name + " is longer than " + MAX_ID_LENGTH + " characters");
    }
    return field.asText();
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    if (header == null || header.value() == null || header.value().length == 0) {
      return null;
    }
    return new String(header.value(), StandardCharsets.UTF_8);
  }
}
