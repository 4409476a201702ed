package io.reducer.workloads.dlq;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.reducer.workloads.CliRun;

/** {@code workloads dlq ...} run in the test JVM through Main, with its output and termination log captured. */
record DlqCli(int exitCode, String out, String err, String terminationLog) {

  static DlqCli run(Path directory, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("dlq"));
    command.addAll(List.of(args));
    CliRun run = CliRun.run(directory, env, command);
    return new DlqCli(run.exitCode(), run.out(), run.err(), run.terminationLog());
  }

  DlqReplayResult replayResult() {
    return DlqReplayResult.parse(terminationLog);
  }

  DlqInspectResult inspectResult() {
    return DlqInspectResult.parse(terminationLog);
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err + "--- termination log\n" + terminationLog;
  }
}
