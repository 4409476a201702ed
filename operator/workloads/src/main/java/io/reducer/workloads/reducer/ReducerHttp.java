package io.reducer.workloads.reducer;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reducer.workloads.health.ConsumerLoopStatus;
import io.reducer.workloads.http.EndpointServer.Response;
import io.reducer.workloads.http.EndpointServer;
import io.reducer.workloads.postgres.Database;

/**
 * {@code /health} (liveness, with a JSON body of components as the runbooks' health endpoint has: database,
 * kafka, outbox, dedup_cleanup), {@code /ready} (in the consumer group and the database answered recently) and
 * {@code /metrics} (Prometheus text).
 */
final class ReducerHttp implements AutoCloseable {

  private static final Duration LIVENESS_WINDOW = Duration.ofSeconds(60);
  private static final Duration DATABASE_WINDOW = Duration.ofSeconds(30);
  /** The leader cleans up every 30 s; three missed rounds is worth a look. */
  private static final Duration CLEANUP_WINDOW = Housekeeping.INTERVAL.multipliedBy(3);
  private static final long OUTBOX_LAG_DEGRADED_MS = 10_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EndpointServer server;
  private final ConsumerLoopStatus status;
  private final Database database;
  private final ReducerMetrics metrics;
  private final Housekeeping housekeeping;
  private final boolean relayEnabled;

  ReducerHttp(int port, ConsumerLoopStatus status, Database database, ReducerMetrics metrics,
      Housekeeping housekeeping, boolean relayEnabled) throws IOException {
    this.status = status;
    this.database = database;
    this.metrics = metrics;
    this.housekeeping = housekeeping;
    this.relayEnabled = relayEnabled;
    server = new EndpointServer(port, "reducer-http");
    server.route("/health", () -> {
      boolean alive = status.loopAliveWithin(LIVENESS_WINDOW);
      return new Response(alive ? 200 : 503, health(alive), "application/json");
    });
    server.route("/ready", () -> {
      boolean group = status.hasGroupOrAssignment();
      boolean db = database.answeredWithin(DATABASE_WINDOW);
      boolean ready = group && db && status.loopAliveWithin(LIVENESS_WINDOW);
      return Response.text(ready, "group=" + group + " partitions=" + status.assignedPartitions()
          + " database=" + db + "\n");
    });
    server.route("/metrics", () -> new Response(200, metrics.scrape(), EndpointServer.PROMETHEUS));
    server.start();
  }

  int port() {
    return server.port();
  }

  String health(boolean alive) throws JsonProcessingException {
    Map<String, Object> components = new LinkedHashMap<>();
    boolean db = database.answeredWithin(DATABASE_WINDOW);
    components.put("database", component(db ? "UP" : "DOWN",
        Map.of("answered_within_30s", db)));
    boolean group = status.hasGroupOrAssignment();
    components.put("kafka", component(group ? "UP" : "DOWN",
        Map.of("in_group", group, "assigned_partitions", status.assignedPartitions())));
    components.put("outbox", outbox());
    components.put("dedup_cleanup", dedupCleanup());
    String overall = !alive ? "DOWN" : worst(components);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", overall);
    body.put("components", components);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body) + "\n";
  }

  private Map<String, Object> outbox() {
    Map<String, Object> details = new LinkedHashMap<>();
    boolean leader = metrics.isLeader();
    details.put("relay", !relayEnabled ? "disabled" : leader ? "leader" : "standby");
    if (!leader) {
      return component("UP", details);
    }
    details.put("backlog", metrics.backlog());
    details.put("publish_lag_ms", metrics.publishLagMs());
    details.put("last_published_sequence", metrics.lastPublished());
    details.put("sequence_gaps", metrics.gaps());
    String state = metrics.gaps() > 0 ? "DOWN" : metrics.publishLagMs() > OUTBOX_LAG_DEGRADED_MS ? "DEGRADED" : "UP";
    return component(state, details);
  }

  private Map<String, Object> dedupCleanup() {
    Map<String, Object> details = new LinkedHashMap<>();
    if (!metrics.isLeader()) {
      details.put("runs_in", "the outbox relay's leader");
      return component("UP", details);
    }
    Instant last = housekeeping.lastCleanup();
    details.put("last_cleanup", last == null ? null : last.toString());
    details.put("last_deleted", housekeeping.lastDeleted());
    boolean recent = last != null && Duration.between(last, Instant.now()).compareTo(CLEANUP_WINDOW) < 0;
    return component(recent ? "UP" : "DEGRADED", details);
  }

  private static Map<String, Object> component(String state, Map<String, Object> details) {
    Map<String, Object> component = new LinkedHashMap<>();
    component.put("status", state);
    component.put("details", details);
    return component;
  }

  @SuppressWarnings("unchecked")
  private static String worst(Map<String, Object> components) {
    String worst = "UP";
    for (Object value : components.values()) {
      String state = (String) ((Map<String, Object>) value).get("status");
      if (state.equals("DOWN")) {
        return "DOWN";
      }
      if (state.equals("DEGRADED")) {
        worst = "DEGRADED";
      }
    }
    return worst;
  }

  @Override
  public void close() {
    server.close();
  }
}
