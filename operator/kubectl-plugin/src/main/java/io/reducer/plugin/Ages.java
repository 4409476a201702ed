package io.reducer.plugin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Ages as kubectl shows them: 45s, 3m, 2h, 4d. */
final class Ages {

  private Ages() {
  }

  static String age(Instant then, Clock clock) {
    if (then == null) {
      return "unknown";
    }
    long seconds = Math.max(0, Duration.between(then, clock.instant()).getSeconds());
    if (seconds < 120) {
      return seconds + "s";
    }
    if (seconds < 2 * 3600) {
      return seconds / 60 + "m";
    }
    if (seconds < 2 * 86400) {
      return seconds / 3600 + "h";
    }
    return seconds / 86400 + "d";
  }

  static String ago(Instant then, Clock clock) {
    return then == null ? "at an unknown time" : age(then, clock) + " ago";
  }

  /** An RFC 3339 time from a status, or null when absent or unreadable. */
  static Instant parse(String rfc3339) {
    if (rfc3339 == null || rfc3339.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(rfc3339).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
