package io.reducer.workloads.repair;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.reducer.workloads.cli.CommandOptions;
import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.cli.SecretText;
import io.reducer.workloads.dlq.TerminationMessage;
import io.reducer.workloads.postgres.DatabaseOptions;

/**
 * Settings of {@code workloads repair}. Each comes from a flag or, when the flag is absent, from an environment
 * variable (the form a Kubernetes Job uses); user and password from {@code PGUSER} and {@code PGPASSWORD} only.
 *
 * @param key the one workflow key to repair; null for every key of the scope
 * @param dryRun count the rows a repair would write, write none
 * @param terminationLog where to write the result JSON; null for nowhere
 */
public record RepairConfig(String jdbcUrl, String dbUser, String dbPassword, String schema, String table,
    RepairScope scope, String key, int pageSize, boolean dryRun, Path terminationLog) {

  public RepairConfig {
    dbPassword = dbPassword == null ? "" : dbPassword;
  }

  public static String usage() {
    return RepairOptions.OPTIONS.usage() + "\nexit codes: 0 done (also when nothing was behind), 1 failed (the pages before the"
        + " failure stay\nwritten; run it again), 2 bad configuration or a table missing (the message says which)\n";
  }

  /** Parses the options; throws with a message that names the fix. */
  public static RepairConfig parse(List<String> args, Map<String, String> env) throws ConfigException {
    CommandOptions<ConfigException>.Values values = RepairOptions.OPTIONS.parse(args, env);
    String dbUser = DatabaseOptions.user(env);
    String jdbcUrl = DatabaseOptions.jdbcUrl(values, RepairOptions.JDBC_URL);
    String table = DatabaseOptions.projectionTable(values, RepairOptions.TABLE);
    String schema = DatabaseOptions.schema(values, RepairOptions.SCHEMA);
    String key = values.text("--key");
    String terminationLog = values.text("--termination-log");
    return new RepairConfig(jdbcUrl, dbUser, SecretText.withoutTrailingNewline(env.get("PGPASSWORD")), schema,
        table, RepairScope.parse(values.text("--scope")), key.isEmpty() ? null : key,
        values.integer("--page-size", 1, 100_000), values.bool("--dry-run"),
        TerminationMessage.path(terminationLog.isEmpty() ? null : terminationLog));
  }
}
