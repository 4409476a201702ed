package io.reducer.workloads.materializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reducer.workloads.deadletter.PoisonRecordException;

/**
 * Decodes a state-committed record. Strict about what the projection needs (a key and an integral version) and
 * about types, because a value silently coerced here would be materialized wrongly forever.
 *
 * <p>Two paths: a streaming one that reads the fields it needs without building a tree, and accepts only
 * records that are valid beyond doubt; for anything else, the tree path, which is the definition of what is
 * accepted and names what is wrong. Building the tree took about half of the materializer's CPU.
 */
public final class StateCommittedDecoder {

  private static final ObjectMapper JSON = new ObjectMapper();

  public StateCommitted decode(long offset, byte[] key, byte[] value) throws PoisonRecordException {
    StateCommitted event = value == null ? null : streamed(offset, key, value);
    return event != null ? event : fromTree(offset, key, value);
  }

  /**
   * The event, or null when the record is anything but a valid event in the expected shape. A field that
   * appears twice counts with its last value, as in the tree.
   */
  private static StateCommitted streamed(long offset, byte[] key, byte[] value) {
    String workflowKey = null;
    long version = -1;
    String state = null;
    String namespace = null;
    String tag = null;
    String lastAction = null;
    String correlationId = null;
    String committedAt = null;
    try (JsonParser parser = JSON.createParser(value)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
        JsonToken token = parser.nextToken();
        if (field.equals("version")) {
          if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            return null;
          }
          version = parser.getLongValue();
          continue;
        }
        if (!isTextField(field)) {
          parser.skipChildren();
          continue;
        }
        if (token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NULL) {
          return null;
        }
        String text = token == JsonToken.VALUE_NULL ? null : parser.getText();
        switch (field) {
          case "workflow_key" -> workflowKey = text;
          case "state" -> state = text;
          case "namespace" -> namespace = text;
          case "tag" -> tag = text;
          case "last_action" -> lastAction = text;
          case "correlation_id" -> correlationId = text;
          default -> committedAt = text;
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT) {
        return null;
      }
    } catch (IOException e) {
      return null;
    }
    String fromKey = key == null || key.length == 0 ? null : new String(key, StandardCharsets.UTF_8);
    if (workflowKey == null) {
      workflowKey = fromKey;
    }
    if (version < 0 || workflowKey == null || workflowKey.isEmpty()
        || (fromKey != null && !fromKey.equals(workflowKey))) {
      return null;
    }
    Instant time = committedAt == null ? null : Rfc3339Instant.parseOrNull(committedAt);
    if (committedAt != null && time == null) {
      return null;
    }
    return new StateCommitted(offset, workflowKey, version, state, namespace, tag, lastAction, correlationId, time);
  }

  private static boolean isTextField(String field) {
    return switch (field) {
      case "workflow_key", "state", "namespace", "tag", "last_action", "correlation_id", "committed_at" -> true;
      default -> false;
    };
  }

  private static StateCommitted fromTree(long offset, byte[] key, byte[] value) throws PoisonRecordException {
    if (value == null) {
      throw new PoisonRecordException(PoisonRecordException.VALIDATION, "record has no value (tombstone)");
    }
    JsonNode root;
    try {
      root = JSON.readTree(value);
    } catch (JsonProcessingException e) {
      throw new PoisonRecordException(PoisonRecordException.DESERIALIZATION,
          "value is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new PoisonRecordException(PoisonRecordException.DESERIALIZATION, "value is not readable: " + e, e);
    }
    if (root == null || !root.isObject()) {
      throw new PoisonRecordException(PoisonRecordException.DESERIALIZATION, "value is not a JSON object");
    }
    String workflowKey = workflowKey(root, key);
    JsonNode version = root.get("version");
    if (version == null || version.isNull()) {
      throw new PoisonRecordException(PoisonRecordException.VALIDATION, "missing field: version");
    }
    if (!version.isIntegralNumber() || !version.canConvertToLong() || version.asLong() < 0) {
      throw new PoisonRecordException(PoisonRecordException.VALIDATION,
          "version must be a non-negative 64-bit integer, got: " + version);
    }
    return new StateCommitted(offset, workflowKey, version.asLong(),
        text(root, "state"), text(root, "namespace"), text(root, "tag"), text(root, "last_action"),
        text(root, "correlation_id"), committedAt(root));
  }

  /** The record key routes the record; the JSON field names the row. Both must agree when both are present. */
  private static String workflowKey(JsonNode root, byte[] key) throws PoisonRecordException {
    String fromValue = text(root, "workflow_key");
    String fromKey = key == null ? null : new String(key, StandardCharsets.UTF_8);
    if (fromValue == null && (fromKey == null || fromKey.isEmpty())) {
      throw new PoisonRecordException(PoisonRecordException.VALIDATION, "missing workflow key (record key and workflow_key)");
    }
    if (fromValue == null) {
      return fromKey;
    }
    if (fromValue.isEmpty()) {
      throw new PoisonRecordException(PoisonRecordException.VALIDATION, "workflow_key is empty");
    }
    if (fromKey != null && !fromKey.isEmpty() && !fromKey.equals(fromValue)) {
      throw new PoisonRecordException(PoisonRecordException.VALIDATION,
          "record key '" + fromKey + "' differs from workflow_key '" + fromValue + "'");
    }
    return fromValue;
  }

  private static String text(JsonNode root, String field) throws PoisonRecordException {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new PoisonRecordException(PoisonRecordException.VALIDATION, field + " must be a string, got: " + node);
    }
    return node.asText();
  }

  private static Instant committedAt(JsonNode root) throws PoisonRecordException {
    String text = text(root, "committed_at");
    if (text == null) {
      return null;
    }
    Instant common = Rfc3339Instant.parseOrNull(text);
    if (common != null) {
      return common;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new PoisonRecordException(PoisonRecordException.VALIDATION,
          "committed_at is not an RFC 3339 timestamp: " + text, e);
    }
  }
}
