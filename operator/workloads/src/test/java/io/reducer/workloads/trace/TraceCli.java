package io.reducer.workloads.trace;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.reducer.workloads.CliRun;

/** {@code workloads trace ...} run in the test JVM through Main, with its output and termination log captured. */
record TraceCli(int exitCode, String out, String err, String terminationLog) {

  static TraceCli run(Path directory, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(TraceOptions.COMMAND));
    command.addAll(List.of(args));
    CliRun run = CliRun.run(directory, env, command);
    return new TraceCli(run.exitCode(), run.out(), run.err(), run.terminationLog());
  }

  /** The one JSON document of {@code -o json}. */
  TraceResult result() {
    return TraceResult.parse(out);
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err + "--- termination log\n" + terminationLog;
  }
}
