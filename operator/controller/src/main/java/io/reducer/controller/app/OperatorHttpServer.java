package io.reducer.controller.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.reducer.workloads.http.EndpointServer.Response;
import io.reducer.workloads.http.EndpointServer;
import java.io.IOException;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /healthz} (the process serves requests and no informer has failed for good), {@code /readyz} (the operator started and its informers are
 * healthy) and {@code /metrics} (Prometheus text), on the JDK's HTTP server.
 */
public final class OperatorHttpServer implements AutoCloseable {

  private final EndpointServer server;

  public OperatorHttpServer(int port, BooleanSupplier ready, Supplier<Optional<String>> fatalFailure,
      PrometheusMeterRegistry registry) throws IOException {
    server = new EndpointServer(port, "operator-http");
    server.route("/healthz", () -> {
      Optional<String> failure = fatalFailure.get();
      return Response.text(failure.isEmpty(), failure.map(f -> f + "\n").orElse("ok\n"));
    });
    server.route("/readyz", () -> {
      boolean ok = ready.getAsBoolean();
      return Response.text(ok, ok ? "ready\n" : "starting, or an informer is unhealthy\n");
    });
    server.route("/metrics", () -> new Response(200, registry.scrape(), EndpointServer.PROMETHEUS));
    server.start();
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
  }
}
