package io.reducer.workloads.offsets;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.dlq.TerminationMessage;
import io.reducer.workloads.materializer.ShadowCutover;
import io.reducer.workloads.materializer.ShadowRebuild;
import io.reducer.workloads.materializer.ShadowRefusedException;
import io.reducer.workloads.materializer.ShadowTables;
import io.reducer.workloads.offsets.ShadowResult.Outcome;
import io.reducer.workloads.postgres.Database;

/**
 * {@code workloads offsets shadow create|cutover|discard|drop-previous}: parse the configuration, run one step, print a
 * summary and the result JSON, and write the JSON to the termination log whatever the outcome, so the operator always
 * learns what happened. Every step may be run again: a Job retried after a crash finds its work done.
 */
public final class ShadowCommand {

  private ShadowCommand() {
  }

  public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.contains("--help") || args.contains("-h")) {
      out.print(ShadowConfig.usage());
      return ExitCodes.OK;
    }
    ShadowConfig config;
    try {
      config = ShadowConfig.parse(args, env);
    } catch (ConfigException e) {
      return finish(ExitCodes.BAD_CONFIGURATION, ShadowResult.of(null, Outcome.Failed,
          "configuration error: " + e.getMessage()), TerminationMessage.path(args, env), out, err);
    }
    int exitCode;
    ShadowResult result;
    try (Database database = new Database(config.jdbcUrl(), config.dbUser(), config.dbPassword(),
        "reducer-offsets-shadow")) {
      result = step(config, database.connection());
      exitCode = ExitCodes.OK;
    } catch (ShadowRefusedException e) {
      result = ShadowResult.of(config.action(), Outcome.Refused, e.getMessage());
      exitCode = e.retryable() ? ExitCodes.NOT_READY : ExitCodes.BAD_CONFIGURATION;
    } catch (SQLException | RuntimeException e) {
      result = ShadowResult.of(config.action(), Outcome.Failed, "failed, nothing was changed (each step is one "
          + "transaction); run it again: " + e);
      exitCode = ExitCodes.FAILURE;
      e.printStackTrace(err);
    }
    return finish(exitCode, result, config.terminationLog(), out, err);
  }

  private static ShadowResult step(ShadowConfig config, Connection connection)
      throws SQLException, ShadowRefusedException {
    ShadowRebuild rebuild = config.rebuild();
    String action = config.action().word();
    return switch (config.action()) {
      case CREATE -> {
        ShadowTables.Created created = ShadowTables.create(connection, rebuild);
        yield new ShadowResult(action, created.created() ? Outcome.Completed : Outcome.Unchanged,
            created.shadowTable(), created.shadowProjection(), created.shadowGroup(), null, null, null, null,
            created.notCarried(), (created.created() ? "created " : "found ") + rebuild.qualifiedShadowName()
            + "; run a materializer with --table " + created.shadowTable() + " --projection '"
            + created.shadowProjection() + "' --group " + created.shadowGroup()
            + (created.notCarried().isEmpty() ? "" : "; not carried over: " + String.join(", ", created.notCarried())));
      }
      case CUTOVER -> {
        ShadowCutover.Result cut = ShadowCutover.cutover(connection, rebuild, config.keepPrevious(),
            config.lockTimeout());
        yield new ShadowResult(action, cut.done() ? Outcome.Completed : Outcome.Unchanged, rebuild.shadowTable(),
            rebuild.shadowProjection(), null, cut.previousTable(), cut.newEpoch(), cut.partitions(),
            cut.done() ? cut.lockHeld().toMillis() : null, null, cut.done()
                ? "swapped " + rebuild.qualifiedShadowName() + " in for " + rebuild.schema() + "." + rebuild.table()
                    + " with " + cut.partitions() + " watermark(s) at epoch " + cut.newEpoch() + "; readers waited at "
                    + "most " + cut.lockHeld().toMillis() + " ms" + (cut.previousTable() == null ? ""
                    : "; the old table is kept as " + rebuild.schema() + "." + cut.previousTable())
                : "nothing to cut over: no shadow table and no shadow watermarks (an earlier run cut over, or the "
                    + "rebuild was discarded); the live projection is at epoch " + cut.newEpoch()
                    + (cut.previousTable() == null ? "" : " and " + rebuild.schema() + "." + cut.previousTable()
                        + " is kept"));
      }
      case DISCARD -> {
        boolean dropped = ShadowTables.discard(connection, rebuild);
        yield new ShadowResult(action, dropped ? Outcome.Completed : Outcome.Unchanged, rebuild.shadowTable(),
            rebuild.shadowProjection(), null, null, null, null, null, null, dropped
                ? "dropped " + rebuild.qualifiedShadowName() + " and its watermarks; the live projection is as it was"
                : "nothing to discard");
      }
      case DROP_PREVIOUS -> {
        boolean dropped = ShadowTables.dropPrevious(connection, rebuild);
        yield new ShadowResult(action, dropped ? Outcome.Completed : Outcome.Unchanged, null, null, null,
            rebuild.previousTable(), null, null, null, null,
            (dropped ? "dropped " : "nothing to drop: no ") + rebuild.schema() + "." + rebuild.previousTable());
      }
    };
  }

  private static int finish(int exitCode, ShadowResult result, Path terminationLog, PrintStream out,
      PrintStream err) {
    String action = result.action() == null ? "" : " " + result.action();
    return TerminationMessage.report(exitCode, "offsets shadow" + action + ": " + result.result() + ": "
        + result.message(), result.result() == Outcome.Failed || result.result() == Outcome.Refused, result.toJson(),
        terminationLog, out, err);
  }
}
