package io.reducer.workloads.materializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class Rfc3339InstantTest {

  @Test
  void agreesWithOffsetDateTimeWheneverItAnswers() {
    List<String> texts = new ArrayList<>(List.of(
        "2026-01-02T03:04:05Z", "2026-01-02T03:04:05.1Z", "2026-01-02T03:04:05.123456789Z",
        "2026-01-02T03:04:05.123+01:00", "2026-01-02T03:04:05-07:30", "2026-01-02T03:04:05-00:00",
        "2024-02-29T23:59:59.999Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999+17:59"));
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      texts.add(String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", random.nextInt(10_000), random.nextInt(14),
          random.nextInt(33), random.nextInt(25), random.nextInt(61), random.nextInt(61),
          random.nextBoolean() ? "" : "." + Long.toString(random.nextLong() & Long.MAX_VALUE).substring(0, 1 + random.nextInt(9)),
          random.nextInt(3) == 0 ? "Z" : String.format("%s%02d:%02d", random.nextBoolean() ? "+" : "-",
              random.nextInt(19), random.nextInt(61))));
    }
    int answered = 0;
    for (String text : texts) {
      Instant fast = Rfc3339Instant.parseOrNull(text);
      if (fast != null) {
        answered++;
        assertThat(fast).as(text).isEqualTo(OffsetDateTime.parse(text).toInstant());
      }
    }
    assertThat(answered).isGreaterThan(texts.size() / 10);
  }

  @Test
  void leavesEveryOtherShapeToOffsetDateTime() {
    for (String text : List.of("2026-01-02t03:04:05z", "2026-01-02T03:04Z", "2026-01-02T03:04:05+01:00:30",
        "2026-01-02T03:04:05.Z", "2026-01-02T03:04:05.1234567891Z", "2026-02-30T03:04:05Z",
        "2026-01-02T24:00:00Z", "2026-01-02T03:04:60Z", "2026-01-02T03:04:05+18:00", "2026-01-02T03:04:05",
        "2026-01-02 03:04:05Z", "+2026-01-02T03:04:05Z", "yesterday", "")) {
      assertThat(Rfc3339Instant.parseOrNull(text)).as(text).isNull();
    }
    assertThat(parses("2026-01-02T03:04Z")).isTrue();
    assertThat(parses("2026-02-30T03:04:05Z")).isFalse();
  }

  private static boolean parses(String text) {
    try {
      OffsetDateTime.parse(text);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
