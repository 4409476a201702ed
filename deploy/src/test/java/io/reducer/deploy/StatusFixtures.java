package io.reducer.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reducer.testsupport.ProjectLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Resources as the operator left them in its integration tests, captured by StatusCapture (operator/controller
 * tests) into deploy/src/test/resources/status-fixtures/KIND/CASE.json; docs/gitops.md has the command.
 */
final class StatusFixtures {

  static final ObjectMapper JSON = new ObjectMapper();

  private StatusFixtures() {
  }

  /** One captured resource: {@code name} is KIND/CASE. */
  record Fixture(String name, ObjectNode obj) {

    String kind() {
      return obj.path("kind").asText();
    }

    /** The same resource after a spec change the operator has not seen yet. */
    ObjectNode staleGeneration() {
      ObjectNode copy = obj.deepCopy();
      long observed = obj.path("status").path("observedGeneration").asLong();
      ((ObjectNode) copy.get("metadata")).put("generation", observed + 1);
      return copy;
    }

    /** The same resource just created: no status yet. */
    ObjectNode withoutStatus() {
      ObjectNode copy = obj.deepCopy();
      copy.remove("status");
      ((ObjectNode) copy.get("metadata")).put("generation", 1);
      return copy;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Path dir() {
    return ProjectLayout.root().resolve("deploy/src/test/resources/status-fixtures");
  }

  static List<Fixture> all() {
    try (Stream<Path> files = Files.walk(dir())) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().map(StatusFixtures::load).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Fixture load(Path file) {
    try {
      JsonNode node = JSON.readTree(file.toFile());
      String name = file.getParent().getFileName() + "/" + file.getFileName().toString().replaceAll("\\.json$", "");
      return new Fixture(name, (ObjectNode) node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
