package io.reducer.workloads.materializer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

import io.reducer.workloads.ChildWorkload;

/** {@code workloads materialize} in its own JVM; start it with {@code MATERIALIZER_HTTP_PORT=0}. */
final class ChildMaterializer extends ChildWorkload {

  ChildMaterializer(Path directory, String name, Map<String, String> env) throws IOException {
    super(directory, "materializer " + name, "materialize", Pattern.compile("materializer http port: (\\d+)"), env);
  }
}
