package io.reducer.workloads.reducer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

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
  /** Content after the object would be another action silently lost: refuse it. */
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** The action of a record, or a poison exception that says what is wrong with it. */
  public PendingAction decode(ConsumerRecord<byte[], byte[]> record) throws PoisonRecordException {
    if (record.value() == null) {
      throw new PoisonRecordException(PoisonRecordException.VALIDATION, "action record has no value (a tombstone)");
    }
    JsonNode root;
    try {
      root = JSON.readTree(record.value());
    } catch (IOException e) {
      throw new PoisonRecordException(PoisonRecordException.DESERIALIZATION, "action is not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new PoisonRecordException(PoisonRecordException.VALIDATION, "action must be a JSON object");
    }
    String actionId = requiredText(root, "action_id");
    String workflowKey = requiredText(root, "workflow_key");
    String trigger = requiredText(root, "action");
    JsonNode payload = root.get("payload");
    if (payload == null || payload.isNull()) {
      payload = JsonNodeFactory.instance.objectNode();
    } else if (!payload.isObject()) {
      throw new PoisonRecordException(PoisonRecordException.VALIDATION, "payload must be a JSON object");
    }
    String correlationId = header(record, CORRELATION_HEADER);
    JsonNode field = root.get("correlation_id");
    if (field != null && !field.isNull()) {
      if (!field.isTextual()) {
        throw new PoisonRecordException(PoisonRecordException.VALIDATION, "correlation_id must be a string");
      }
      correlationId = correlationId == null ? field.asText() : correlationId;
    }
    boolean replayed = record.headers().lastHeader(ReplayHeaders.COUNT) != null;
    return new PendingAction(record, new Action(actionId, workflowKey, trigger, payload, correlationId), replayed);
  }

  private static String requiredText(JsonNode root, String name) throws PoisonRecordException {
    JsonNode field = root.get(name);
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
