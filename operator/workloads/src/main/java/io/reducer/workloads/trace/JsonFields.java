package io.reducer.workloads.trace;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The fields of a record value a trace looks at, read in one streamed pass (no tree): the correlation id at the top
 * level ({@code correlation_id}, the action contract, state-committed and the DLQ envelope) and inside
 * {@code payload} (the runbooks' event envelope, which their trace script and jq filters read), and what the
 * timeline shows of the record. Fields of other types than expected are left null.
 */
record JsonFields(
    String correlationId,
    String payloadCorrelationId,
    String workflowKey,
    String actionId,
    String action,
    String lastAction,
    Long version,
    String state,
    String eventType,
    String errorType,
    String errorMessage) {

  private static final JsonFactory JSON = new JsonFactory();

  /** The fields of a JSON object; null when the bytes are not one. */
  static JsonFields parse(byte[] value) {
    if (value == null || value.length == 0) {
      return null;
    }
    Builder fields = new Builder();
    try (JsonParser parser = JSON.createParser(value)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
        JsonToken token = parser.nextToken();
        switch (name) {
          case "correlation_id" -> fields.correlationId = text(parser, token);
          case "workflow_key" -> fields.workflowKey = text(parser, token);
          case "action_id" -> fields.actionId = text(parser, token);
          case "action" -> fields.action = text(parser, token);
          case "last_action" -> fields.lastAction = text(parser, token);
          case "state" -> fields.state = text(parser, token);
          case "event_type" -> fields.eventType = text(parser, token);
          case "error_type" -> fields.errorType = text(parser, token);
          case "error_message" -> fields.errorMessage = text(parser, token);
          case "version" -> {
            if (token == JsonToken.VALUE_NUMBER_INT) {
              fields.version = parser.getLongValue();
            } else {
              parser.skipChildren();
            }
          }
          case "payload" -> payload(parser, token, fields);
          default -> parser.skipChildren();
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return fields.build();
  }

  /** Whether the id is this object's {@code correlation_id} or its payload's. */
  boolean carries(String id) {
    return id.equals(correlationId) || id.equals(payloadCorrelationId);
  }

  /** Which field carries the id, for the timeline; null when none does. */
  String matchedField(String id) {
    return id.equals(correlationId) ? "correlation_id" : id.equals(payloadCorrelationId) ? "payload.correlation_id"
        : null;
  }

  private static void payload(JsonParser parser, JsonToken token, Builder fields) throws IOException {
    if (token != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return;
    }
    for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
      JsonToken inner = parser.nextToken();
      if (name.equals("correlation_id")) {
        fields.payloadCorrelationId = text(parser, inner);
      } else if (name.equals("workflow_key") && fields.workflowKey == null) {
        fields.workflowKey = text(parser, inner);
      } else {
        parser.skipChildren();
      }
    }
  }

  private static String text(JsonParser parser, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_STRING) {
      return parser.getText();
    }
    parser.skipChildren();
    return null;
  }

  private static final class Builder {
    String correlationId;
    String payloadCorrelationId;
    String workflowKey;
    String actionId;
    String action;
    String lastAction;
    Long version;
    String state;
    String eventType;
    String errorType;
    String errorMessage;

    JsonFields build() {
      return new JsonFields(correlationId, payloadCorrelationId, workflowKey, actionId, action, lastAction, version,
          state, eventType, errorType, errorMessage);
    }
  }
}
