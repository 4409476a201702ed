package io.reducer.testsupport.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import com.sun.security.auth.module.UnixSystem;

import io.reducer.testsupport.internal.TempDirs;

/**
 * The root fallback of {@link PostgresServer}: where user namespaces are unavailable (simulated by a PATH without
 * {@code unshare}, which is how zonky detects them), PostgreSQL must still start, as {@code nobody}.
 */
@EnabledIf("runsAsRoot")
class PostgresServerWithoutUserNamespacesIT {

  static boolean runsAsRoot() {
    return new UnixSystem().getUid() == 0;
  }

  @Test
  void startsPostgresAsNobody() throws Exception {
    // Not @TempDir: JUnit warns about every symlink it deletes.
    Path tmp = TempDirs.create("no-userns-");
    try {
      runProbe(tmp);
    } finally {
      TempDirs.deleteQuietly(tmp);
    }
  }

  private static void runProbe(Path tmp) throws Exception {
    Path bin = pathWithoutUnshare(tmp.resolve("bin"));
    Path output = tmp.resolve("probe.log");
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        NoUserNamespaceProbe.class.getName())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    builder.environment().put("PATH", bin.toString());
    Process probe = builder.start();

    boolean exited = probe.waitFor(120, TimeUnit.SECONDS);
    if (!exited) {
      probe.destroyForcibly();
    }
    String log = Files.readString(output);
    assertThat(exited).as("probe finished; output:%n%s", log).isTrue();
    assertThat(probe.exitValue()).as("probe exit code; output:%n%s", log).isZero();
    assertThat(log).contains("value=kept").contains("postmaster users=[nobody]");
  }

  /** A directory linking every command on this PATH except unshare. */
  private static Path pathWithoutUnshare(Path bin) throws IOException {
    Files.createDirectories(bin);
    for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
      Path source = Path.of(dir);
      if (!Files.isDirectory(source)) {
        continue;
      }
      try (Stream<Path> commands = Files.list(source)) {
        for (Path command : (Iterable<Path>) commands::iterator) {
          Path link = bin.resolve(command.getFileName());
          boolean taken = Files.exists(link, LinkOption.NOFOLLOW_LINKS);
          if (!taken && !command.getFileName().toString().equals("unshare")) {
            Files.createSymbolicLink(link, command);
          }
        }
      }
    }
    return bin;
  }
}
