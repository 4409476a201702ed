package io.reducer.testsupport.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A small shell process that outlives the test JVM only to clean up after it: when the JVM is gone without having
 * run its shutdown hooks (SIGKILL, e.g. a fork timeout), it stops the postmaster immediately and deletes the
 * server's directory, so a crashed run leaves no PostgreSQL behind.
 */
final class OrphanGuard {

  private static final String SCRIPT = String.join("\n",
      "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done",
      "pid=$(head -n 1 \"$2/postmaster.pid\" 2>/dev/null) && kill -QUIT \"$pid\" 2>/dev/null && sleep 1",
      "rm -rf \"$3\"");

  private final Process process;

  private OrphanGuard(Process process) {
    this.process = process;
  }

  static OrphanGuard watch(Path serverDirectory, Path dataDirectory) {
    ProcessBuilder builder = new ProcessBuilder("sh", "-c", SCRIPT, "postgres-orphan-guard",
        Long.toString(ProcessHandle.current().pid()), dataDirectory.toString(), serverDirectory.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    try {
      return new OrphanGuard(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the PostgreSQL orphan guard", e);
    }
  }

  /** Called once the server was cleaned up normally. */
  void dismiss() {
    process.destroyForcibly();
  }
}
