package io.reducer.testsupport.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The API server's uniqueness checks for {@code x-kubernetes-list-type: set} (no duplicate items) and
 * {@code map} (no two items with the same {@code x-kubernetes-list-map-keys}), which JSON Schema cannot express.
 */
final class ListTypeCheck {

  private final List<String> errors = new ArrayList<>();

  private ListTypeCheck() {
  }

  static List<String> check(JsonNode rootSchema, JsonNode object) {
    ListTypeCheck check = new ListTypeCheck();
    check.visit(rootSchema, object, FieldPath.root());
    return List.copyOf(check.errors);
  }

  private void visit(JsonNode schema, JsonNode value, FieldPath path) {
    if (schema == null || value == null) {
      return;
    }
    if (value.isObject()) {
      value.properties().forEach(field -> visit(Schemas.childSchema(schema, field.getKey()), field.getValue(),
          Schemas.isMapKey(schema, field.getKey()) ? path.key(field.getKey()) : path.child(field.getKey())));
    } else if (value.isArray()) {
      checkUnique(schema, value, path);
      for (int i = 0; i < value.size(); i++) {
        visit(Schemas.items(schema), value.get(i), path.index(i));
      }
    }
  }

  private void checkUnique(JsonNode schema, JsonNode list, FieldPath path) {
    String listType = Schemas.listType(schema);
    List<String> keys = Schemas.listMapKeys(schema);
    for (int i = 0; i < list.size(); i++) {
      for (int j = 0; j < i; j++) {
        if ("set".equals(listType) && list.get(i).equals(list.get(j))) {
          errors.add(path.index(i) + ": Duplicate value: " + list.get(i));
          break;
        }
        if ("map".equals(listType) && ListItems.sameKeys(list.get(i), list.get(j), keys)) {
          errors.add(path.index(i) + ": Duplicate value: " + keyValues(list.get(i), keys));
          break;
        }
      }
    }
  }

  private static String keyValues(JsonNode item, List<String> keys) {
    StringBuilder text = new StringBuilder("{");
    for (String key : keys) {
      text.append(text.length() > 1 ? ", " : "").append('"').append(key).append("\":").append(item.get(key));
    }
    return text.append('}').toString();
  }
}
