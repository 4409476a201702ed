package io.reducer.controller.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /healthz} (the process serves requests and no informer has failed for good), {@code /readyz} (the operator started and its informers are
 * healthy) and {@code /metrics} (Prometheus text), on the JDK's HTTP server.
 */
public final class OperatorHttpServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;

  public OperatorHttpServer(int port, BooleanSupplier ready, Supplier<Optional<String>> fatalFailure,
      PrometheusMeterRegistry registry) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    executor = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "operator-http");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/healthz", exchange -> {
      Optional<String> failure = fatalFailure.get();
      respond(exchange, failure.isEmpty() ? 200 : 503, failure.map(f -> f + "\n").orElse("ok\n"), "text/plain");
    });
    server.createContext("/readyz", exchange -> {
      boolean ok = ready.getAsBoolean();
      respond(exchange, ok ? 200 : 503, ok ? "ready\n" : "starting, or an informer is unhealthy\n", "text/plain");
    });
    server.createContext("/metrics", exchange ->
        respond(exchange, 200, registry.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
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

  private static void respond(HttpExchange exchange, int code, String body, String contentType) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
