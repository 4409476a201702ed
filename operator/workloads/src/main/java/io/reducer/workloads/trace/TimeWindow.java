package io.reducer.workloads.trace;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time window a trace searches: records and rows from {@code since} (inclusive) to {@code until} (exclusive;
 * null = no end, which for Kafka means the end offsets taken when the trace starts).
 */
record TimeWindow(Instant since, Instant until) {

  /** One or more number-unit pairs, e.g. {@code 90s}, {@code 15m}, {@code 1h30m}, {@code 2d}. */
  private static final Pattern DURATION = Pattern.compile("(?:\\d{1,9}(?:ms|s|m|h|d|w))+");
  private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h|d|w)");

  /**
   * @param sinceText a duration back from {@code now} or an RFC 3339 timestamp
   * @param untilText the same, or empty for no end
   */
  static TimeWindow parse(String sinceText, String untilText, Instant now) throws TraceConfigException {
    Instant since = instant(TraceOptions.SINCE_FLAG, sinceText, now);
    Instant until = untilText == null || untilText.isBlank() ? null : instant(TraceOptions.UNTIL_FLAG, untilText, now);
    if (until != null && !since.isBefore(until)) {
      throw new TraceConfigException(TraceOptions.SINCE_FLAG + " (" + since + ") must be before "
          + TraceOptions.UNTIL_FLAG + " (" + until + ")");
    }
    return new TimeWindow(since, until);
  }

  /** Whether {@code time} falls in the window. */
  boolean contains(Instant time) {
    return !time.isBefore(since) && (until == null || time.isBefore(until));
  }

  @Override
  public String toString() {
    return since + " .. " + (until == null ? "now" : until.toString());
  }

  static Instant instant(String flag, String text, Instant now) throws TraceConfigException {
    String value = text.trim();
    // To the millisecond, like record timestamps: the window is a millisecond wider at most, and reads better.
    if (DURATION.matcher(value).matches()) {
      return now.minus(duration(value)).truncatedTo(ChronoUnit.MILLIS);
    }
    if (value.startsWith("P") || value.startsWith("p")) {
      try {
        return now.minus(Duration.parse(value)).truncatedTo(ChronoUnit.MILLIS);
      } catch (DateTimeException e) {
        throw invalid(flag, text);
      }
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeException e) {
      throw invalid(flag, text);
    }
  }

  static Duration duration(String text) {
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(text);
    while (part.find()) {
      long amount = Long.parseLong(part.group(1));
      total = total.plus(switch (part.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        case "d" -> Duration.ofDays(amount);
        default -> Duration.ofDays(7 * amount);
      });
    }
    return total;
  }

  private static TraceConfigException invalid(String flag, String text) {
    return new TraceConfigException("invalid " + flag + " '" + text + "': give a duration back from now (30s, 15m, 1h, "
        + "2d, 1h30m, or ISO-8601 PT1H) or an RFC 3339 timestamp (2026-12-04T10:00:00Z)");
  }
}
