package io.reducer.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * values.schema.json: Helm validates the values against it on install, upgrade, template and lint, so a typo or a
 * wrong type fails before anything reaches the cluster. It must describe every value of values.yaml.
 */
class ValuesSchemaTest {

  private static final String NS = "reducer-system";
  /** Values Helm shares with subcharts: in the schema so that the chart still validates as a subchart. */
  private static final String GLOBAL = "global";

  @Test
  void theDefaultsAndEveryOptionalObjectEnabledValidateAndRender() {
    assertThat(HelmChart.objects(NS, "").deployment()).isNotNull();
    Rendered all = HelmChart.objects(NS, String.join("\n",
        "replicaCount: 2",
        "podDisruptionBudget: {enabled: true, minAvailable: 1}",
        "networkPolicy: {enabled: true, ingressFrom: [{namespaceSelector: {matchLabels: {team: monitoring}}}],",
        "  egress: {restricted: true, rules: [{to: [{ipBlock: {cidr: 10.0.0.1/32}}], ports: [{port: 6443}]}]}}",
        "approvalPolicy: {enabled: true, approverGroups: [reducer-approvers], validationActions: [Warn, Audit]}",
        "prometheusRule: {enabled: true}", "serviceMonitor: {enabled: true}", "podMonitor: {enabled: true}",
        "grafanaDashboard: {enabled: true}", ""));
    assertThat(all.objects()).extracting(o -> o.getKind()).contains("PodDisruptionBudget", "NetworkPolicy",
        "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "CustomResourceDefinition");
  }

  @Test
  void everyValueInValuesYamlIsInTheSchemaAndEverySchemaValueHasADefault() throws IOException {
    JsonNode values = new YAMLMapper().readTree(HelmChart.dir().resolve("values.yaml").toFile());
    JsonNode schema = schema();

    List<String> missing = new ArrayList<>();
    missingFromSchema("", values, schema, missing);
    assertThat(missing).as("values of values.yaml the schema does not describe").isEmpty();

    List<String> withoutDefault = new ArrayList<>();
    for (Iterator<String> names = schema.get("properties").fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals(GLOBAL) && !values.has(name)) {
        withoutDefault.add(name);
      }
    }
    assertThat(withoutDefault).as("schema values without a default (and comment) in values.yaml").isEmpty();
  }

  @Test
  void everySchemaNodeHasATypeAndADescriptionAndObjectsRefuseUnknownKeys() throws IOException {
    List<String> problems = new ArrayList<>();
    check("", schema(), problems);

    assertThat(problems).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "replicaCount: two                                   | replicaCount",
      "replicas: 2                                         | replicas",
      "image: {repository: example.com/op, tags: '1.0'}   | tags",
      "service: {type: Internal}                           | type",
      "reconcileThreads: 0                                 | reconcileThreads",
      "probeInterval: 5 seconds                            | probeInterval",
      "watchNamespaces: [Orders]                           | watchNamespaces",
      "podDisruptionBudget: {enabled: true, minAvailable: '50'} | minAvailable",
      "networkPolicy: {enabled: true, egress: {restrict: true}} | restrict",
      "approvalPolicy: {enabled: true, approverGroups: [ops], validationActions: [Block]} | validationActions",
  })
  void aTypicalMistakeIsRefusedByHelmBeforeRendering(String values, String offending) {
    assertThatThrownBy(() -> HelmChart.template(NS, values + "\n"))
        .hasMessageContaining("schema")
        .hasMessageContaining(offending);
  }

  private static JsonNode schema() throws IOException {
    return new ObjectMapper().readTree(HelmChart.dir().resolve("values.schema.json").toFile());
  }

  /** Every key of {@code value} must be a property of {@code schema}, unless the schema is a free-form object. */
  private static void missingFromSchema(String path, JsonNode value, JsonNode schema, List<String> missing) {
    if (!value.isObject() || !schema.has("properties")) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
      JsonNode property = schema.get("properties").get(field.getKey());
      if (property == null) {
        missing.add(at);
      } else {
        missingFromSchema(at, field.getValue(), property, missing);
      }
    }
  }

  private static void check(String path, JsonNode schema, List<String> problems) {
    String at = path.isEmpty() ? "(root)" : path;
    if (!schema.has("type") && !schema.has("oneOf")) {
      problems.add(at + " has no type");
    }
    if (!schema.has("description")) {
      problems.add(at + " has no description");
    }
    if (schema.has("properties")) {
      if (!schema.path("additionalProperties").isBoolean() || schema.get("additionalProperties").asBoolean()) {
        problems.add(at + " lists its properties but accepts unknown ones");
      }
      for (Iterator<Map.Entry<String, JsonNode>> fields = schema.get("properties").fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        check(path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getValue(), problems);
      }
    }
  }
}
