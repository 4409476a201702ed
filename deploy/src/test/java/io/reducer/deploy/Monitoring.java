package io.reducer.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The chart's monitoring objects (PrometheusRule, ServiceMonitor, PodMonitor, dashboard) rendered with all enabled. */
final class Monitoring {

  static final String NS = "reducer-system";
  static final String ALL_ENABLED = "prometheusRule: {enabled: true}\nserviceMonitor: {enabled: true}\n"
      + "podMonitor: {enabled: true}\ngrafanaDashboard: {enabled: true}\n";
  static final YAMLMapper YAML = new YAMLMapper();
  static final ObjectMapper JSON = new ObjectMapper();

  /** PromQL words that are neither metrics nor functions (a function is a word followed by an opening parenthesis). */
  private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
      "and", "or", "unless", "bool", "offset", "inf", "nan");
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING = Pattern.compile(
      "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern WORD = Pattern.compile("(?<![\\w:.$])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");

  private Monitoring() {
  }

  static Rendered rendered(String values) {
    return HelmChart.objects(NS, values);
  }

  /** A rendered object of a kind the fabric8 model does not know (monitoring.coreos.com). */
  static GenericKubernetesResource custom(Rendered rendered, String kind) {
    List<HasMetadata> found = rendered.objects().stream().filter(o -> kind.equals(o.getKind())).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one " + kind + ", rendered " + found.size());
    }
    return (GenericKubernetesResource) found.get(0);
  }

  /** spec of the rendered PrometheusRule: {groups: [...]}, a Prometheus rule file. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> ruleFile() {
    return (Map<String, Object>) custom(rendered(ALL_ENABLED), "PrometheusRule").getAdditionalProperties()
        .get("spec");
  }

  /** Every alerting rule of the rule file, by alert name. */
  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> alerts() {
    Map<String, Map<String, Object>> alerts = new LinkedHashMap<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) ruleFile().get("groups")) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
        alerts.put((String) rule.get("alert"), rule);
      }
    }
    return alerts;
  }

  /** The dashboard JSON the rendered ConfigMap carries. */
  static JsonNode dashboard() {
    ConfigMap map = rendered(ALL_ENABLED).one(ConfigMap.class);
    try {
      return JSON.readTree(map.getData().get("reducer-operator.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every PromQL expression of the dashboard's panels. */
  static List<String> dashboardExpressions() {
    List<String> expressions = new ArrayList<>();
    dashboard().findValues("expr").forEach(e -> expressions.add(e.asText()));
    return expressions;
  }

  /**
   * The metric names a PromQL expression reads: words that are not a function call, a keyword, a label (inside
   * braces or a by/on clause), a string or a duration.
   */
  static Set<String> metricNames(String promql) {
    String text = STRING.matcher(promql).replaceAll("\"\"");
    text = MATCHERS.matcher(text).replaceAll(" ");
    text = RANGE.matcher(text).replaceAll(" ");
    text = GROUPING.matcher(text).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher word = WORD.matcher(text);
    while (word.find()) {
      String name = word.group(1);
      if (!KEYWORDS.contains(name.toLowerCase())) {
        names.add(name);
      }
    }
    return names;
  }
}
