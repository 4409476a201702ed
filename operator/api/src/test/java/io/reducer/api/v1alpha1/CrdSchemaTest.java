package io.reducer.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.testsupport.ProjectLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What kubectl users and the API server see of the committed CRDs. */
class CrdSchemaTest {

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
      if (isBlank(schema.getDescription())) {
        undescribed.add(path);
      }
    });
    assertThat(undescribed).as("fields without description in %s", file.getFileName()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("crds")
  void everyUserSuppliedStringNumberListAndMapIsBounded(Path file) throws IOException {
    JSONSchemaProps spec = version(load(file)).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    List<String> unbounded = new ArrayList<>();
    walk("spec", spec, (path, schema) -> {
      boolean bounded;
      switch (String.valueOf(schema.getType())) {
        case "string":
          bounded = schema.getMaxLength() != null || schema.getEnum() != null && !schema.getEnum().isEmpty()
              || schema.getPattern() != null && schema.getPattern().contains("{");
          break;
        case "integer":
        case "number":
          bounded = schema.getMinimum() != null;
          break;
        case "array":
          bounded = schema.getMaxItems() != null;
          break;
        case "object":
          bounded = schema.getAdditionalProperties() == null || schema.getMaxProperties() != null;
          break;
        default:
          bounded = true;
      }
      if (!bounded) {
        unbounded.add(path);
      }
    });
    assertThat(unbounded).as("unbounded spec fields in %s (CEL cost and hostile input)", file.getFileName())
        .isEmpty();
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
        "WatermarkReset", List.of("PROJECTION", "PIPELINE", "TARGET", "PHASE", "EPOCH", "AGE"));
    assertThat(columns).containsExactlyElementsOf(expected.get(crd.getSpec().getNames().getKind()));
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

  interface SchemaVisitor {
    void visit(String path, JSONSchemaProps schema);
  }

  /** Visits every property and array item below the given schema. */
  static void walk(String path, JSONSchemaProps schema, SchemaVisitor visitor) {
    if (schema.getProperties() != null) {
      schema.getProperties().forEach((name, child) -> {
        String childPath = path.isEmpty() ? name : path + "." + name;
        visitor.visit(childPath, child);
        walk(childPath, child, visitor);
      });
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      walk(path + "[]", schema.getItems().getSchema(), visitor);
    }
    if (schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null) {
      walk(path + "{}", schema.getAdditionalProperties().getSchema(), visitor);
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
