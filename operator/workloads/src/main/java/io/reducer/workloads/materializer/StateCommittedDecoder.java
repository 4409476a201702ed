package io.reducer.workloads.materializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Decodes a state-committed record. Strict about what the projection needs (a key and an integral version) and
 * about types, because a value silently coerced here would be materialized wrongly forever.
 */
public final class StateCommittedDecoder {

  private static final ObjectMapper JSON = new ObjectMapper();

  public StateCommitted decode(long offset, byte[] key, byte[] value) throws PoisonRecordException {
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
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new PoisonRecordException(PoisonRecordException.VALIDATION,
          "committed_at is not an RFC 3339 timestamp: " + text, e);
    }
  }
}
