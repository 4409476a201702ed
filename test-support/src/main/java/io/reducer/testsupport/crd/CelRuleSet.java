package io.reducer.testsupport.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every {@code x-kubernetes-validations} rule of one schema, compiled once and keyed by the schema node that
 * carries it, plus the definition errors (rules that do not compile, bad fieldPath, ...).
 */
final class CelRuleSet {

  private final Map<JsonNode, List<CelRule>> rulesBySchema = new IdentityHashMap<>();
  private final List<String> definitionErrors = new ArrayList<>();

  private CelRuleSet() {
  }

  /**
   * @param location how the schema is addressed in the CRD, used in definition errors,
   *     e.g. {@code spec.versions[0].schema.openAPIV3Schema}
   */
  static CelRuleSet compile(JsonNode rootSchema, String location) {
    CelRuleSet set = new CelRuleSet();
    set.collect(rootSchema, location, true);
    return set;
  }

  List<CelRule> rulesFor(JsonNode schema) {
    return rulesBySchema.getOrDefault(schema, List.of());
  }

  List<String> definitionErrors() {
    return List.copyOf(definitionErrors);
  }

  /** {@code correlatable}: whether an old value can be matched here on update, which oldSelf needs. */
  private void collect(JsonNode schema, String location, boolean correlatable) {
    if (schema == null || !schema.isObject()) {
      return;
    }
    JsonNode validations = schema.path("x-kubernetes-validations");
    List<CelRule> rules = new ArrayList<>();
    for (int i = 0; i < validations.size(); i++) {
      try {
        rules.add(CelRule.compile(validations.get(i), schema, correlatable));
      } catch (CelRule.InvalidRuleException e) {
        definitionErrors.add(location + ".x-kubernetes-validations[" + i + "]." + e.property() + ": "
            + e.getMessage());
      }
    }
    if (!rules.isEmpty()) {
      rulesBySchema.put(schema, List.copyOf(rules));
    }
    schema.path("properties").properties().forEach(property ->
        collect(property.getValue(), location + ".properties[" + property.getKey() + "]", correlatable));
    collect(Schemas.additionalProperties(schema), location + ".additionalProperties", correlatable);
    collect(Schemas.items(schema), location + ".items",
        correlatable && "map".equals(Schemas.listType(schema)));
  }
}
