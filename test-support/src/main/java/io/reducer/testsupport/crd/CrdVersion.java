package io.reducer.testsupport.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** One entry of {@code spec.versions}: its schema compiled for structural checks and for CEL rules. */
final class CrdVersion {

  private final String name;
  private final boolean served;
  private final JsonNode schema;
  private final OpenApiSchemaCheck schemaCheck;
  private final CelRuleSet rules;
  private final List<String> definitionErrors;

  private CrdVersion(String name, boolean served, JsonNode schema, OpenApiSchemaCheck schemaCheck,
      CelRuleSet rules, List<String> definitionErrors) {
    this.name = name;
    this.served = served;
    this.schema = schema;
    this.schemaCheck = schemaCheck;
    this.rules = rules;
    this.definitionErrors = definitionErrors;
  }

  /** @param location e.g. {@code spec.versions[0]}, used to name the place of definition errors */
  static CrdVersion compile(JsonNode version, String location) {
    List<String> errors = new ArrayList<>();
    String schemaLocation = location + ".schema.openAPIV3Schema";
    JsonNode schema = version.path("schema").path("openAPIV3Schema");
    if (!schema.isObject()) {
      errors.add(schemaLocation + ": Required value");
    }
    OpenApiSchemaCheck schemaCheck = null;
    if (schema.isObject()) {
      try {
        schemaCheck = OpenApiSchemaCheck.compile(schema);
      } catch (RuntimeException e) {
        // networknt rejects e.g. a pattern that is not a regular expression; so would the API server.
        String reason = String.valueOf(e.getMessage()).replace('\n', ' ');
        errors.add(schemaLocation + ": Invalid value: " + reason);
      }
    }
    CelRuleSet rules = CelRuleSet.compile(schema, schemaLocation);
    errors.addAll(rules.definitionErrors());
    return new CrdVersion(version.path("name").asText(""), version.path("served").asBoolean(false), schema,
        schemaCheck, rules, List.copyOf(errors));
  }

  String name() {
    return name;
  }

  boolean served() {
    return served;
  }

  JsonNode schema() {
    return schema;
  }

  List<String> definitionErrors() {
    return definitionErrors;
  }

  /** Schema errors of an already pruned and defaulted object. */
  List<String> schemaErrors(JsonNode object) {
    return schemaCheck == null ? List.of() : schemaCheck.validate(object);
  }

  CelRuleSet rules() {
    return rules;
  }
}
