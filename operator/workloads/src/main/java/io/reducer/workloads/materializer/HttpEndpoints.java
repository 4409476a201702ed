package io.reducer.workloads.materializer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.reducer.workloads.health.ConsumerLoopStatus;
import io.reducer.workloads.postgres.Database;

/**
 * {@code /health} (liveness: the loop turns), {@code /ready} (in the group and the database answered recently)
 * and {@code /metrics} (Prometheus text), on the JDK's own HTTP server.
 */
final class HttpEndpoints implements AutoCloseable {

  /** A poll lasts at most its timeout and a batch seconds; a minute without a loop turn means it hangs. */
  private static final Duration LIVENESS_WINDOW = Duration.ofSeconds(60);
  /** Longer than an idle loop's gap between database calls would be if it had nothing to read. */
  private static final Duration DATABASE_WINDOW = Duration.ofSeconds(30);

  private final HttpServer server;
  private final ExecutorService executor;

  HttpEndpoints(int port, ConsumerLoopStatus status, Database database, MaterializerMetrics metrics)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    executor = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "materializer-http");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/health", exchange -> {
      boolean alive = status.loopAliveWithin(LIVENESS_WINDOW);
      respond(exchange, alive ? 200 : 503, alive ? "ok\n" : "poll loop stalled or stopped\n", "text/plain");
    });
    server.createContext("/ready", exchange -> {
      boolean group = status.hasGroupOrAssignment();
      boolean db = database.answeredWithin(DATABASE_WINDOW);
      boolean ready = group && db && status.loopAliveWithin(LIVENESS_WINDOW);
      String body = "group=" + group + " partitions=" + status.assignedPartitions() + " database=" + db + "\n";
      respond(exchange, ready ? 200 : 503, body, "text/plain");
    });
    server.createContext("/metrics", exchange ->
        respond(exchange, 200, metrics.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static void respond(HttpExchange exchange, int code, String body, String contentType) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
