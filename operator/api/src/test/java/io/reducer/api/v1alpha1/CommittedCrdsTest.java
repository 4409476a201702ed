package io.reducer.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fails the build when crds/ is not what the CRD generator produces from the current model. Run with
 * -Dcrds.update=true to rewrite crds/ instead.
 */
class CommittedCrdsTest {

  private static final Path GENERATED = Path.of(System.getProperty("crds.generated.dir"));
  private static final Path COMMITTED = Path.of(System.getProperty("crds.committed.dir"));

  @Test
  void committedCrdsMatchTheModel() throws IOException {
    boolean update = Boolean.getBoolean("crds.update");
    List<Path> generated = list(GENERATED);
    assertThat(generated).as("generated CRDs in %s", GENERATED).hasSize(Kinds.ALL.size());
    if (update) {
      Files.createDirectories(COMMITTED);
      for (Path stale : list(COMMITTED)) {
        Files.delete(stale);
      }
    }
    for (Path file : generated) {
      String expected = PublishedCrds.render(file);
      Path committed = COMMITTED.resolve(file.getFileName());
      if (update) {
        Files.writeString(committed, expected);
      }
      assertThat(committed).as("crds/%s is missing; run mvn -pl operator/api -am verify -Dcrds.update=true",
          file.getFileName()).exists();
      assertThat(Files.readString(committed))
          .as("crds/%s is out of date with the model; run mvn -pl operator/api -am verify -Dcrds.update=true",
              file.getFileName())
          .isEqualTo(expected);
    }
    assertThat(list(COMMITTED).stream().map(Path::getFileName).collect(Collectors.toList()))
        .as("crds/ holds exactly the generated CRDs")
        .containsExactlyElementsOf(generated.stream().map(Path::getFileName).collect(Collectors.toList()));
  }

  private static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith("-v1.yml")).sorted().collect(Collectors.toList());
    }
  }
}
