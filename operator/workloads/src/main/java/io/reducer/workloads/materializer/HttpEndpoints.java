package io.reducer.workloads.materializer;

import java.io.IOException;
import java.time.Duration;

import io.reducer.workloads.health.ConsumerLoopStatus;
import io.reducer.workloads.http.EndpointServer.Response;
import io.reducer.workloads.http.EndpointServer;
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

  private final EndpointServer server;

  HttpEndpoints(int port, ConsumerLoopStatus status, Database database, MaterializerMetrics metrics)
      throws IOException {
    server = new EndpointServer(port, "materializer-http");
    server.route("/health", () -> {
      boolean alive = status.loopAliveWithin(LIVENESS_WINDOW);
      return Response.text(alive, alive ? "ok\n" : "poll loop stalled or stopped\n");
    });
    server.route("/ready", () -> {
      boolean group = status.hasGroupOrAssignment();
      boolean db = database.answeredWithin(DATABASE_WINDOW);
      boolean ready = group && db && status.loopAliveWithin(LIVENESS_WINDOW);
      return Response.text(ready, "group=" + group + " partitions=" + status.assignedPartitions() + " database=" + db
          + "\n");
    });
    server.route("/metrics", () -> new Response(200, metrics.scrape(), EndpointServer.PROMETHEUS));
    server.start();
  }

  int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
  }
}
