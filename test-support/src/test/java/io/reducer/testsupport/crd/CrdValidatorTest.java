package io.reducer.testsupport.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrdValidatorTest {

  private static final ObjectMapper YAML = new YAMLMapper();
  private static final CrdValidator WIDGETS = CrdValidator.fromClasspath("crd/widgets.example.io.yaml");

  private static ObjectNode widget() {
    return (ObjectNode) yaml("""
            apiVersion: example.io/v1
            kind: Widget
            metadata:
              name: orders
              namespace: shop
            spec:
              table: orders_v2
              target: offset
              ratio: 0.5
              startAt: "2024-05-01T12:00:00Z"
              offsets:
                - {partition: 0, offset: 10}
                - {partition: 1, offset: 20}
              source:
                topic: orders
                secretRef: {name: kafka-credentials, key: password}
              columns: [id, customer_id, amount]
              tags: [billing, eu]
              labels: {team: core}
            """);
  }

  private static ObjectNode spec(ObjectNode widget) {
    return (ObjectNode) widget.get("spec");
  }

  private static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void acceptsAValidWidgetAndAppliesDefaults() {
    CrdValidationResult result = WIDGETS.validateCreate(widget());

    assertThat(WIDGETS.crdErrors()).isEmpty();
    assertThat(result.valid()).as(result.toString()).isTrue();
    assertThat(result.errors()).isEmpty();
    assertThat(result.prunedFields()).isEmpty();
    assertThat(result.storedObject().at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(result.toString()).isEqualTo("valid");
  }

  @Test
  void rejectsSqlInjectionInTableNameByPattern() {
    ObjectNode widget = widget();
    spec(widget).put("table", "x; DROP TABLE y");

    CrdValidationResult result = WIDGETS.validateCreate(widget);

    assertThat(result.valid()).isFalse();
    assertThat(result.errors()).containsExactly("spec.table: must match pattern ^[a-z_][a-z0-9_]{0,62}$");
    assertThat(result.toString()).contains("error:  spec.table: must match pattern");
  }

  @Test
  void rejectsNumbersOutsideTheirBounds() {
    ObjectNode widget = widget();
    spec(widget).put("replicas", -1);
    spec(widget).put("ratio", 0);

    CrdValidationResult result = WIDGETS.validateCreate(widget);

    assertThat(result.errors()).containsExactlyInAnyOrder(
        "spec.replicas: must be greater than or equal to 0",
        "spec.ratio: must be greater than 0");
  }

  @Test
  void rejectsAValueOfTheWrongType() {
    ObjectNode widget = widget();
    spec(widget).put("replicas", "three");

    assertThat(WIDGETS.validateCreate(widget).errors())
        .contains("spec.replicas: must be of type integer, got string");
  }

  @Test
  void rejectsAnUnknownEnumValue() {
    ObjectNode widget = widget();
    spec(widget).put("target", "everything");

    assertThat(WIDGETS.validateCreate(widget).errors()).containsExactly(
        "spec.target: Unsupported value: \"everything\": supported values: \"offset\", \"latest\", \"earliest\"");
  }

  @Test
  void rejectsAMissingRequiredNestedField() {
    ObjectNode widget = widget();
    ((ObjectNode) widget.at("/spec/source/secretRef")).remove("name");

    assertThat(WIDGETS.validateCreate(widget).errors()).containsExactly("spec.source.secretRef.name: Required value");
  }

  @Test
  void rejectsAMissingRequiredTopLevelSpecField() {
    ObjectNode widget = widget();
    spec(widget).remove("source");

    assertThat(WIDGETS.validateCreate(widget).errors()).containsExactly("spec.source: Required value");
  }

  @Test
  void rejectsStringsAndMapsBeyondTheirLimits() {
    ObjectNode widget = widget();
    ((ObjectNode) widget.at("/spec/source")).put("topic", "");
    ((ObjectNode) widget.at("/spec/labels")).put("owner", "somebody").put("third", "x");

    assertThat(WIDGETS.validateCreate(widget).errors()).containsExactlyInAnyOrder(
        "spec.source.topic: must be at least 1 characters long",
        "spec.labels[owner]: must be at most 5 characters long",
        "spec.labels: must have at most 2 properties");
  }

  @Test
  void rejectsAMalformedDateTime() {
    ObjectNode widget = widget();
    spec(widget).put("startAt", "yesterday");

    assertThat(WIDGETS.validateCreate(widget).errors())
        .containsExactly("spec.startAt: must be a valid date-time, got \"yesterday\"");
  }

  @Test
  void reportsTheCrossFieldRuleWithItsMessage() {
    ObjectNode widget = widget();
    spec(widget).remove("offsets");

    assertThat(WIDGETS.validateCreate(widget).errors())
        .containsExactly("spec: Invalid value: offsets are required when target is offset");
  }

  @Test
  void evaluatesRulesOnListItemsWithMessageExpressionAndFieldPath() {
    ObjectNode widget = widget();
    ((ObjectNode) widget.at("/spec/offsets/1")).put("offset", -5);

    assertThat(WIDGETS.validateCreate(widget).errors())
        .containsExactly("spec.offsets[1].offset: Invalid value: offset of partition 1 must not be negative");
  }

  @Test
  void evaluatesMacrosAndStringFunctionsOnLists() {
    ObjectNode widget = widget();
    ((ArrayNode) spec(widget).get("columns")).add("Amount").add("tmp_x").add("password").add("id");

    assertThat(WIDGETS.validateCreate(widget).errors()).containsExactlyInAnyOrder(
        "spec.columns: must have at most 5 items",
        "spec.columns: Invalid value: column names must be lowercase identifiers",
        "spec.columns: Invalid value: temporary columns are not allowed",
        "spec.columns: Invalid value: columns must not hold secrets",
        "spec.columns: Invalid value: exactly one id column is required");
  }

  @Test
  void reportsRootRuleWithReasonAndFieldPath() {
    ObjectNode widget = widget();
    spec(widget).put("replicas", 7);

    assertThat(WIDGETS.validateCreate(widget).errors())
        .containsExactly("spec.replicas: Forbidden: more than 5 replicas need a name starting with big-");

    ((ObjectNode) widget.get("metadata")).put("name", "big-orders");
    assertThat(WIDGETS.validateCreate(widget).valid()).isTrue();
  }

  @Test
  void countsARuleEvaluationErrorAsAViolation() {
    ObjectNode widget = widget();
    ((ObjectNode) widget.at("/spec/source/secretRef")).remove("key");

    List<String> errors = WIDGETS.validateCreate(widget).errors();

    assertThat(errors).singleElement().asString()
        .startsWith("spec.source: Invalid value: secretRef.key must not be empty (rule evaluation error:")
        .contains("key");
  }

  @Test
  void skipsTransitionRulesOnCreateAndEnforcesThemOnUpdate() {
    ObjectNode stored = widget();
    assertThat(WIDGETS.validateCreate(stored).valid()).isTrue();

    ObjectNode renamed = widget();
    spec(renamed).put("table", "orders_v3");
    assertThat(WIDGETS.validateCreate(renamed).valid()).isTrue();
    assertThat(WIDGETS.validateUpdate(stored, renamed).errors())
        .containsExactly("spec.table: Invalid value: table is immutable");

    ObjectNode scaled = widget();
    spec(scaled).put("replicas", 3);
    assertThat(WIDGETS.validateUpdate(stored, scaled).valid()).isTrue();
  }

  @Test
  void correlatesMapListItemsByKeyForTransitionRules() {
    ObjectNode stored = widget();
    ObjectNode updated = widget();
    ArrayNode offsets = (ArrayNode) spec(updated).get("offsets");
    offsets.removeAll();
    offsets.add(yaml("{partition: 1, offset: 15}")); // moved backwards, and now first in the list
    offsets.add(yaml("{partition: 2, offset: 0}")); // new partition: no old value, rule skipped

    assertThat(WIDGETS.validateUpdate(stored, updated).errors())
        .containsExactly("spec.offsets[0]: Invalid value: offsets may only move forward");
  }

  @Test
  void reportsUnknownFieldsAsPrunedNotAsErrors() {
    ObjectNode widget = widget();
    spec(widget).put("tabel", "typo");
    spec(widget).putObject("extra").put("anything", "goes");
    widget.put("sneaky", true);

    CrdValidationResult result = WIDGETS.validateCreate(widget);

    assertThat(result.valid()).as(result.toString()).isTrue();
    assertThat(result.prunedFields()).containsExactlyInAnyOrder("spec.tabel", "sneaky");
    assertThat(result.storedObject().at("/spec").has("tabel")).isFalse();
    assertThat(result.storedObject().at("/spec/extra/anything").asText()).isEqualTo("goes");
    assertThat(result.toString()).contains("pruned: spec.tabel");
  }

  @Test
  void dropsNullsOfNonNullableFieldsButKeepsNullableOnes() {
    ObjectNode widget = widget();
    spec(widget).putNull("ratio");
    spec(widget).putNull("note");
    spec(widget).putNull("replicas");

    CrdValidationResult result = WIDGETS.validateCreate(widget);

    assertThat(result.valid()).as(result.toString()).isTrue();
    assertThat(result.prunedFields()).containsExactly("spec.ratio");
    assertThat(result.storedObject().at("/spec/note").isNull()).isTrue();
    assertThat(result.storedObject().at("/spec/replicas").asInt()).isEqualTo(1);
  }

  @Test
  void rejectsDuplicatesInSetAndMapLists() {
    ObjectNode widget = widget();
    ((ArrayNode) spec(widget).get("tags")).add("eu");
    ((ArrayNode) spec(widget).get("offsets")).add(yaml("{partition: 0, offset: 99}"));

    assertThat(WIDGETS.validateCreate(widget).errors()).containsExactlyInAnyOrder(
        "spec.tags[2]: Duplicate value: \"eu\"",
        "spec.offsets[2]: Duplicate value: {\"partition\":0}");
  }

  @Test
  void checksNameApiVersionAndKind() {
    ObjectNode nameless = widget();
    ((ObjectNode) nameless.get("metadata")).remove("name");
    assertThat(WIDGETS.validateCreate(nameless).errors())
        .contains("metadata.name: Required value: name or generateName is required");

    ObjectNode badName = widget();
    ((ObjectNode) badName.get("metadata")).put("name", "Orders;drop");
    assertThat(WIDGETS.validateCreate(badName).errors())
        .anySatisfy(error -> assertThat(error).startsWith("metadata.name: Invalid value: \"Orders;drop\""));

    ObjectNode wrongVersion = widget();
    wrongVersion.put("apiVersion", "example.io/v9");
    assertThat(WIDGETS.validateCreate(wrongVersion).errors())
        .containsExactly("apiVersion: Unsupported value: \"example.io/v9\": supported values: \"example.io/v1\"");
  }

  @Test
  void acceptsPlainMaps() {
    Map<String, Object> widget = Map.of(
        "apiVersion", "example.io/v1",
        "kind", "Widget",
        "metadata", Map.of("name", "w"),
        "spec", Map.of(
            "table", "t",
            "target", "latest",
            "replicas", 2,
            "source", Map.of("secretRef", Map.of("name", "s", "key", "k"))));

    assertThat(WIDGETS.validateCreate(widget).valid()).isTrue();
    assertThat(WIDGETS.validateUpdate(widget, Map.of(
        "apiVersion", "example.io/v1", "kind", "Widget", "metadata", Map.of("name", "w"),
        "spec", Map.of("table", "other", "target", "latest",
            "source", Map.of("secretRef", Map.of("name", "s", "key", "k"))))).errors())
        .containsExactly("spec.table: Invalid value: table is immutable");
  }

  @Test
  void loadsTheSameCrdFromAFileAndFromAFabric8Object() throws Exception {
    Path file = Path.of(getClass().getResource("/crd/widgets.example.io.yaml").toURI());
    CustomResourceDefinition crd;
    try (InputStream in = getClass().getResourceAsStream("/crd/widgets.example.io.yaml")) {
      crd = YAML.readValue(in, CustomResourceDefinition.class);
    }
    ObjectNode widget = widget();
    spec(widget).put("table", "x; DROP TABLE y");
    spec(widget).put("ratio", 0);

    for (CrdValidator validator : List.of(CrdValidator.fromYaml(file), CrdValidator.of(crd))) {
      assertThat(validator.crdErrors()).isEmpty();
      assertThat(validator.validateCreate(widget()).valid()).isTrue();
      assertThat(validator.validateCreate(widget).errors()).containsExactlyInAnyOrder(
          "spec.table: must match pattern ^[a-z_][a-z0-9_]{0,62}$",
          "spec.ratio: must be greater than 0");
    }
  }

  @Test
  void reportsACrdWhoseRuleDoesNotCompile() {
    CrdValidator gadgets = CrdValidator.fromClasspath("crd/broken-rule.example.io.yaml");

    assertThat(gadgets.crdErrors()).hasSize(2);
    assertThat(gadgets.crdErrors().get(0))
        .startsWith("spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0]"
            + ".rule: compilation failed for \"self.size ===\"");
    assertThat(gadgets.crdErrors().get(1))
        .startsWith("spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[1]"
            + ".fieldPath: .nmae: field nmae is not declared");

    CrdValidationResult result = gadgets.validateCreate(yaml("""
            apiVersion: example.io/v1
            kind: Gadget
            metadata: {name: g}
            spec: {name: fine}
            """));
    assertThat(result.valid()).isFalse();
    assertThat(result.errors()).containsAll(gadgets.crdErrors());
  }

  @Test
  void reportsRulesAndSchemasTheApiServerWouldRefuse() {
    CrdValidator things = thingsCrd("""
            type: object
            properties:
              spec:
                type: object
                x-kubernetes-validations:
                  - rule: "self.size()"
                  - rule: "true"
                    reason: Bogus
                properties:
                  code: {type: string, pattern: "[a-"}
                  list:
                    type: array
                    items:
                      type: object
                      x-kubernetes-validations:
                        - rule: "self == oldSelf"
            """);

    assertThat(things.crdErrors()).hasSize(4);
    assertThat(things.crdErrors()).anySatisfy(error -> assertThat(error)
        .startsWith("spec.versions[0].schema.openAPIV3Schema: Invalid value:").contains("[a-"));
    assertThat(things.crdErrors()).contains(
        "spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: "
            + "\"self.size()\" must evaluate to a bool, not int",
        "spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[1].reason: "
            + "Unsupported value: \"Bogus\": supported values: FieldValueDuplicate, "
            + "FieldValueForbidden, FieldValueInvalid, FieldValueRequired");
    assertThat(things.crdErrors()).anySatisfy(error -> assertThat(error)
        .startsWith("spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items"
            + ".x-kubernetes-validations[0].rule: \"self == oldSelf\": oldSelf cannot be used"));
  }

  @Test
  void evaluatesOptionalOldSelfRulesOnCreateToo() {
    CrdValidator things = thingsCrd("""
            type: object
            properties:
              spec:
                type: object
                properties:
                  owner:
                    type: string
                    x-kubernetes-validations:
                      - rule: "oldSelf.hasValue() ? oldSelf.value() == self : self.startsWith('team-')"
                        optionalOldSelf: true
                        message: owner must start with team- and cannot change
            """);
    JsonNode created = yaml("{apiVersion: example.io/v1, kind: Thing, metadata: {name: t}, spec: {owner: bob}}");
    JsonNode stored = yaml("{apiVersion: example.io/v1, kind: Thing, metadata: {name: t}, spec: {owner: team-a}}");
    JsonNode changed = yaml("{apiVersion: example.io/v1, kind: Thing, metadata: {name: t}, spec: {owner: team-b}}");

    assertThat(things.crdErrors()).isEmpty();
    assertThat(things.validateCreate(created).errors())
        .containsExactly("spec.owner: Invalid value: owner must start with team- and cannot change");
    assertThat(things.validateCreate(stored).valid()).isTrue();
    assertThat(things.validateUpdate(stored, changed).errors())
        .containsExactly("spec.owner: Invalid value: owner must start with team- and cannot change");
  }

  /** A one-version CRD of kind Thing around {@code schemaYaml}. */
  private static CrdValidator thingsCrd(String schemaYaml) {
    ObjectNode crd = (ObjectNode) yaml("""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: things.example.io}
            spec:
              group: example.io
              names: {kind: Thing, plural: things}
              scope: Namespaced
              versions:
                - {name: v1, served: true, storage: true, schema: {}}
            """);
    ((ObjectNode) crd.at("/spec/versions/0/schema")).set("openAPIV3Schema", yaml(schemaYaml));
    return CrdValidator.fromYaml(new ByteArrayInputStream(crd.toString().getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void refusesSomethingThatIsNotACrd() {
    assertThatThrownBy(() -> CrdValidator.fromClasspath("crd/missing.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("crd/missing.yaml");
  }
}
