package io.reducer.workloads.repair;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.dlq.TerminationMessage;
import io.reducer.workloads.postgres.Database;
import io.reducer.workloads.repair.RepairResult.Outcome;

/**
 * {@code workloads repair}: parse the configuration, check both tables exist, repair page by page, print a summary
 * and the result JSON, and write the JSON to the termination log whatever the outcome.
 */
public final class RepairCommand {

  public static final String COMMAND = "repair";

  private RepairCommand() {
  }

  public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.contains("--help") || args.contains("-h")) {
      out.print(RepairConfig.usage());
      return ExitCodes.OK;
    }
    RepairConfig config;
    try {
      config = RepairConfig.parse(args, env);
    } catch (ConfigException e) {
      return finish(ExitCodes.BAD_CONFIGURATION, new RepairResult(Outcome.Refused, null, null, null, null, null,
          null, null, "configuration error: " + e.getMessage()), TerminationMessage.path(args, env), out, err);
    }
    String table = config.schema() + "." + config.table();
    try (Database database = new Database(config.jdbcUrl(), config.dbUser(), config.dbPassword(), "reducer-repair")) {
      Connection connection = database.connection();
      String missing = CanonicalRepair.missingTable(connection, config.schema(), config.table());
      if (missing != null) {
        return finish(ExitCodes.BAD_CONFIGURATION, result(config, Outcome.Refused, null, "no table "
            + config.schema() + "." + missing + ": the repair reads workflow_state (the reducer's canonical store)"
            + " and writes the projection table, both in schema " + config.schema()
            + "; fix --schema or --table, nothing was written"), config.terminationLog(), out, err);
      }
      CanonicalRepair.Outcome done = new CanonicalRepair(config.schema(), config.table(), config.scope(),
          config.key(), config.pageSize(), config.dryRun()).run(connection);
      String message = (config.dryRun() ? "dry run, nothing written: would write " : "wrote ") + done.written()
          + " of " + done.examined() + " canonical row(s) "
          + (config.scope() == RepairScope.STALE ? "behind in " : "into ") + table + " in " + done.pages()
          + " page(s)" + (done.examined() == done.written() ? "" : "; the others were as new already, or newer");
      return finish(ExitCodes.OK, result(config, Outcome.Completed, done, message), config.terminationLog(), out, err);
    } catch (SQLException | RuntimeException e) {
      return finish(ExitCodes.FAILURE, result(config, Outcome.Failed, null, "failed: " + e.getMessage()
          + (config.dryRun() ? "; a dry run writes nothing, run it again"
              : "; the pages before the failure stay written (each is its own transaction), run it again")),
          config.terminationLog(), out, err);
    }
  }

  private static RepairResult result(RepairConfig config, Outcome outcome, CanonicalRepair.Outcome done,
      String message) {
    return new RepairResult(outcome, config.schema() + "." + config.table(), config.scope().word(), config.key(),
        done == null ? null : done.examined(), done == null ? null : done.written(),
        done == null ? null : done.pages(), config.dryRun() ? Boolean.TRUE : null, message);
  }

  private static int finish(int exitCode, RepairResult result, Path terminationLog, PrintStream out,
      PrintStream err) {
    return TerminationMessage.report(exitCode, "repair: " + result.result() + ": " + result.message(),
        result.result() != Outcome.Completed, result.toJson(), terminationLog, out, err);
  }
}
