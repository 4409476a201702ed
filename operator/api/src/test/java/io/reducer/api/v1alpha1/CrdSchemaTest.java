package io.reducer.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.testsupport.ProjectLayout;
import io.reducer.testsupport.crd.CelCostEstimator;
import io.reducer.testsupport.crd.RuleCost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What kubectl users and the API server see of the committed CRDs. */
class CrdSchemaTest {

  private static final YAMLMapper YAML = new YAMLMapper();

  static Stream<Path> crds() {
    return ProjectLayout.committedCrds().stream();
  }

  @ParameterizedTest
  @MethodSource("crds")
  void everyFieldHasADescriptionForKubectlExplain(Path file) throws IOException {
    JSONSchemaProps root = version(load(file)).getSchema().getOpenAPIV3Schema();
    List<String> undescribed = new ArrayList<>();
    if (isBlank(root.getDescription())) {
      undescribed.add("<root>");
    }
    walk("", root, (path, schema) -> {
      // kubectl explain shows the description of the list or map, not of its items or values.
      boolean itemOrValue = path.endsWith("[]") || path.endsWith("{}");
      if (!itemOrValue && isBlank(schema.getDescription())) {
        undescribed.add(path);
      }
    });
    assertThat(undescribed).as("fields without description in %s", file.getFileName()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("crds")
  void everyStringListAndMapOfSpecAndStatusIsBounded(Path file) throws IOException {
    // The API server sizes CEL costs by maxLength, maxItems and maxProperties alone (a pattern does not count),
    // and status is written by the operator but read by every client: both sides get bounds.
    JSONSchemaProps root = version(load(file)).getSchema().getOpenAPIV3Schema();
    List<String> unbounded = new ArrayList<>();
    for (String part : List.of("spec", "status")) {
      walk(part, root.getProperties().get(part), (path, schema) -> {
        if (!isBounded(schema)) {
          unbounded.add(path);
        }
      });
    }
    assertThat(unbounded).as("unbounded fields in %s (CEL cost and hostile input)", file.getFileName()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("crds")
  void everyNumberInSpecHasALowerBound(Path file) throws IOException {
    JSONSchemaProps spec = version(load(file)).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    List<String> unbounded = new ArrayList<>();
    walk("spec", spec, (path, schema) -> {
      boolean number = "integer".equals(schema.getType()) || "number".equals(schema.getType());
      if (number && schema.getMinimum() == null) {
        unbounded.add(path);
      }
    });
    assertThat(unbounded).as("numbers without minimum in %s", file.getFileName()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("crds")
  void celRulesFitTheApiServersCostLimits(Path file) throws IOException {
    List<RuleCost> costs = CelCostEstimator.estimate(YAML.readTree(file.toFile()).path("spec").path("versions")
        .path(0).path("schema").path("openAPIV3Schema"));

    assertThat(costs).as("rules of %s", file.getFileName()).isNotEmpty();
    assertThat(costs).as("rules of %s whose one evaluation can exceed the per-call limit", file.getFileName())
        .filteredOn(c -> c.perCall() > CelCostEstimator.PER_CALL_LIMIT).isEmpty();
    assertThat(costs).as("rules of %s over the per-rule limit", file.getFileName())
        .filteredOn(c -> c.total() > CelCostEstimator.STATIC_ESTIMATED_COST_LIMIT).isEmpty();
    long sum = costs.stream().mapToLong(RuleCost::total).reduce(0, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
    assertThat(sum).as("total rule cost of %s: %s", file.getFileName(), costs)
        .isLessThanOrEqualTo(CelCostEstimator.STATIC_ESTIMATED_CRD_COST_LIMIT);
  }

  @ParameterizedTest
  @MethodSource("crds")
  void statusIsASubresourceAndPrinterColumnsFollowTheModelWithAgeLast(Path file) throws IOException {
    CustomResourceDefinition crd = load(file);
    CustomResourceDefinitionVersion version = version(crd);
    assertThat(crd.getSpec().getGroup()).isEqualTo("reducer.io");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(version.getName()).isEqualTo("v1alpha1");
    assertThat(version.getSubresources().getStatus()).as("status subresource").isNotNull();
    List<String> columns = version.getAdditionalPrinterColumns().stream()
        .map(CustomResourceColumnDefinition::getName).collect(Collectors.toList());
    Map<String, List<String>> expected = Map.of(
        "ReducerPipeline", List.of("TOPICS", "REDUCERS", "CONFLICT-RATE", "DLQ", "PROJECTIONS", "HEALTH", "AGE"),
        "Projection", List.of("PARTITIONS", "REPLICAS", "READY", "LAG", "WM-LAG", "HEALTH", "AGE"),
        "DlqReplay", List.of("PHASE", "MATCHED", "REPLAYED", "SKIPPED", "AGE"),
        "WatermarkReset", List.of("PROJECTION", "PIPELINE", "SOURCE", "TARGET", "STRATEGY", "PHASE", "EPOCH",
            "AGE"));
    assertThat(columns).containsExactlyElementsOf(expected.get(crd.getSpec().getNames().getKind()));
  }

  @ParameterizedTest
  @MethodSource("crds")
  void everyPrinterColumnReadsAFieldOfTheSchema(Path file) throws IOException {
    CustomResourceDefinitionVersion version = version(load(file));
    List<String> unknown = version.getAdditionalPrinterColumns().stream()
        .map(CustomResourceColumnDefinition::getJsonPath)
        .filter(path -> !path.startsWith(".metadata.") && field(version.getSchema().getOpenAPIV3Schema(), path) == null)
        .collect(Collectors.toList());
    assertThat(unknown).as("columns of %s that would always be empty", file.getFileName()).isEmpty();
  }

  /** Every reset fills SOURCE and STRATEGY (defaults), so a repair, a Shadow rebuild and any other reset differ. */
  @Test
  void watermarkResetColumnsTellARepairAndAShadowRebuildFromOtherResets() throws IOException {
    CustomResourceDefinitionVersion version = version(load(ProjectLayout.root()
        .resolve("crds/watermarkresets.reducer.io-v1.yml")));
    Map<String, String> paths = version.getAdditionalPrinterColumns().stream().collect(Collectors.toMap(
        CustomResourceColumnDefinition::getName, CustomResourceColumnDefinition::getJsonPath));
    JSONSchemaProps source = field(version.getSchema().getOpenAPIV3Schema(), paths.get("SOURCE"));
    JSONSchemaProps strategy = field(version.getSchema().getOpenAPIV3Schema(), paths.get("STRATEGY"));
    assertThat(source.getEnum()).extracting(v -> v.asText()).containsExactlyInAnyOrder("Topic", "Canonical");
    assertThat(source.getDefault().asText()).isEqualTo("Topic");
    assertThat(strategy.getEnum()).extracting(v -> v.asText()).containsExactlyInAnyOrder("InPlace", "Shadow");
    assertThat(strategy.getDefault().asText()).isEqualTo("InPlace");
  }

  /** The schema of the field a simple JSON path such as .spec.target.type names; null when there is none. */
  private static JSONSchemaProps field(JSONSchemaProps root, String jsonPath) {
    JSONSchemaProps schema = root;
    for (String name : jsonPath.substring(1).split("\\.")) {
      schema = schema.getProperties() == null ? null : schema.getProperties().get(name);
      if (schema == null) {
        return null;
      }
    }
    return schema;
  }

  @ParameterizedTest
  @MethodSource("crds")
  void shortNamesMatchTheDesign(Path file) throws IOException {
    CustomResourceDefinition crd = load(file);
    Map<String, String> shortNames = Map.of("ReducerPipeline", "rp", "Projection", "proj", "DlqReplay", "dlqr",
        "WatermarkReset", "wmr");
    assertThat(crd.getSpec().getNames().getShortNames())
        .containsExactly(shortNames.get(crd.getSpec().getNames().getKind()));
  }

  @ParameterizedTest
  @MethodSource("crds")
  void everyKindIsInTheReducerCategorySoKubectlGetReducerListsThemAll(Path file) throws IOException {
    assertThat(load(file).getSpec().getNames().getCategories()).containsExactly("reducer");
  }

  interface SchemaVisitor {
    void visit(String path, JSONSchemaProps schema);
  }

  /** Visits every property, list item ({@code []}) and map value ({@code {}}) below the given schema. */
  static void walk(String path, JSONSchemaProps schema, SchemaVisitor visitor) {
    if (schema.getProperties() != null) {
      schema.getProperties().forEach((name, child) -> {
        String childPath = path.isEmpty() ? name : path + "." + name;
        visitor.visit(childPath, child);
        walk(childPath, child, visitor);
      });
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      visitor.visit(path + "[]", schema.getItems().getSchema());
      walk(path + "[]", schema.getItems().getSchema(), visitor);
    }
    if (schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null) {
      visitor.visit(path + "{}", schema.getAdditionalProperties().getSchema());
      walk(path + "{}", schema.getAdditionalProperties().getSchema(), visitor);
    }
  }

  /**
   * A string has maxLength or an enum, a list maxItems, a map maxProperties and a rule for its keys (a schema
   * cannot bound them); anything else needs no bound.
   */
  private static boolean isBounded(JSONSchemaProps schema) {
    switch (String.valueOf(schema.getType())) {
      case "string":
        return schema.getMaxLength() != null || schema.getEnum() != null && !schema.getEnum().isEmpty();
      case "array":
        return schema.getMaxItems() != null;
      case "object":
        return schema.getAdditionalProperties() == null || schema.getMaxProperties() != null
            && schema.getXKubernetesValidations() != null && !schema.getXKubernetesValidations().isEmpty();
      default:
        return true;
    }
  }

  static CustomResourceDefinition load(Path file) throws IOException {
    return new KubernetesSerialization().unmarshal(Files.readString(file), CustomResourceDefinition.class);
  }

  static CustomResourceDefinitionVersion version(CustomResourceDefinition crd) {
    assertThat(crd.getSpec().getVersions()).hasSize(1);
    return crd.getSpec().getVersions().get(0);
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
