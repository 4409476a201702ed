package io.reducer.workloads.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class TimeWindowTest {

  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  @Test
  void durationsCountBackFromNow() throws Exception {
    assertThat(TimeWindow.parse("15m", "", NOW).since()).isEqualTo(NOW.minus(Duration.ofMinutes(15)));
    assertThat(TimeWindow.parse("1h", "", NOW).since()).isEqualTo(Instant.parse("2026-12-04T11:00:00Z"));
    assertThat(TimeWindow.parse("2d", "", NOW).since()).isEqualTo(Instant.parse("2026-12-02T12:00:00Z"));
    assertThat(TimeWindow.parse("1h30m", "", NOW).since()).isEqualTo(Instant.parse("2026-12-04T10:30:00Z"));
    assertThat(TimeWindow.parse("90s", "", NOW).since()).isEqualTo(Instant.parse("2026-12-04T11:58:30Z"));
    assertThat(TimeWindow.parse("1w", "", NOW).since()).isEqualTo(Instant.parse("2026-11-27T12:00:00Z"));
    assertThat(TimeWindow.parse("PT2H", "", NOW).since()).isEqualTo(Instant.parse("2026-12-04T10:00:00Z"));
    assertThat(TimeWindow.parse("1h", "", NOW).until()).isNull();
  }

  @Test
  void timestampsAreRfc3339WithAnyOffset() throws Exception {
    TimeWindow window = TimeWindow.parse("2026-12-04T10:00:00Z", "2026-12-04T11:30:00+01:00", NOW);
    assertThat(window.since()).isEqualTo(Instant.parse("2026-12-04T10:00:00Z"));
    assertThat(window.until()).isEqualTo(Instant.parse("2026-12-04T10:30:00Z"));
    assertThat(TimeWindow.parse("2h", "30m", NOW).until()).isEqualTo(Instant.parse("2026-12-04T11:30:00Z"));
  }

  @Test
  void theWindowIncludesSinceAndExcludesUntil() throws Exception {
    TimeWindow window = TimeWindow.parse("2026-12-04T10:00:00Z", "2026-12-04T11:00:00Z", NOW);
    assertThat(window.contains(Instant.parse("2026-12-04T10:00:00Z"))).isTrue();
    assertThat(window.contains(Instant.parse("2026-12-04T10:59:59.999Z"))).isTrue();
    assertThat(window.contains(Instant.parse("2026-12-04T11:00:00Z"))).isFalse();
    assertThat(window.contains(Instant.parse("2026-12-04T09:59:59Z"))).isFalse();
  }

  @Test
  void badValuesNameTheFlagAndTheForms() {
    assertThatThrownBy(() -> TimeWindow.parse("an hour", "", NOW)).isInstanceOf(TraceConfigException.class)
        .hasMessageContaining("invalid --since 'an hour'").hasMessageContaining("15m");
    assertThatThrownBy(() -> TimeWindow.parse("1h", "yesterday", NOW)).hasMessageContaining("invalid --until");
    assertThatThrownBy(() -> TimeWindow.parse("15", "", NOW)).hasMessageContaining("invalid --since");
    assertThatThrownBy(() -> TimeWindow.parse("2026-12-04", "", NOW)).hasMessageContaining("RFC 3339");
    assertThatThrownBy(() -> TimeWindow.parse("10m", "1h", NOW)).hasMessageContaining("must be before --until");
  }
}
