package io.reducer.workloads.dlq.format;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Reading header values the way DLQ writers encode them. */
final class HeaderValues {

  private HeaderValues() {
  }

  static String text(Header header) {
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  static String last(Headers headers, String name) {
    return text(headers.lastHeader(name));
  }

  /** The first header of that name: writers that append one per hop put the oldest first. */
  static String first(Headers headers, String name) {
    return text(firstHeader(headers, name));
  }

  static Header firstHeader(Headers headers, String name) {
    for (Header header : headers) {
      if (header.key().equals(name)) {
        return header;
      }
    }
    return null;
  }

  static boolean anyStartsWith(Headers headers, String prefix) {
    for (Header header : headers) {
      if (header.key().startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A number written either as big-endian binary of {@code binaryLength} bytes (Spring Kafka) or as decimal
   * text (Kafka Connect, hand-written tools); null when it is neither.
   */
  static Long number(Header header, int binaryLength) {
    if (header == null || header.value() == null) {
      return null;
    }
    byte[] bytes = header.value();
    if (bytes.length == binaryLength && !isDecimal(bytes)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      return binaryLength == Integer.BYTES ? (long) buffer.getInt() : buffer.getLong();
    }
    try {
      return Long.parseLong(new String(bytes, StandardCharsets.US_ASCII).trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static Integer integer(Header header) {
    Long number = number(header, Integer.BYTES);
    return number == null ? null : number.intValue();
  }

  private static boolean isDecimal(byte[] bytes) {
    for (byte b : bytes) {
      if (b < '0' || b > '9') {
        return false;
      }
    }
    return bytes.length > 0;
  }
}
