package io.reducer.api.v1alpha1;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.CustomResource;
import io.reducer.testsupport.ProjectLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The example resources in manifests/examples, read strictly into the model. */
final class Examples {

  /** Fails on fields the model does not know, so an example cannot drift from the model unnoticed. */
  static final ObjectMapper STRICT_YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Examples() {
  }

  static Stream<Path> files() {
    return ProjectLayout.examples().stream();
  }

  static JsonNode tree(Path file) throws IOException {
    return STRICT_YAML.readTree(file.toFile());
  }

  static CustomResource<?, ?> parse(Path file) throws IOException {
    JsonNode tree = tree(file);
    return STRICT_YAML.treeToValue(tree, Kinds.byKind(tree.path("kind").asText()));
  }
}
