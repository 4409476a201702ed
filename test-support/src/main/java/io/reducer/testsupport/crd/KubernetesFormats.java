package io.reducer.testsupport.crd;

import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Format;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The {@code format} values whose checks agree with the API server's. Every other format (including the many
 * extra ones networknt knows, such as {@code color}) is ignored, as the API server ignores formats it does not know.
 */
final class KubernetesFormats {

  /** networknt's own checks for these match the API server closely enough to keep. */
  static final Set<String> FROM_NETWORKNT = Set.of("uuid", "ipv4", "ipv6");

  /** Checks written here because the API server is more lenient than networknt for them. */
  static final List<Format> OWN = List.of(new DateTime(), new Date(), new Base64Bytes());

  private KubernetesFormats() {
  }

  /** RFC 3339, and also a local date-time without offset, which the API server's parser accepts too. */
  private static final class DateTime implements Format {
    @Override
    public String getName() {
      return "date-time";
    }

    @Override
    public boolean matches(ExecutionContext context, String value) {
      return parses(() -> OffsetDateTime.parse(value)) || parses(() -> LocalDateTime.parse(value));
    }
  }

  private static final class Date implements Format {
    @Override
    public String getName() {
      return "date";
    }

    @Override
    public boolean matches(ExecutionContext context, String value) {
      return parses(() -> LocalDate.parse(value));
    }
  }

  /** {@code byte}: standard base64, as the API server decodes it. */
  private static final class Base64Bytes implements Format {
    @Override
    public String getName() {
      return "byte";
    }

    @Override
    public boolean matches(ExecutionContext context, String value) {
      return parses(() -> Base64.getDecoder().decode(value));
    }
  }

  private static boolean parses(Runnable parse) {
    try {
      parse.run();
      return true;
    } catch (DateTimeParseException | IllegalArgumentException e) {
      return false;
    }
  }
}
