package io.reducer.workloads.dlq;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.reducer.workloads.Main;

/**
 * {@code workloads dlq replay} in its own JVM on the test classpath, so a test can SIGKILL it like a crashed pod.
 * Output goes to a file; the termination log to another.
 */
final class ChildReplay implements AutoCloseable {

  private final Process process;
  private final Path output;
  private final Path terminationLog;

  ChildReplay(Path directory, String name, List<String> args) throws IOException {
    output = directory.resolve(name + ".log");
    terminationLog = directory.resolve(name + ".termination.json");
    Path argFile = directory.resolve(name + ".args");
    // An @argfile: the test classpath can exceed the kernel's limit for one argument.
    Files.writeString(argFile, "-Xmx256m\n-XX:+UseSerialGC\n-cp\n\""
        + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + argFile,
        Main.class.getName(), "dlq", "replay", "--termination-log", terminationLog.toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS").forEach(builder.environment()::remove);
    process = builder.start();
  }

  /** SIGKILL: no shutdown hook, no abort, no commit; like a node failure. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, as Kubernetes stops a pod; then the exit code. */
  int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    return awaitExit(timeout);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("replay still runs after " + timeout + ":\n" + log());
    }
    return process.exitValue();
  }

  DlqReplayResult result() throws IOException {
    return DlqReplayResult.parse(Files.readString(terminationLog));
  }

  String log() {
    try {
      return Files.exists(output) ? Files.readString(output) : "";
    } catch (IOException e) {
      return "(unreadable log: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
