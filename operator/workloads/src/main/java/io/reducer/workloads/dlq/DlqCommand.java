package io.reducer.workloads.dlq;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.reducer.workloads.ExitCodes;

/** {@code workloads dlq <inspect|replay>}: dispatches to the subcommand. */
public final class DlqCommand {

  private static final String USAGE = String.join("\n",
      "usage: workloads dlq <subcommand> [options]",
      "",
      "subcommands:",
      "  inspect   count what a replay would select from a dead-letter topic (by error type, topic, partition)",
      "  replay    republish the selected records exactly once, resuming where a previous run stopped",
      "",
      "Run 'workloads dlq <subcommand> --help' for the options.");

  private DlqCommand() {
  }

  public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
      out.println(USAGE);
      return args.isEmpty() ? ExitCodes.BAD_CONFIGURATION : ExitCodes.OK;
    }
    String subcommand = args.get(0);
    List<String> rest = args.subList(1, args.size());
    if (!subcommand.equals("inspect") && !subcommand.equals("replay")) {
      err.println("unknown dlq subcommand: " + subcommand);
      err.println(USAGE);
      return ExitCodes.BAD_CONFIGURATION;
    }
    if (rest.contains("--help") || rest.contains("-h")) {
      out.print(DlqOptions.usage(subcommand));
      return ExitCodes.OK;
    }
    return subcommand.equals("inspect") ? InspectCommand.run(rest, env, out, err)
        : ReplayCommand.run(rest, env, out, err);
  }

  /**
   * The termination log when the flags could not be parsed: whatever --termination-log or TERMINATION_LOG says,
   * else the Kubernetes default, so a Job that fails on its flags still says why in its status.
   */
  static Path terminationLogFromEnv(List<String> args, Map<String, String> env) {
    return TerminationMessage.path(args, env);
  }

  static void writeQuietly(Path path, String json, PrintStream err) {
    TerminationMessage.writeQuietly(path, json, err);
  }
}
