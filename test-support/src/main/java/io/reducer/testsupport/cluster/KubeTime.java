package io.reducer.testsupport.cluster;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Timestamps as the API server writes them: RFC 3339 in UTC, whole seconds. */
final class KubeTime {

  private KubeTime() {
  }

  static String format(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static Instant parse(String value) {
    return value == null || value.isEmpty() ? null : Instant.parse(value);
  }
}
