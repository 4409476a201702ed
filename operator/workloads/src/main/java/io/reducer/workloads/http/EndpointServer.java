package io.reducer.workloads.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The health, readiness and metrics endpoints of a process (the operator, a materializer, a reducer), on the JDK's
 * own HTTP server with one daemon thread: nothing to configure, nothing that keeps the process alive.
 */
public final class EndpointServer implements AutoCloseable {

  /** Prometheus text exposition format. */
  public static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  /** What one request gets. */
  public record Response(int code, String body, String contentType) {

    /** 200 when {@code ok}, else 503, as plain text. */
    public static Response text(boolean ok, String body) {
      return new Response(ok ? 200 : 503, body, "text/plain");
    }
  }

  /** Answers one request. */
  @FunctionalInterface
  public interface Endpoint {
    Response respond() throws IOException;
  }

  private final HttpServer server;
  private final ExecutorService executor;

  /** Binds {@code port} (0: any free one); {@link #start()} after the routes. */
  public EndpointServer(int port, String threadName) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    executor = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, threadName);
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
  }

  public EndpointServer route(String path, Endpoint endpoint) {
    server.createContext(path, exchange -> respond(exchange, endpoint.respond()));
    return this;
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static void respond(HttpExchange exchange, Response response) throws IOException {
    byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", response.contentType());
    exchange.sendResponseHeaders(response.code(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
