package io.reducer.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Finds the repository's committed artefacts (crds/, manifests/) from any module's working directory. */
public final class ProjectLayout {

  private ProjectLayout() {
  }

  /** The repository root: the nearest ancestor of the working directory that holds crds/ and pom.xml. */
  public static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("crds")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("no repository root (a directory with crds/ and pom.xml) above " + dir);
  }

  /** The committed CRD files, crds/*.yml or *.yaml, sorted by name. */
  public static List<Path> committedCrds() {
    return filesIn(root().resolve("crds"), ".yml", ".yaml");
  }

  /** The example resources in manifests/examples, sorted by name. */
  public static List<Path> examples() {
    return filesIn(root().resolve("manifests").resolve("examples"), ".yml", ".yaml");
  }

  /** The files of {@code dir} whose names end with one of {@code suffixes}, sorted by name. */
  public static List<Path> filesIn(Path dir, String... suffixes) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> Stream.of(suffixes).anyMatch(s -> f.getFileName().toString().endsWith(s)))
          .sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
