package io.reducer.workloads.reducer;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.reducer.workloads.ChildWorkload;

/** {@code workloads reduce} in its own JVM; start it with {@code REDUCER_HTTP_PORT=0}. */
final class ChildReducer extends ChildWorkload {

  private static final Pattern PARTITIONS = Pattern.compile("partitions=(\\d+)");

  ChildReducer(Path directory, String name, Map<String, String> env) throws IOException {
    super(directory, "reducer " + name, "reduce", Pattern.compile("reducer http port: (\\d+)"), env);
  }

  /** The partitions /ready reports while the child is ready, else 0. */
  int readyPartitions() throws Exception {
    HttpResponse<String> ready = get("/ready");
    Matcher matcher = PARTITIONS.matcher(ready.body());
    return ready.statusCode() == 200 && matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
  }
}
