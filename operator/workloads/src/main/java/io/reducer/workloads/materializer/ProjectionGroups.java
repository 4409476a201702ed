package io.reducer.workloads.materializer;

/**
 * The consumer group a projection's materializers read in when none is named ({@code spec.consumerGroup},
 * {@code --group}): one name whether the operator or a person runs the materializer or a reset.
 */
public final class ProjectionGroups {

  /** The default's form, for usage texts. */
  public static final String DEFAULT_FORM = "reducer.<namespace>.<projection>";

  private ProjectionGroups() {
  }

  /** The group a command was given ({@code --group}), else the projection's default. */
  public static String given(String group, String namespace, String projection) {
    return group.isEmpty() ? defaultGroup(namespace, projection) : group;
  }

  /** {@code reducer.<namespace>.<projection>}. */
  public static String defaultGroup(String namespace, String projection) {
    return "reducer." + namespace + "." + projection;
  }
}
