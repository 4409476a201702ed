package io.reducer.e2e;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The mock API server's CRUD answers, counting the requests by kind: what the operator costs the API server. With a
 * request log ({@link #logWritesTo}), every write is also appended to a file with its answer's code and its body,
 * to see what an operator writes and why.
 */
public final class ApiRequestCounter extends KubernetesCrudDispatcher {

  private final LongAdder requests = new LongAdder();
  private final LongAdder writes = new LongAdder();
  private final LongAdder statusWrites = new LongAdder();
  private final Map<String, LongAdder> byRoute = new ConcurrentHashMap<>();
  private volatile Writer writeLog;

  public ApiRequestCounter() {
    super(new ArrayList<>());
  }

  /** From now on, appends each write to {@code file}: time, method, path, the answer's code, then the request body. */
  public synchronized void logWritesTo(Path file) {
    try {
      if (writeLog != null) {
        writeLog.close();
      }
      writeLog = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    requests.increment();
    String method = request.getMethod();
    byRoute.computeIfAbsent(method + " " + route(request.getPath()), k -> new LongAdder()).increment();
    if (!"GET".equals(method)) {
      writes.increment();
      String path = request.getPath() == null ? "" : request.getPath();
      int query = path.indexOf('?');
      if ((query < 0 ? path : path.substring(0, query)).endsWith("/status")) {
        statusWrites.increment();
      }
    }
    Writer log = writeLog;
    // Not getUtf8Body(): that consumes the body the dispatcher reads next.
    String body = log == null || "GET".equals(method) ? null : request.getBody() == null ? ""
        : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
    MockResponse response = super.dispatch(request);
    if (body != null) {
      synchronized (this) {
        try {
          log.write(Instant.now() + " " + method + " " + request.getPath() + " -> " + response.code() + " "
              + body.replace('\n', ' ') + "\n");
          log.flush();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return response;
  }

  /** Every request answered so far, watches included (each counts once, when it opens). */
  public long requests() {
    return requests.sum();
  }

  /** Creates, updates, patches and deletes. */
  public long writes() {
    return writes.sum();
  }

  /** Requests so far by method and route (namespace and object names as *). */
  public Map<String, Long> byRoute() {
    Map<String, Long> counts = new TreeMap<>();
    byRoute.forEach((route, count) -> counts.put(route, count.sum()));
    return counts;
  }

  /** {@code /apis/g/v/namespaces/ns/kind/name/status?x} as {@code /apis/g/v/namespaces/*\/kind/*\/status}. */
  static String route(String path) {
    if (path == null) {
      return "";
    }
    int query = path.indexOf('?');
    String[] parts = (query < 0 ? path : path.substring(0, query)).split("/");
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].equals("namespaces") && i + 1 < parts.length) {
        parts[i + 1] = "*";
        if (i + 3 < parts.length) {
          parts[i + 3] = "*";
        }
        break;
      }
    }
    return String.join("/", parts);
  }

  /** Writes to a status subresource. */
  public long statusWrites() {
    return statusWrites.sum();
  }
}
