package io.reducer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ProjectionStatus;
import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.controller.app.OperatorHttpServer;
import io.reducer.controller.metrics.PhaseGauges;
import io.reducer.controller.metrics.PipelineGauges;
import io.reducer.controller.metrics.ProjectionGauges;
import io.reducer.controller.metrics.ReconcileMetrics;
import io.reducer.workloads.materializer.MaterializerMetrics;
import io.reducer.workloads.reducer.ReducerMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every metric an alert rule or a dashboard panel reads is one the components export: the operator's registry, filled
 * by its real gauge and reconcile-metric classes and scraped through its /metrics endpoint, and the materializer's
 * and reducer's registries (which register every meter when created) as their /metrics endpoints serve them.
 */
class ExportedMetricsTest {

  /** Series Prometheus adds to every scrape target itself. */
  private static final Set<String> SCRAPE_SERIES = Set.of("up");

  @Test
  void everyMetricTheRulesAndTheDashboardReadIsExported() throws Exception {
    Set<String> exported = new TreeSet<>(SCRAPE_SERIES);
    exported.addAll(names(operatorScrape()));
    exported.addAll(names(new MaterializerMetrics("orders").scrape()));
    exported.addAll(names(new ReducerMetrics("orders").scrape()));

    Map<String, Set<String>> used = new TreeMap<>();
    Monitoring.alerts().forEach((alert, rule) -> Monitoring.metricNames(rule.get("expr").toString())
        .forEach(name -> used.computeIfAbsent(name, n -> new TreeSet<>()).add("alert " + alert)));
    Monitoring.dashboardExpressions().forEach(expr -> Monitoring.metricNames(expr)
        .forEach(name -> used.computeIfAbsent(name, n -> new TreeSet<>()).add("dashboard: " + expr)));

    assertThat(used).as("metrics the rules and the dashboard read").hasSizeGreaterThan(20);
    Map<String, Set<String>> missing = new TreeMap<>(used);
    missing.keySet().removeAll(exported);
    assertThat(missing).as("metrics read but not exported (exported: %s)", exported).isEmpty();
  }

  @Test
  void metricNamesAreTheWordsOfAnExpressionThatAreNotFunctionsLabelsOrKeywords() {
    assertThat(Monitoring.metricNames("sum by (namespace, pipeline) (increase(reducer_gave_up_total"
        + "{namespace=~\"$namespace\", pod!=\"x\"}[5m])) > 0 and on(pipeline) group_left(level) "
        + "reducer_pipeline_health{level=\"Unknown\"} == 1 or absent(up{job=\"a\"}) unless histogram_quantile(0.95, "
        + "rate(canonical_store_commit_latency_ms_bucket[$__rate_interval])) > 1e+06 offset 5m"))
        .containsExactlyInAnyOrder("reducer_gave_up_total", "reducer_pipeline_health", "up",
            "canonical_store_commit_latency_ms_bucket");
  }

  /** The operator's /metrics with one projection, pipeline, reset and replay and a reconciliation of each outcome. */
  private static String operatorScrape() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ProjectionGauges(registry).update("shop", "orders", new ProjectionStatus());
    new PipelineGauges(registry).update("shop", "orders", new ReducerPipelineStatus());
    PhaseGauges.resets(registry).track("shop", "rewind");
    PhaseGauges.replays(registry).track("shop", "redo");
    ReconcileMetrics reconciles = new ReconcileMetrics(registry);
    Projection projection = new Projection();
    reconciles.reconcileCustomResource(projection, null, Map.of());
    reconciles.failedReconciliation(projection, new IllegalStateException(), Map.of());
    reconciles.timeControllerExecution(new Metrics.ControllerExecution<String>() {
      @Override
      public String name() {
        return "reconcile";
      }

      @Override
      public String controllerName() {
        return "projection";
      }

      @Override
      public String successTypeName(String result) {
        return "done";
      }

      @Override
      public ResourceID resourceID() {
        return new ResourceID("orders", "shop");
      }

      @Override
      public Map<String, Object> metadata() {
        return Map.of();
      }

      @Override
      public String execute() {
        return "done";
      }
    });
    try (OperatorHttpServer server = new OperatorHttpServer(0, () -> true, Optional::empty, registry)) {
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      return response.body();
    }
  }

  /** The metric names of a Prometheus text exposition. */
  private static Set<String> names(String exposition) {
    Set<String> names = new TreeSet<>();
    exposition.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
        .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
    return names;
  }
}
