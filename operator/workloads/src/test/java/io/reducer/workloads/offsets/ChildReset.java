package io.reducer.workloads.offsets;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.reducer.workloads.Main;

/**
 * {@code workloads offsets reset} in its own JVM on the test classpath, configured like a Kubernetes Job: the
 * environment, the arguments, and TERMINATION_LOG for the termination message. Tells what the process exit code
 * and the message are, after a real {@code System.exit}.
 */
final class ChildReset {

  private ChildReset() {
  }

  static ResetCli.Run run(Path directory, String name, Map<String, String> env, String... args) throws Exception {
    Path output = directory.resolve(name + ".log");
    Path terminationLog = directory.resolve(name + ".termination-log");
    Path argFile = directory.resolve(name + ".args");
    // An @argfile: the test classpath can exceed the kernel's limit for one argument.
    Files.writeString(argFile, "-Xmx256m\n-XX:+UseSerialGC\n-XX:TieredStopAtLevel=1\n-cp\n\""
        + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + argFile, Main.class.getName(), "offsets", "reset"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().clear();
    builder.environment().putAll(env);
    builder.environment().put("TERMINATION_LOG", terminationLog.toString());
    Process process = builder.start();
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        throw new AssertionError("offsets reset still runs after 120 s:\n" + Files.readString(output));
      }
    } finally {
      process.destroyForcibly();
    }
    ResetResult result = Files.exists(terminationLog) ? ResetResult.parse(Files.readString(terminationLog)) : null;
    return new ResetCli.Run(process.exitValue(), Files.readString(output), "", result);
  }
}
