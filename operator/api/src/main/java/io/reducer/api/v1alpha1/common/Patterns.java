package io.reducer.api.v1alpha1.common;

/**
 * Schema patterns shared by the model. Anything that ends up in SQL, a Kafka request or a Kubernetes object
 * name is constrained here, so a hostile value is refused by the API server before the operator sees it.
 * Patterns use the RE2 subset (no look-around) because the API server evaluates them with Go's regexp.
 */
public final class Patterns {

  /** Lower-case PostgreSQL identifier, at most 63 bytes, so it never needs case-folding or escaping tricks. */
  public static final String SQL_IDENTIFIER = "^[a-z_][a-z0-9_]{0,62}$";

  /** PostgreSQL database name as used in a JDBC URL. */
  public static final String DATABASE_NAME = "^[a-zA-Z_][a-zA-Z0-9_-]{0,62}$";

  /** Kafka topic or consumer-group name: Kafka's legal characters, not starting with '.' or '-'. */
  public static final String KAFKA_NAME = "^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,248}$";

  /** Comma-separated host:port list, as in Kafka's bootstrap.servers. */
  public static final String BOOTSTRAP_SERVERS =
      "^[a-zA-Z0-9.\\[\\]:-]+:[0-9]{1,5}(,[a-zA-Z0-9.\\[\\]:-]+:[0-9]{1,5})*$";

  /** DNS name or IPv4 address. */
  public static final String HOST = "^[a-zA-Z0-9]([a-zA-Z0-9.-]{0,251}[a-zA-Z0-9])?$";

  /** Kubernetes object name (DNS-1123 subdomain). */
  public static final String OBJECT_NAME = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** Kubernetes namespace name (DNS-1123 label). */
  public static final String NAMESPACE = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  /** Key inside a Secret. */
  public static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";

  /** Container image reference: registry/repository[:tag][@digest]. */
  public static final String IMAGE = "^[a-zA-Z0-9][a-zA-Z0-9._/:@-]*$";

  /** Kubernetes resource quantity, e.g. 500m, 1.5, 256Mi, 1G. */
  public static final String QUANTITY = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

  /**
   * A calendar date that exists: days 29 and 30 in every month but February, 31 in the long months, and February 29
   * in leap years only (divisible by 4, centuries only when divisible by 400).
   */
  private static final String DATE = "([0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"
      + "|[0-9]{4}-(0[13-9]|1[0-2])-(29|30)"
      + "|[0-9]{4}-(0[13578]|1[02])-31"
      + "|([0-9]{2}(0[48]|[2468][048]|[13579][26])|([02468][048]|[13579][26])00)-02-29)";

  /** A time of day (no leap second: java.time refuses :60) with up to nanoseconds. */
  private static final String TIME = "([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?";

  /** Z or an offset java.time accepts: at most 18 hours. */
  private static final String OFFSET = "(Z|[+-]((0[0-9]|1[0-7]):[0-5][0-9]|18:00))";

  /**
   * RFC 3339 timestamp, e.g. 2025-10-21T12:00:00Z or 2025-10-21T12:00:00.000+02:00: only times that exist, so the
   * API server refuses 2025-13-45T99:99:99Z or 2025-02-29T00:00:00Z instead of the Job that would parse it with
   * OffsetDateTime.parse.
   */
  public static final String RFC3339 = "^" + DATE + "T" + TIME + OFFSET + "$";

  /** Seconds of an ISO-8601 duration, with up to nanoseconds. */
  private static final String SECONDS = "[0-9]{1,9}(\\.[0-9]{1,9})?S";

  /**
   * ISO-8601 duration in days, hours, minutes and seconds, as kafka-consumer-groups --by-duration takes it and
   * java.time.Duration.parse reads it: at least one amount, a T only before an hour, minute or second amount (P1DT
   * and PT are refused), no sign, and at most 9 digits per amount so the total never overflows.
   */
  public static final String ISO_DURATION = "^P([0-9]{1,9}D|([0-9]{1,9}D)?T([0-9]{1,9}H([0-9]{1,9}M)?(" + SECONDS
      + ")?|[0-9]{1,9}M(" + SECONDS + ")?|" + SECONDS + "))$";

  /** Error type label written by producers of DLQ records, e.g. VALIDATION_ERROR or java.io.IOException. */
  public static final String ERROR_TYPE = "^[A-Za-z0-9_.:$-]{1,256}$";

  /** Condition type or reason in the CamelCase form Kubernetes uses. */
  public static final String CONDITION_WORD = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$";

  /** Kafka topic configuration key, e.g. retention.ms or cleanup.policy. */
  public static final String TOPIC_CONFIG_KEY = "^[a-z][a-z0-9.]{0,127}$";

  /**
   * A correlation id: no control characters (such as a line break or NUL), quotes or backslashes, which no id needs
   * and which JSON would have to escape. Commas are fine.
   */
  public static final String CORRELATION_ID = "^[^\\x00-\\x1F\\x7F\"\\\\]*$";

  private Patterns() {
  }
}
