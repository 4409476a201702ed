package io.reducer.testsupport.internal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Launches a Java main class in a separate JVM, by default on the test JVM's own classpath, so the child can be
 * killed like a real server. Under Surefire/Failsafe the classpath is often a manifest-only booter jar; that works
 * for the child too because the JVM follows the manifest's Class-Path. Not part of the public test API.
 */
public final class ChildJvm {

  /** Variables that would inject agents or debug ports meant for the test JVM into every child. */
  private static final List<String> INHERITED_JVM_OPTION_VARIABLES =
      List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS");

  private final Path argFile;

  /** A child on the test JVM's classpath. */
  public ChildJvm(Path argFile, List<String> jvmOptions) {
    this(argFile, jvmOptions, System.getProperty("java.class.path"));
  }

  /** Writes the JVM options and the classpath to {@code argFile}, which every launch then reads. */
  public ChildJvm(Path argFile, List<String> jvmOptions, String classpath) {
    this.argFile = argFile;
    List<String> lines = new ArrayList<>(jvmOptions);
    lines.add("-cp");
    lines.add(classpath);
    // An @argfile, not the command line: an IDE classpath can exceed the kernel's 128 KiB limit per argument.
    String content = lines.stream().map(ChildJvm::quote).collect(Collectors.joining("\n", "", "\n"));
    try {
      Files.writeString(argFile, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Process launch(String mainClass, List<String> args, Path outputFile) throws IOException {
    return builder(List.of(), mainClass, args, outputFile).start();
  }

  /**
   * A process builder for {@code mainClass}, with {@code extraJvmOptions} after the argfile's, stdout and stderr
   * appended to {@code outputFile}, no stdin, and the test JVM's environment minus its JVM option variables. The
   * caller may change the environment and the working directory before starting it.
   */
  public ProcessBuilder builder(List<String> extraJvmOptions, String mainClass, List<String> args,
      Path outputFile) {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.add("@" + argFile);
    command.addAll(extraJvmOptions);
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    INHERITED_JVM_OPTION_VARIABLES.forEach(builder.environment()::remove);
    return builder;
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Quotes one argument for an @argfile, where backslash escapes inside quotes. */
  private static String quote(String argument) {
    return '"' + argument.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
