package io.reducer.workloads.dlq;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.reducer.workloads.Main;

/** {@code workloads dlq ...} run in the test JVM through Main, with its output and termination log captured. */
record DlqCli(int exitCode, String out, String err, String terminationLog) {

  static DlqCli run(Path directory, Map<String, String> env, String... args) throws Exception {
    Path log = Files.createTempFile(directory, "termination-", ".json");
    List<String> command = new ArrayList<>(List.of("dlq"));
    command.addAll(List.of(args));
    command.add("--termination-log");
    command.add(log.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(command, env, outStream, errStream);
    }
    return new DlqCli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
        Files.readString(log));
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
