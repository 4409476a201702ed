package io.reducer.workloads.offsets;

import java.util.List;

import io.reducer.workloads.cli.CommandOptions.Option;
import io.reducer.workloads.cli.CommandOptions;
import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.dlq.TerminationMessage;
import io.reducer.workloads.materializer.Namespaces;
import io.reducer.workloads.materializer.ShadowNames;

/**
 * The command line of {@code workloads offsets shadow <action>}: every flag, its environment variable and default.
 * The operator builds the shadow rebuild's Jobs from these same options.
 */
public final class ShadowOptions {

  public static final Option JDBC_URL = new Option("--jdbc-url", "SHADOW_JDBC_URL", null,
      "PostgreSQL JDBC URL (user: PGUSER, password: PGPASSWORD, environment only)");
  public static final Option TABLE = new Option("--table", "SHADOW_TABLE", "workflow_projection",
      "the live projection table");
  public static final Option SCHEMA = new Option("--schema", "SHADOW_SCHEMA", "public",
      "schema of the projection and watermark tables");
  public static final Option PROJECTION = new Option("--projection", "SHADOW_PROJECTION", "",
      "the live projection's name in projection_watermarks (default: the table)");
  public static final Option NAMESPACE = new Option("--namespace", "SHADOW_NAMESPACE", Namespaces.DEFAULT,
      "Kubernetes namespace of the projection");
  public static final Option REBUILD_ID = new Option("--rebuild-id", "SHADOW_REBUILD_ID", null,
      "short id every shadow name derives from (" + ShadowNames.REBUILD_ID_PATTERN_TEXT + ")");
  public static final Option KEEP_PREVIOUS = new Option("--keep-previous", "SHADOW_KEEP_PREVIOUS", "false",
      "cutover: keep the old live table as <table>_prev_<id> instead of dropping it");
  public static final Option LOCK_TIMEOUT_MS = new Option("--lock-timeout-ms", "SHADOW_LOCK_TIMEOUT_MS", "1000",
      "cutover: longest wait for the table locks; readers queue behind it for at most this long");
  public static final Option TERMINATION_LOG = TerminationMessage.LOG_OPTION;

  static final CommandOptions<ConfigException> OPTIONS = new CommandOptions<>(
      "usage: workloads offsets shadow create|cutover|discard|drop-previous [options]\n\n"
          + "Database steps of a zero-downtime rebuild. create: a shadow table with the live table's definition,\n"
          + "for a materializer run with the printed table, projection and group. cutover: swap the shadow and its\n"
          + "watermarks in for the live ones in one transaction, once the shadow is at or past the live watermarks.\n"
          + "discard: drop the shadow and its watermarks. drop-previous: drop the table a cutover kept.",
      List.of(JDBC_URL, TABLE, SCHEMA, PROJECTION, NAMESPACE, REBUILD_ID, KEEP_PREVIOUS, LOCK_TIMEOUT_MS,
          TERMINATION_LOG),
      ConfigException::new);

  private ShadowOptions() {
  }

  /** Every option the command accepts. */
  public static List<Option> all() {
    return OPTIONS.options();
  }
}
