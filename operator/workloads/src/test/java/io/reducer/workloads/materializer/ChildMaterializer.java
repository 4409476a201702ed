package io.reducer.workloads.materializer;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.reducer.workloads.Main;

/**
 * {@code workloads materialize} in its own JVM on the test classpath, so a test can SIGKILL it like a crashed pod.
 * test-support's launcher is package-private, hence this small one. Output goes to a file the test can quote.
 */
final class ChildMaterializer implements AutoCloseable {

  private static final Pattern PORT = Pattern.compile("materializer http port: (\\d+)");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final Path output;

  ChildMaterializer(Path directory, String name, Map<String, String> env) throws IOException {
    output = directory.resolve(name + ".log");
    Path argFile = directory.resolve(name + ".args");
    // An @argfile: the test classpath can exceed the kernel's limit for one argument.
    Files.writeString(argFile, "-Xmx256m\n-XX:+UseSerialGC\n-XX:TieredStopAtLevel=1\n-cp\n\""
        + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + argFile,
        Main.class.getName(), "materialize"));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS").forEach(builder.environment()::remove);
    builder.environment().putAll(env);
    process = builder.start();
  }

  /** The HTTP port the child printed (it runs with port 0). */
  int httpPort() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Matcher matcher = PORT.matcher(log());
      if (matcher.find()) {
        return Integer.parseInt(matcher.group(1));
      }
      if (!process.isAlive()) {
        throw new AssertionError("materializer exited with " + process.exitValue() + ":\n" + log());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("materializer printed no HTTP port:\n" + log());
  }

  HttpResponse<String> get(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
        .timeout(Duration.ofSeconds(5)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** SIGKILL: no shutdown hook, no rollback, no Kafka commit; like a node failure. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, then the exit code. */
  int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("materializer ignored SIGTERM for " + timeout + ":\n" + log());
    }
    return process.exitValue();
  }

  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("materializer still runs after " + timeout);
    }
    return process.exitValue();
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
