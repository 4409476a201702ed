package io.reducer.workloads;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A workloads command in its own JVM on the test classpath, so a test can SIGKILL it like a crashed pod and run
 * several against each other. Started with HTTP port 0, the port it prints is how a test knows it passed its
 * start-up checks. Output goes to a file the test can quote. test-support's launcher is package-private, hence
 * this small one.
 */
public class ChildWorkload implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Pattern portLine;
  private final Process process;
  private final Path output;
  private int port = -1;

  /**
   * @param command the workloads command, e.g. {@code reduce}
   * @param portLine the line the command prints with its HTTP port in group 1
   */
  protected ChildWorkload(Path directory, String name, String command, Pattern portLine, Map<String, String> env)
      throws IOException {
    this.name = name;
    this.portLine = portLine;
    output = directory.resolve(name + ".log");
    Path argFile = directory.resolve(name + ".args");
    // An @argfile: the test classpath can exceed the kernel's limit for one argument.
    Files.writeString(argFile, "-Xmx256m\n-XX:+UseSerialGC\n-XX:TieredStopAtLevel=1\n-cp\n\""
        + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
    List<String> arguments = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + argFile, Main.class.getName(), command);
    ProcessBuilder builder = new ProcessBuilder(arguments)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS").forEach(builder.environment()::remove);
    builder.environment().putAll(env);
    process = builder.start();
  }

  /** The HTTP port the child printed once its checks passed; fails with its log otherwise. */
  public int httpPort() throws InterruptedException {
    if (port >= 0) {
      return port;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Matcher matcher = portLine.matcher(log());
      if (matcher.find()) {
        port = Integer.parseInt(matcher.group(1));
        return port;
      }
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + log());
      }
      Thread.sleep(50);
    }
    throw new AssertionError(name + " printed no HTTP port within 60 s:\n" + log());
  }

  public HttpResponse<String> get(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
        .timeout(Duration.ofSeconds(5)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no rollback, no Kafka commit; like a node failure. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " survived SIGKILL for 30 s");
    }
  }

  /** SIGSTOP: the process freezes where it is, sockets and database transaction open, like a stalled pod. */
  public void suspend() throws Exception {
    signal("-STOP");
  }

  /** SIGCONT after {@link #suspend()}: the process carries on from where it froze. */
  public void resume() throws Exception {
    signal("-CONT");
  }

  private void signal(String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).redirectErrorStream(true).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill " + signal + " " + process.pid() + " failed: "
          + new String(kill.getInputStream().readAllBytes()));
    }
  }

  /** SIGTERM, then the exit code. */
  public int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " ignored SIGTERM for " + timeout + ":\n" + log());
    }
    return process.exitValue();
  }

  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " still runs after " + timeout);
    }
    return process.exitValue();
  }

  public String log() {
    try {
      return Files.exists(output) ? Files.readString(output) : "";
    } catch (IOException e) {
      return "(unreadable log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }
}
