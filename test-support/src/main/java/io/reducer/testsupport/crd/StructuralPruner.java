package io.reducer.testsupport.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Does what the API server does to a custom resource before validating it: drops fields the structural schema
 * does not declare (unless {@code x-kubernetes-preserve-unknown-fields}), replaces nulls of non-nullable fields
 * by their default or drops them, and fills in {@code default} values. The input is not modified.
 */
final class StructuralPruner {

  /** Fields the API server always keeps at the root and in embedded resources; ObjectMeta has its own rules. */
  private static final Set<String> TYPE_AND_OBJECT_META = Set.of("apiVersion", "kind", "metadata");

  private final List<String> pruned = new ArrayList<>();

  private StructuralPruner() {
  }

  /** The pruned and defaulted copy of {@code object}, plus the paths of everything silently dropped. */
  static Result prune(JsonNode rootSchema, JsonNode object) {
    StructuralPruner pruner = new StructuralPruner();
    JsonNode copy = object.deepCopy();
    pruner.visit(rootSchema, copy, FieldPath.root(), true);
    return new Result(copy, List.copyOf(pruner.pruned));
  }

  record Result(JsonNode object, List<String> prunedFields) {
  }

  private void visit(JsonNode schema, JsonNode value, FieldPath path, boolean resourceRoot) {
    if (schema == null || value == null) {
      return;
    }
    if (value.isObject()) {
      visitObject(schema, (ObjectNode) value, path, resourceRoot);
    } else if (value.isArray()) {
      JsonNode items = Schemas.items(schema);
      ArrayNode array = (ArrayNode) value;
      for (int i = 0; i < array.size(); i++) {
        visit(items, array.get(i), path.index(i), Schemas.embeddedResource(items));
      }
    }
  }

  private void visitObject(JsonNode schema, ObjectNode object, FieldPath path, boolean resourceRoot) {
    for (String name : fieldNames(object)) {
      if (resourceRoot && TYPE_AND_OBJECT_META.contains(name)) {
        continue;
      }
      JsonNode childSchema = Schemas.childSchema(schema, name);
      FieldPath childPath = Schemas.isMapKey(schema, name) ? path.key(name) : path.child(name);
      if (childSchema == null) {
        if (!Schemas.preservesUnknownFields(schema)) {
          object.remove(name);
          pruned.add(childPath.toString());
        }
        continue;
      }
      if (object.get(name).isNull() && !Schemas.nullable(childSchema)) {
        if (childSchema.has("default")) {
          object.set(name, childSchema.get("default").deepCopy());
        } else {
          object.remove(name);
          pruned.add(childPath.toString());
          continue;
        }
      }
      visit(childSchema, object.get(name), childPath, Schemas.embeddedResource(childSchema));
    }
    applyDefaults(schema, object, path);
  }

  private void applyDefaults(JsonNode schema, ObjectNode object, FieldPath path) {
    JsonNode properties = schema.get("properties");
    if (properties == null || !properties.isObject()) {
      return;
    }
    properties.properties().forEach(entry -> {
      JsonNode defaultValue = entry.getValue().get("default");
      if (defaultValue != null && !object.has(entry.getKey())) {
        object.set(entry.getKey(), defaultValue.deepCopy());
        // Defaults are themselves pruned and defaulted, as the API server does at CRD creation.
        visit(entry.getValue(), object.get(entry.getKey()), path.child(entry.getKey()),
            Schemas.embeddedResource(entry.getValue()));
      }
    });
  }

  /** A snapshot of the names, so fields can be removed while iterating. */
  private static List<String> fieldNames(ObjectNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
