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

  /** RFC 3339 timestamp, e.g. 2025-10-21T12:00:00Z or 2025-10-21T12:00:00.000+02:00. */
  public static final String RFC3339 =
      "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$";

  /** ISO-8601 duration in days, hours, minutes and seconds, as kafka-consumer-groups --by-duration takes it. */
  public static final String ISO_DURATION =
      "^P([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+(\\.[0-9]{1,9})?S)?)?$";

  /** Error type label written by producers of DLQ records, e.g. VALIDATION_ERROR or java.io.IOException. */
  public static final String ERROR_TYPE = "^[A-Za-z0-9_.:$-]{1,256}$";

  /** Condition type or reason in the CamelCase form Kubernetes uses. */
  public static final String CONDITION_WORD = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$";

  /** Kafka topic configuration key, e.g. retention.ms or cleanup.policy. */
  public static final String TOPIC_CONFIG_KEY = "^[a-z][a-z0-9.]{0,127}$";

  /** Text without control characters (such as a line break or NUL), which no identifier needs. */
  public static final String NO_CONTROL_CHARACTERS = "^[^\\x00-\\x1F\\x7F]*$";

  private Patterns() {
  }
}
