package io.reducer.workloads.trace;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.reducer.workloads.Main;

/** {@code workloads trace ...} run in the test JVM through Main, with its output and termination log captured. */
record TraceCli(int exitCode, String out, String err, String terminationLog) {

  static TraceCli run(Path directory, Map<String, String> env, String... args) throws Exception {
    Path log = Files.createTempFile(directory, "termination-", ".json");
    List<String> command = new ArrayList<>(List.of(TraceOptions.COMMAND));
    command.addAll(List.of(args));
    command.add(TraceOptions.TERMINATION_LOG_FLAG);
    command.add(log.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(command, env, outStream, errStream);
    }
    return new TraceCli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
        Files.readString(log));
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
