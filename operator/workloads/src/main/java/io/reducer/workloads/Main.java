package io.reducer.workloads;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.reducer.workloads.dlq.DlqCommand;
import io.reducer.workloads.materializer.MaterializeCommand;
import io.reducer.workloads.offsets.OffsetsCommand;
import io.reducer.workloads.reducer.ReduceCommand;
import io.reducer.workloads.repair.RepairCommand;
import io.reducer.workloads.trace.TraceCommand;
import io.reducer.workloads.trace.TraceOptions;

/** Entry point of the workloads image: dispatches the first argument to a command. */
public final class Main {

  private static final String USAGE = String.join("\n",
      "usage: workloads <command> [options]",
      "",
      "commands:",
      "  reduce        fold actions into workflow_state exactly once and publish state-committed through an outbox",
      "  materialize   apply a state-committed topic to a PostgreSQL projection table, exactly once",
      "  offsets reset move a projection's watermarks and group offsets together and bump its epoch",
      "  offsets shadow create, cut over or discard a shadow table: a rebuild readers do not notice",
      "  dlq           inspect a dead-letter topic, or replay its records exactly once (dlq inspect|replay)",
      "  trace         find every record and row carrying a correlation id in a time window: timeline and verdict",
      "  repair        bring projection rows up to workflow_state (stale rows, one key or all), never moving one back",
      "",
      "Run 'workloads <command> --help' for the options of a command.");

  private Main() {
  }

  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), System.getenv(), System.out, System.err));
  }

  /** Runs a command and returns its exit code; separate from {@link #main} so tests need not exit the JVM. */
  public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
      out.println(USAGE);
      return args.isEmpty() ? ExitCodes.BAD_CONFIGURATION : ExitCodes.OK;
    }
    String command = args.get(0);
    List<String> rest = args.subList(1, args.size());
    if (command.equals("reduce")) {
      return ReduceCommand.run(rest, env, out, err);
    }
    if (command.equals("materialize")) {
      return MaterializeCommand.run(rest, env, out, err);
    }
    if (command.equals("offsets")) {
      return OffsetsCommand.run(rest, env, out, err);
    }
    if (command.equals("dlq")) {
      return DlqCommand.run(rest, env, out, err);
    }
    if (command.equals(RepairCommand.COMMAND)) {
      return RepairCommand.run(rest, env, out, err);
    }
    if (command.equals(TraceOptions.COMMAND)) {
      return TraceCommand.run(rest, env, out, err);
    }
    err.println("unknown command: " + command);
    err.println(USAGE);
    return ExitCodes.BAD_CONFIGURATION;
  }
}
