package io.reducer.testsupport.kubernetes;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Paths whose writes the mock API server refuses with 503 while a test holds them, as an API server that is
 * overloaded or restarting would: the writer's reconciliation fails and is retried, so the state it would record
 * stays as it was (e.g. a Projection whose status cannot be written keeps naming the reset that held it).
 */
final class RefusedWrites {

  private final Set<String> paths = ConcurrentHashMap.newKeySet();

  void refuse(String path) {
    paths.add(path);
  }

  void allow(String path) {
    paths.remove(path);
  }

  /** The refusal for {@code request}, or null when it may go through. */
  MockResponse answer(RecordedRequest request) {
    String path = request.getPath();
    if (path == null || "GET".equals(request.getMethod()) || !paths.contains(path.split("\\?", 2)[0])) {
      return null;
    }
    return new MockResponse().setResponseCode(503).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
        + "\"status\":\"Failure\",\"message\":\"the test refuses writes to " + path + "\","
        + "\"reason\":\"ServiceUnavailable\",\"code\":503}");
  }
}
