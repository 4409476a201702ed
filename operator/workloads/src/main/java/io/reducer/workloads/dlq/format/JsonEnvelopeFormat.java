package io.reducer.workloads.dlq.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The runbooks' JSON envelope (their {@code reprocess_dlq.py}): the DLQ record's value is a JSON object with
 * {@code original_topic}, {@code original_payload}, {@code error_type} and {@code correlation_id}. Recognized by
 * a JSON object value with an {@code original_payload} field.
 *
 * <p>The payload is what is republished to {@code original_topic}: a JSON string payload as its text (UTF-8), any
 * other payload (object, array, number, ...) as its JSON exactly as it appears in the envelope, byte for byte.
 * Optional fields: {@code original_key} (text; default: the DLQ record's key), {@code original_headers} (an object
 * of text values; default: the DLQ record's headers), {@code original_partition}, {@code original_offset} and
 * {@code replay_count} (default: the {@code x-replay-count} header). When {@code correlation_id} is set and the
 * carried headers have no {@code correlation-id}, that header is added, as the data contract wants it. Other
 * fields ({@code error_message}, timestamps, ...) are ignored.
 */
public final class JsonEnvelopeFormat implements DlqFormat {

  private static final JsonFactory JSON = new JsonFactory();

  @Override
  public String name() {
    return "envelope";
  }

  @Override
  public DlqRecord read(ConsumerRecord<byte[], byte[]> record) {
    byte[] value = record.value();
    if (value == null || !startsWithBrace(value)) {
      return null;
    }
    Envelope envelope;
    try {
      envelope = parse(value);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    if (envelope == null || !envelope.hasPayload) {
      return null;
    }
    List<Header> source = new ArrayList<>();
    if (envelope.headers != null) {
      source.addAll(envelope.headers);
    } else {
      record.headers().forEach(source::add);
    }
    CarriedHeaders headers = CarriedHeaders.of(source, name -> false);
    List<Header> carried = headers.carried;
    int replayCount = headers.replayCount;
    if (envelope.replayCount != null) {
      replayCount = Math.max(replayCount, envelope.replayCount);
    }
    String correlationId = envelope.correlationId != null ? envelope.correlationId
        : CarriedHeaders.correlationId(carried);
    if (envelope.correlationId != null && CarriedHeaders.correlationId(carried) == null) {
      carried.add(new RecordHeader("correlation-id", envelope.correlationId.getBytes(StandardCharsets.UTF_8)));
    }
    byte[] key = envelope.key != null ? envelope.key.getBytes(StandardCharsets.UTF_8) : record.key();
    return new Record(record, envelope, key, carried, replayCount, correlationId);
  }

  private final class Record extends DlqRecord {

    private final Envelope envelope;
    private final String correlationId;

    Record(ConsumerRecord<byte[], byte[]> record, Envelope envelope, byte[] key, List<Header> carried,
        int replayCount, String correlationId) {
      super(name(), record.partition(), record.offset(), record.timestamp(),
          envelope.topic == null || envelope.topic.isBlank() ? null : envelope.topic, key, envelope.payload, carried,
          replayCount);
      this.envelope = envelope;
      this.correlationId = correlationId;
    }

    @Override
    public String errorType() {
      return envelope.errorType;
    }

    @Override
    public String correlationId() {
      return correlationId;
    }

    @Override
    public Integer originalPartition() {
      return envelope.partition;
    }

    @Override
    public Long originalOffset() {
      return envelope.offset;
    }
  }

  /** Cheap pre-check so values that are not JSON objects never reach the parser. */
  private static boolean startsWithBrace(byte[] value) {
    for (byte b : value) {
      if (b == '{') {
        return true;
      }
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return false;
      }
    }
    return false;
  }

  private static final class Envelope {
    String topic;
    boolean hasPayload;
    byte[] payload;
    String errorType;
    String correlationId;
    String key;
    List<Header> headers;
    Integer partition;
    Long offset;
    Integer replayCount;
  }

  private static Envelope parse(byte[] value) throws IOException {
    Envelope envelope = new Envelope();
    try (JsonParser parser = JSON.createParser(value)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken token = parser.nextToken();
        switch (field) {
          case "original_topic" -> envelope.topic = text(parser, token);
          case "original_payload" -> {
            envelope.hasPayload = true;
            envelope.payload = payload(parser, token, value);
          }
          case "error_type" -> envelope.errorType = text(parser, token);
          case "correlation_id" -> envelope.correlationId = text(parser, token);
          case "original_key" -> envelope.key = text(parser, token);
          case "original_headers" -> envelope.headers = headers(parser, token);
          case "original_partition" -> envelope.partition = token == JsonToken.VALUE_NUMBER_INT
              ? parser.getIntValue() : null;
          case "original_offset" -> envelope.offset = token == JsonToken.VALUE_NUMBER_INT
              ? parser.getLongValue() : null;
          case "replay_count" -> envelope.replayCount = token == JsonToken.VALUE_NUMBER_INT
              ? parser.getIntValue() : null;
          default -> parser.skipChildren();
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        return null;
      }
    }
    return envelope;
  }

  private static String text(JsonParser parser, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_STRING) {
      return parser.getText();
    }
    parser.skipChildren();
    return null;
  }

  /** A string's text, or the exact bytes of any other JSON value. */
  private static byte[] payload(JsonParser parser, JsonToken token, byte[] value) throws IOException {
    if (token == JsonToken.VALUE_STRING) {
      return parser.getText().getBytes(StandardCharsets.UTF_8);
    }
    int start = (int) parser.currentTokenLocation().getByteOffset();
    if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
      parser.skipChildren();
      return Arrays.copyOfRange(value, start, (int) parser.currentTokenLocation().getByteOffset() + 1);
    }
    // A scalar: its text is the exact JSON (numbers keep their digits).
    return parser.getText().getBytes(StandardCharsets.UTF_8);
  }

  private static List<Header> headers(JsonParser parser, JsonToken token) throws IOException {
    if (token != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return null;
    }
    List<Header> headers = new ArrayList<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken valueToken = parser.nextToken();
      if (valueToken == JsonToken.VALUE_STRING) {
        headers.add(new RecordHeader(name, parser.getText().getBytes(StandardCharsets.UTF_8)));
      } else if (valueToken == JsonToken.VALUE_NULL) {
        headers.add(new RecordHeader(name, null));
      } else {
        parser.skipChildren();
      }
    }
    return headers;
  }
}
