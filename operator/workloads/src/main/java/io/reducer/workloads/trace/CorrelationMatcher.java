package io.reducer.workloads.trace;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import io.reducer.workloads.deadletter.DeadLetterPublisher;
import io.reducer.workloads.dlq.format.DlqFormats;
import io.reducer.workloads.dlq.format.DlqRecord;

/**
 * Decides whether a record carries the correlation id, and if so what the timeline shows of it. A record carries it
 * when any of these equals the id:
 *
 * <ul>
 *   <li>the header {@code correlation-id} (the data contract, DESIGN.md section 4);
 *   <li>the value's JSON field {@code correlation_id} (the action contract, state-committed) or
 *       {@code payload.correlation_id} (the runbooks' event envelope);
 *   <li>for a dead letter, the correlation id its format carries (io.reducer.workloads.dlq.format: our
 *       {@code x-correlation-id}, the envelope's {@code correlation_id}, Connect's and Spring's carried
 *       {@code correlation-id} header), or a field above in the failed record's value (the envelope's
 *       {@code original_payload}).
 * </ul>
 *
 * Most records of a window do not carry the id, so a record is only decoded when its bytes could hold it: a header
 * or the value contains the id's UTF-8 bytes, or the value has a JSON escape (a backslash), or the id has a
 * character JSON would escape.
 */
final class CorrelationMatcher {

  static final String HEADER = "correlation-id";
  private static final String CONNECT_MESSAGE = "__connect.errors.exception.message";
  private static final String SPRING_MESSAGE = "kafka_dlt-exception-message";

  private final String id;
  private final byte[] idBytes;
  private final boolean literal;

  CorrelationMatcher(String id) {
    this.id = id;
    this.idBytes = id.getBytes(StandardCharsets.UTF_8);
    this.literal = id.chars().noneMatch(c -> c == '"' || c == '\\' || c == '/' || c < 0x20);
  }

  /** The record's timeline entry, or null when it does not carry the id. */
  TimelineEntry match(TopicRole role, ConsumerRecord<byte[], byte[]> record) {
    if (!mayCarry(record)) {
      return null;
    }
    String matchedBy = id.equals(lastHeader(record, HEADER)) ? "header" : null;
    DlqRecord dead = role == TopicRole.DLQ ? DlqFormats.read(record) : null;
    if (matchedBy == null && dead != null && id.equals(dead.correlationId())) {
      matchedBy = "dlq format " + dead.format();
    }
    JsonFields fields = JsonFields.parse(record.value());
    if (matchedBy == null && fields != null) {
      matchedBy = fields.matchedField(id);
    }
    // The failed record inside a dead letter: the record's own value, or the envelope's original_payload.
    JsonFields failed = dead == null ? null : dead.value() == record.value() ? fields : JsonFields.parse(dead.value());
    if (matchedBy == null && failed != null && failed.matchedField(id) != null) {
      matchedBy = "original_payload." + failed.matchedField(id);
    }
    if (matchedBy == null) {
      return null;
    }
    return entry(role, record, dead, role == TopicRole.DLQ ? failed : fields, fields, matchedBy);
  }

  private TimelineEntry entry(TopicRole role, ConsumerRecord<byte[], byte[]> record, DlqRecord dead,
      JsonFields subject, JsonFields own, String matchedBy) {
    String key = subject != null && subject.workflowKey() != null ? subject.workflowKey()
        : record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    Long version = subject == null ? null : subject.version();
    String state = subject == null ? null : subject.state();
    String trigger = subject == null ? null : switch (role) {
      case STATE_COMMITTED -> subject.lastAction();
      case OTHER -> subject.eventType() != null ? subject.eventType() : subject.action();
      default -> subject.action();
    };
    String errorType = null;
    String detail = subject == null || subject.actionId() == null ? null : "action_id=" + subject.actionId();
    if (dead != null) {
      errorType = dead.errorType() != null ? dead.errorType() : own == null ? null : own.errorType();
      String message = errorMessage(record, own);
      String origin = dead.targetTopic() == null ? null : "from " + dead.targetTopic()
          + (dead.originalPartition() == null ? "" : " " + dead.originalPartition() + "@" + dead.originalOffset());
      detail = join(join(message, origin), detail);
    }
    return new TimelineEntry(Instant.ofEpochMilli(record.timestamp()).toString(), record.topic(), record.partition(),
        record.offset(), role.entryType(), key, version, trigger, state, errorType, detail, matchedBy, null);
  }

  /** What the DLQ writer said went wrong: our header, Connect's or Spring's, or the envelope's field. */
  private static String errorMessage(ConsumerRecord<byte[], byte[]> record, JsonFields own) {
    for (String header : new String[] {DeadLetterPublisher.ERROR_MESSAGE, CONNECT_MESSAGE, SPRING_MESSAGE}) {
      String message = lastHeader(record, header);
      if (message != null && !message.isBlank()) {
        return message;
      }
    }
    return own == null ? null : own.errorMessage();
  }

  private boolean mayCarry(ConsumerRecord<byte[], byte[]> record) {
    if (!literal) {
      return true;
    }
    for (Header header : record.headers()) {
      if (contains(header.value(), idBytes)) {
        return true;
      }
    }
    byte[] value = record.value();
    return value != null && (contains(value, idBytes) || indexOf(value, (byte) '\\') >= 0);
  }

  static String lastHeader(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  static boolean contains(byte[] haystack, byte[] needle) {
    if (haystack == null || haystack.length < needle.length) {
      return false;
    }
    if (needle.length == 0) {
      return true;
    }
    byte first = needle[0];
    int last = haystack.length - needle.length;
    for (int i = 0; i <= last; i++) {
      if (haystack[i] != first) {
        continue;
      }
      int j = 1;
      while (j < needle.length && haystack[i + j] == needle[j]) {
        j++;
      }
      if (j == needle.length) {
        return true;
      }
    }
    return false;
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static String join(String a, String b) {
    return a == null ? b : b == null ? a : a + "; " + b;
  }
}
