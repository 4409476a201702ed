package io.reducer.workloads.offsets;

import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.reducer.workloads.ExitCodes;

/** {@code workloads offsets <subcommand>}: {@code reset} and {@code shadow}. */
public final class OffsetsCommand {

  private static final String USAGE = String.join("\n",
      "usage: workloads offsets <subcommand> [options]",
      "",
      "subcommands:",
      "  reset   move a projection's watermarks and its consumer group's offsets together and bump the epoch",
      "  shadow  create|cutover|discard|drop-previous: the database steps of a zero-downtime rebuild",
      "",
      "Run 'workloads offsets <subcommand> --help' for its options.");

  private OffsetsCommand() {
  }

  public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    return run(args, env, out, err, Clock.systemUTC());
  }

  /** With the clock by-duration counts back from; tests pass a fixed one. */
  public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err, Clock clock) {
    if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
      out.println(USAGE);
      return args.isEmpty() ? ExitCodes.BAD_CONFIGURATION : ExitCodes.OK;
    }
    if (args.get(0).equals("reset")) {
      return OffsetsResetCommand.run(args.subList(1, args.size()), env, out, err, clock);
    }
    if (args.get(0).equals("shadow")) {
      return ShadowCommand.run(args.subList(1, args.size()), env, out, err);
    }
    err.println("unknown subcommand: offsets " + args.get(0));
    err.println(USAGE);
    return ExitCodes.BAD_CONFIGURATION;
  }
}
