package io.reducer.controller.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

  private static HttpResponse<String> get(OperatorHttpServer server, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
