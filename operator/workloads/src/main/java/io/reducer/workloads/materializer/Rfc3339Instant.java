package io.reducer.workloads.materializer;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Parses the common shape of an RFC 3339 timestamp, {@code 2026-01-02T03:04:05.123Z} or with a {@code +01:00}
 * offset, without {@link java.time.format.DateTimeFormatter}, which took more CPU than the rest of decoding an
 * event. Anything else (lower-case letters, no seconds, second offsets, bad fields) returns null and the caller
 * parses with {@code OffsetDateTime.parse}, which stays the definition of what is accepted.
 */
final class Rfc3339Instant {

  private Rfc3339Instant() {
  }

  /** The instant, or null when {@code text} is not of the common shape or not a valid date and time. */
  static Instant parseOrNull(String text) {
    int n = text.length();
    if (n < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
        || second > 59) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (text.charAt(i) == '.') {
      int start = ++i;
      while (i < n && i - start < 9 && isDigit(text.charAt(i))) {
        nanos = nanos * 10 + (text.charAt(i++) - '0');
      }
      if (i == start || (i < n && isDigit(text.charAt(i)))) {
        return null;
      }
      for (int scale = i - start; scale < 9; scale++) {
        nanos *= 10;
      }
    }
    int offsetSeconds;
    if (i == n - 1 && text.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == n - 6 && (text.charAt(i) == '+' || text.charAt(i) == '-') && text.charAt(i + 3) == ':') {
      int hours = digits(text, i + 1, 2);
      int minutes = digits(text, i + 4, 2);
      if (hours < 0 || hours > 17 || minutes < 0 || minutes > 59) {
        return null;
      }
      offsetSeconds = (text.charAt(i) == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
    } else {
      return null;
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      return null;
    }
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds, nanos);
  }

  /** The non-negative number of {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
