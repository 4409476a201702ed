package io.reducer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A committed file that must equal what the build derives from its sources. With {@code -Dinstall.update=true} the
 * file is rewritten instead (scripts/update-install.sh).
 */
final class Committed {

  static final String UPDATE_COMMAND = "scripts/update-install.sh";

  private Committed() {
  }

  static boolean updating() {
    return Boolean.getBoolean("install.update");
  }

  /** Rewrites {@code file} when updating; then asserts it holds exactly {@code expected}. */
  static void assertCurrent(Path file, String expected) {
    try {
      if (updating()) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, expected);
      }
      assertThat(file).as("%s is missing; run %s", file, UPDATE_COMMAND).exists();
      assertThat(Files.readString(file)).as("%s is out of date; run %s", file, UPDATE_COMMAND).isEqualTo(expected);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
