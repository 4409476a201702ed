package io.reducer.plugin;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Flag values, each refused with a message naming the flag and what it accepts (exit code 2). */
final class Parsing {

  private Parsing() {
  }

  static int integer(String text, String flag, int min, int max) throws PluginException {
    long value = longValue(text, flag, min, max);
    return (int) value;
  }

  static long longValue(String text, String flag, long min, long max) throws PluginException {
    try {
      long value = Long.parseLong(text.trim());
      if (value < min || value > max) {
        throw PluginException.usage(flag + " must be between " + min + " and " + max + ", not " + text);
      }
      return value;
    } catch (NumberFormatException e) {
      throw PluginException.usage(flag + " must be a whole number, not " + text);
    }
  }

  /**
   * A duration as kubectl and the runbooks write it (30s, 15m, 1h, 2d) or ISO-8601 (PT30M, P1DT12H).
   */
  static Duration duration(String text, String flag) throws PluginException {
    String value = text.trim();
    try {
      if (value.startsWith("P") || value.startsWith("p")) {
        return Duration.parse(value.toUpperCase(java.util.Locale.ROOT));
      }
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(value);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
    } catch (DateTimeParseException | NumberFormatException e) {
      // Refused below.
    }
    throw PluginException.usage(flag + " must be a duration such as 30s, 15m, 1h, 2d or PT30M, not " + text);
  }
}
