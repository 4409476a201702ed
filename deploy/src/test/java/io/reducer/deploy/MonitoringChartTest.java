package io.reducer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.reducer.controller.workload.WorkloadDeployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart's opt-in monitoring objects: PrometheusRule, ServiceMonitor, PodMonitor and the dashboard ConfigMap. */
class MonitoringChartTest {

  @Test
  void noneIsRenderedByDefault() {
    Rendered rendered = Monitoring.rendered("");

    assertThat(rendered.objects()).extracting(o -> o.getKind())
        .doesNotContain("PrometheusRule", "ServiceMonitor", "PodMonitor", "ConfigMap");
  }

  @Test
  void eachCarriesItsLabelsForTheSelectorsOfPrometheusAndGrafana() {
    Rendered rendered = Monitoring.rendered(Monitoring.ALL_ENABLED.replace("{enabled: true}",
        "{enabled: true, labels: {release: prometheus}}").replace("grafanaDashboard: {enabled: true, labels: "
        + "{release: prometheus}}", "grafanaDashboard: {enabled: true, namespace: monitoring}"));

    for (String kind : List.of("PrometheusRule", "ServiceMonitor", "PodMonitor")) {
      assertThat(Monitoring.custom(rendered, kind).getMetadata().getLabels()).as(kind)
          .containsEntry("release", "prometheus").containsKey("app.kubernetes.io/instance");
    }
    ConfigMap dashboard = rendered.one(ConfigMap.class);
    assertThat(dashboard.getMetadata().getNamespace()).isEqualTo("monitoring");
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
  }

  @Test
  void theServiceMonitorScrapesTheServicesMetricsPortAndKeepsTheResourcesNamespaceLabel() {
    Rendered rendered = Monitoring.rendered(Monitoring.ALL_ENABLED);
    Service service = rendered.one(Service.class);
    Map<String, Object> spec = spec(Monitoring.custom(rendered, "ServiceMonitor"));
    Map<String, Object> endpoint = list(spec.get("endpoints")).get(0);

    assertThat(service.getSpec().getPorts()).extracting(p -> p.getName()).contains((String) endpoint.get("port"));
    assertThat(endpoint).containsEntry("path", "/metrics").containsEntry("honorLabels", true);
    assertThat(map(map(spec.get("selector")).get("matchLabels"))).containsAllEntriesOf(service.getSpec().getSelector());
  }

  @Test
  void thePodMonitorScrapesTheWorkloadPodsPortInTheWatchedNamespaces() {
    Map<String, Object> listed = spec(Monitoring.custom(Monitoring.rendered(Monitoring.ALL_ENABLED
        + "watchNamespaces: [orders, billing]\n"), "PodMonitor"));
    Map<String, Object> all = spec(Monitoring.custom(Monitoring.rendered(Monitoring.ALL_ENABLED
        + "watchNamespaces: [\"*\"]\n"), "PodMonitor"));
    Map<String, Object> release = spec(Monitoring.custom(Monitoring.rendered(Monitoring.ALL_ENABLED), "PodMonitor"));

    assertThat(map(listed.get("namespaceSelector"))).containsEntry("matchNames", List.of("orders", "billing"));
    assertThat(map(all.get("namespaceSelector"))).containsEntry("any", true);
    assertThat(map(release.get("namespaceSelector"))).containsEntry("matchNames", List.of(Monitoring.NS));
    Map<String, Object> endpoint = list(release.get("podMetricsEndpoints")).get(0);
    // The port the operator gives every materializer and reducer container (WorkloadDeployment).
    var container = new WorkloadDeployment("orders", "shop", Map.of("a", "b"), "materializer", "image:1",
        "materialize", List.of(), null, null, Map.of()).build(1).getSpec().getTemplate().getSpec().getContainers()
        .get(0);
    assertThat(container.getPorts()).anySatisfy(p -> {
      assertThat(p.getName()).isEqualTo(endpoint.get("port"));
      assertThat(p.getContainerPort()).isEqualTo(WorkloadDeployment.HTTP_PORT);
    });
    assertThat(endpoint).containsEntry("path", "/metrics");
    assertThat(map(map(release.get("selector")).get("matchLabels")))
        .containsEntry("app.kubernetes.io/managed-by", "reducer-operator");
  }

  @Test
  void theDashboardHasAPanelForEachFigureTheRunbooksWatch() {
    JsonNode dashboard = Monitoring.dashboard();
    String expressions = String.join("\n", Monitoring.dashboardExpressions());

    assertThat(dashboard.path("uid").asText()).isEqualTo("reducer-operator");
    for (String metric : List.of("reducer_projection_watermark_lag_ms", "reducer_projection_consumer_lag",
        "projection_materializer_projections_materialized_total", "reducer_pipeline_dlq_depth",
        "reducer_pipeline_conflict_rate_percent", "reducer_gave_up_total", "reducer_pipeline_outbox_backlog",
        "reducer_watermark_reset_phase", "reducer_dlq_replay_phase")) {
      assertThat(expressions).as("a panel reads %s", metric).contains(metric);
    }
  }

  @Test
  void theOperatorDownAlertWatchesTheJobTheServiceMonitorGivesOrTheOneConfigured() {
    assertThat(Monitoring.alerts().get("ReducerOperatorDown").get("expr").toString())
        .contains("up{job=\"" + HelmChart.RELEASE + "\", namespace=\"" + Monitoring.NS + "\"}");
    String configured = Monitoring.custom(Monitoring.rendered("prometheusRule: {enabled: true, operatorJob: ops}\n"),
        "PrometheusRule").getAdditionalProperties().get("spec").toString();
    assertThat(configured).contains("up{job=\"ops\"").doesNotContain("REDUCER_OPERATOR");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource resource) {
    return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object value) {
    return (List<Map<String, Object>>) value;
  }
}
