package io.reducer.testsupport.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the structural parts of an OpenAPI v3 schema node of a CRD. Only {@code properties},
 * {@code additionalProperties} and {@code items} define structure; the API server ignores the logical junctors
 * ({@code allOf}, {@code anyOf}, ...) when pruning and when binding CEL rules, and so does this package.
 */
final class Schemas {

  private Schemas() {
  }

  static String type(JsonNode schema) {
    return schema == null ? "" : schema.path("type").asText("");
  }

  /** The schema of a declared property, or null. */
  static JsonNode property(JsonNode schema, String name) {
    if (schema == null) {
      return null;
    }
    JsonNode props = schema.get("properties");
    return props != null && props.isObject() ? props.get(name) : null;
  }

  static boolean hasProperties(JsonNode schema) {
    return schema != null && schema.path("properties").isObject();
  }

  /** The value schema of a map ({@code additionalProperties: {...}}), or null. */
  static JsonNode additionalProperties(JsonNode schema) {
    if (schema == null) {
      return null;
    }
    JsonNode additional = schema.get("additionalProperties");
    return additional != null && additional.isObject() ? additional : null;
  }

  /** The item schema of a list, or null. */
  static JsonNode items(JsonNode schema) {
    if (schema == null) {
      return null;
    }
    JsonNode items = schema.get("items");
    return items != null && items.isObject() ? items : null;
  }

  /** The schema of the value under {@code name} in an object: a declared property or a map value. */
  static JsonNode childSchema(JsonNode schema, String name) {
    JsonNode property = property(schema, name);
    return property != null ? property : additionalProperties(schema);
  }

  /** True when {@code name} is addressed as a map key ({@code [name]}) rather than a property. */
  static boolean isMapKey(JsonNode schema, String name) {
    return property(schema, name) == null && additionalProperties(schema) != null;
  }

  static boolean nullable(JsonNode schema) {
    return schema != null && schema.path("nullable").asBoolean(false);
  }

  static boolean preservesUnknownFields(JsonNode schema) {
    return schema != null && (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
        || schema.path("additionalProperties").asBoolean(false));
  }

  static boolean embeddedResource(JsonNode schema) {
    return schema != null && schema.path("x-kubernetes-embedded-resource").asBoolean(false);
  }

  static String listType(JsonNode schema) {
    return schema == null ? "" : schema.path("x-kubernetes-list-type").asText("");
  }

  static List<String> listMapKeys(JsonNode schema) {
    List<String> keys = new ArrayList<>();
    if (schema != null) {
      schema.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asText()));
    }
    return keys;
  }
}
