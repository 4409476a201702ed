package io.reducer.api.v1alpha1.common;

/**
 * Upper bounds of the strings, lists and maps of the model that more than one field shares. Every string, list
 * and map has one: the API server sizes the cost of CEL rules by them (an unbounded string counts as a whole
 * request), and they keep a hostile or buggy writer from growing an object without limit. Status bounds are above
 * anything the operator writes, so a status update is never refused. See docs/custom-resources.md#bounds.
 */
public final class Bounds {

  /** Partitions of one topic: the most a pipeline's topic may declare. */
  public static final int PARTITIONS = 10000;

  /** A Kubernetes object name (DNS-1123 subdomain), e.g. a Job or a WatermarkReset. */
  public static final int OBJECT_NAME = 253;

  /** A Kafka topic name: Kafka's own limit. */
  public static final int TOPIC_NAME = 249;

  /**
   * A consumer group in status: the operator's default groups, reducer.&lt;namespace&gt;.pipeline.&lt;name&gt;, can
   * be longer than a topic name.
   */
  public static final int CONSUMER_GROUP = 512;

  /** An RFC 3339 time: at most 35 characters with nanoseconds and an offset. */
  public static final int TIMESTAMP = 64;

  /** A message of a one-shot operation, a phase history entry or a preview sample: the operator caps them here. */
  public static final int MESSAGE = 4096;

  /** A condition message (metav1.Condition's bound), and a broker message shown per topic. */
  public static final int CONDITION_MESSAGE = 32768;

  /** Conditions of one resource: each kind has at most ten types. */
  public static final int CONDITIONS = 32;

  /** Entries of a phase history: each phase is entered at most once. */
  public static final int PHASES = 32;

  /** A count shown as ready/desired, e.g. 3/4. */
  public static final int COUNT_PAIR = 32;

  /** The longest key of a map: no key the operator writes comes near it. */
  public static final int MAP_KEY = 4096;

  /**
   * The rule that bounds a map's keys, which a schema cannot. {@code size} costs the same for any key, so it is
   * cheap for the API server however long the key is.
   */
  public static final String MAP_KEYS_RULE = "self.all(k, size(k) <= " + MAP_KEY + ")";

  public static final String MAP_KEYS_MESSAGE = "keys are at most " + MAP_KEY + " characters";

  private Bounds() {
  }
}
