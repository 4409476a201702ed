package io.reducer.workloads.repair;

import java.util.List;

import io.reducer.workloads.cli.CommandOptions.Option;
import io.reducer.workloads.cli.CommandOptions;
import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.dlq.TerminationMessage;

/**
 * The command line of {@code workloads repair}: every flag, its environment variable and default. The operator
 * builds the repair Job (and the kubectl plugin its command) from these same options.
 */
public final class RepairOptions {

  public static final Option JDBC_URL = new Option("--jdbc-url", "REPAIR_JDBC_URL", null,
      "PostgreSQL JDBC URL (user: PGUSER, password: PGPASSWORD, environment only)");
  public static final Option TABLE = new Option("--table", "REPAIR_TABLE", "workflow_projection",
      "the projection table to repair");
  public static final Option SCHEMA = new Option("--schema", "REPAIR_SCHEMA", "public",
      "schema of the projection table and of workflow_state");
  public static final Option SCOPE = new Option("--scope", "REPAIR_SCOPE", "stale",
      "stale: rows behind workflow_state or missing; all: also rows at the same version");
  public static final Option KEY = new Option("--key", "REPAIR_KEY", "", "repair only this workflow key");
  public static final Option PAGE_SIZE = new Option("--page-size", "REPAIR_PAGE_SIZE", "1000",
      "canonical rows read and written per transaction");
  public static final Option DRY_RUN = new Option("--dry-run", "REPAIR_DRY_RUN", "false",
      "true: count the rows a repair would write, write none");
  public static final Option TERMINATION_LOG = TerminationMessage.LOG_OPTION;

  static final CommandOptions<ConfigException> OPTIONS = new CommandOptions<>(
      "usage: workloads repair [options]\n\n"
          + "Bring a projection table up to the canonical store (workflow_state, written by the reducer) in the same\n"
          + "schema, in pages of one short transaction each, while its materializers keep running: a row is written\n"
          + "only when the canonical version is newer (scope stale) or not older (scope all), so neither the repair\n"
          + "nor a materializer can move a row back. Watermarks and consumer offsets are not touched.",
      List.of(JDBC_URL, TABLE, SCHEMA, SCOPE, KEY, PAGE_SIZE, DRY_RUN, TERMINATION_LOG),
      ConfigException::new);

  private RepairOptions() {
  }

  /** Every option the command accepts. */
  public static List<Option> all() {
    return OPTIONS.options();
  }
}
