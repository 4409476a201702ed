package io.reducer.workloads.reducer;

/**
 * The default consumer group of a pipeline's reducers, the same whether the operator or a person runs
 * {@code workloads reduce}: a reset of the reducers then finds the group the reducers used.
 */
public final class ReducerGroups {

  /** The default's form, for usage texts. */
  public static final String DEFAULT_FORM = "reducer.<namespace>.pipeline.<pipeline>";

  private ReducerGroups() {
  }

  /** The group a command was given ({@code --group}), else the pipeline's default. */
  public static String given(String group, String namespace, String pipeline) {
    return group.isEmpty() ? defaultGroup(namespace, pipeline) : group;
  }

  /**
   * {@code reducer.<namespace>.pipeline.<pipeline>}: the namespace keeps two pipelines of the same name apart on a
   * shared broker; the "pipeline" part keeps it apart from projections' default groups
   * ({@code reducer.<namespace>.<projection>}).
   */
  public static String defaultGroup(String namespace, String pipeline) {
    return "reducer." + namespace + ".pipeline." + pipeline;
  }
}
