package io.reducer.controller.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.reducer.testsupport.kubernetes.MockKubernetes;
import io.reducer.testsupport.metrics.ProcessMetricsCheck;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What the kubelet's probes and Prometheus read from the operator. */
class OperatorHttpServerTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void healthzFailsWithTheReasonOnceAnInformerFailedForGood() throws Exception {
    AtomicReference<String> failure = new AtomicReference<>();
    try (OperatorHttpServer server = new OperatorHttpServer(0, () -> failure.get() == null,
        () -> Optional.ofNullable(failure.get()), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
      assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(server, "/readyz").statusCode()).isEqualTo(200);

      failure.set("the informer for Projection stopped: 403 Forbidden");

      HttpResponse<String> health = get(server, "/healthz");
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).contains("the informer for Projection stopped: 403 Forbidden");
      assertThat(get(server, "/readyz").statusCode()).isEqualTo(503);
    }
  }

  @Test
  void metricsServesTheJvmAndProcessMetersTheOperatorBinds() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (MockKubernetes kubernetes = MockKubernetes.withCommittedCrds();
        OperatorHttpServer server = new OperatorHttpServer(0, () -> true, Optional::empty, registry)) {
      // Built, not started: the meters are bound when the operator is assembled, before it reconciles anything.
      ReducerOperator operator = new ReducerOperator(kubernetes.client(), OperatorConfig.parse(List.of(
          "--namespaces", "orders", "--namespace", "orders", "--leader-election", "false",
          "--workloads-image", "registry.test/reducer-workloads:1"), Map.of(), null), registry, Clock.systemUTC());
      try {
        HttpResponse<String> metrics = get(server, "/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(ProcessMetricsCheck.problems(metrics.body())).isEmpty();
      } finally {
        operator.close();
      }
    }
  }

  private static HttpResponse<String> get(OperatorHttpServer server, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
