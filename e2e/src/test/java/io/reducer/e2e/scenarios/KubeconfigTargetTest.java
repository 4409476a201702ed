package io.reducer.e2e.scenarios;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigTargetTest {

  @TempDir
  Path directory;

  @Test
  void aSettingsFileWithoutAnAddressNamesTheMissingKeyAndWhereToReadAboutIt() throws Exception {
    Path settings = directory.resolve("target.properties");
    Files.writeString(settings, "kafka.bootstrapServers=localhost:9092\npostgres.host=localhost\n");

    assertThatThrownBy(() -> KubeconfigTarget.load(settings, "e2e"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not set postgres.port")
        .hasMessageContaining("docs/e2e.md");
  }

  @Test
  void aMissingSettingsFileIsReportedWithItsPath() {
    Path settings = directory.resolve("absent.properties");

    assertThatThrownBy(() -> ScenarioCluster.startTarget(settings.toString()))
        .hasMessageContaining("absent.properties");
  }
}
