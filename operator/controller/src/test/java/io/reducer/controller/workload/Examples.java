package io.reducer.controller.workload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.reducer.testsupport.ProjectLayout;
import java.nio.file.Path;

/** The custom resources of manifests/examples, as a user would apply them. */
public final class Examples {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Examples() {
  }

  public static <T> T read(String file, Class<T> type) {
    try {
      Path path = ProjectLayout.root().resolve("manifests/examples").resolve(file);
      return YAML.readValue(path.toFile(), type);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
