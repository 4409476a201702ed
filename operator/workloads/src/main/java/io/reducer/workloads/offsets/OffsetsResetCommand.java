package io.reducer.workloads.offsets;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.cli.ConfigException;

/**
 * {@code workloads offsets reset}: parse the configuration, run the reset, print the plan and a summary, and write
 * the result JSON to the termination log, whatever the outcome, so the operator always learns what happened.
 */
public final class OffsetsResetCommand {

  private OffsetsResetCommand() {
  }

  public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    return run(args, env, out, err, Clock.systemUTC());
  }

  /** With the clock by-duration counts back from; tests pass a fixed one. */
  public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err, Clock clock) {
    if (args.contains("--help") || args.contains("-h")) {
      out.print(ResetConfig.usage());
      return ExitCodes.OK;
    }
    ResetConfig config;
    try {
      config = ResetConfig.parse(args, env);
    } catch (ConfigException e) {
      return finish(new ResetReport(ExitCodes.BAD_CONFIGURATION,
          ResetResult.failed("configuration error: " + e.getMessage())), ResetConfig.terminationLog(args, env), out, err);
    }
    ResetReport report;
    try {
      report = new OffsetsReset(config, clock, out).run();
    } catch (ConfigException e) {
      report = new ResetReport(ExitCodes.BAD_CONFIGURATION, ResetResult.failed("configuration error: " + e.getMessage()));
    } catch (ResetPlanException e) {
      report = new ResetReport(ExitCodes.BAD_CONFIGURATION, ResetResult.failed("cannot plan: " + e.getMessage()));
    } catch (RuntimeException e) {
      report = new ResetReport(ExitCodes.FAILURE, ResetResult.failed("unexpected failure: " + e));
      e.printStackTrace(err);
    }
    return finish(report, config.terminationLog(), out, err);
  }

  private static int finish(ResetReport report, Path terminationLog, PrintStream out, PrintStream err) {
    ResetResult result = report.result();
    (result.result() == ResetOutcome.Failed ? err : out).println("offsets reset: " + result.result() + ": "
        + result.message());
    String json = result.toJson();
    out.println("result: " + json);
    if (terminationLog != null) {
      try {
        Files.writeString(terminationLog, json, StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println("offsets reset: cannot write the result to " + terminationLog + ": " + e);
      }
    }
    out.flush();
    err.flush();
    return report.exitCode();
  }
}
