package io.reducer.workloads;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A workloads command run in the test JVM through Main, with its output and termination log captured. */
public record CliRun(int exitCode, String out, String err, String terminationLog) {

  /** Runs {@code command} (its words and options) with {@code --termination-log} set to a new file of the directory. */
  public static CliRun run(Path directory, Map<String, String> env, List<String> command) throws Exception {
    Path log = Files.createTempFile(directory, "termination-", ".json");
    List<String> args = new ArrayList<>(command);
    args.add("--termination-log");
    args.add(log.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(args, env, outStream, errStream);
    }
    return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
        Files.readString(log));
  }
}
