package io.reducer.testsupport.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates the rules of a {@link CelRuleSet} at every level where a value is present, with {@code self} bound to
 * that value and {@code oldSelf} to the correlated old value: same property, same map key, or the list item with
 * the same {@code x-kubernetes-list-map-keys}. Items of other lists have no old value, as in the API server.
 */
final class CelRuleWalker {

  private final CelRuleSet rules;
  private final List<String> errors = new ArrayList<>();

  private CelRuleWalker(CelRuleSet rules) {
    this.rules = rules;
  }

  /** @param oldObject the stored object on update, null on create */
  static List<String> check(CelRuleSet rules, JsonNode rootSchema, JsonNode object, JsonNode oldObject) {
    CelRuleWalker walker = new CelRuleWalker(rules);
    walker.visit(rootSchema, object, oldObject, FieldPath.root(), true);
    return List.copyOf(walker.errors);
  }

  private void visit(JsonNode schema, JsonNode value, JsonNode old, FieldPath path, boolean resourceRoot) {
    if (schema == null || absent(value)) {
      return;
    }
    JsonNode oldValue = absent(old) ? null : old;
    List<CelRule> here = rules.rulesFor(schema);
    if (!here.isEmpty()) {
      Object self = CelValues.toCel(value, schema, resourceRoot);
      Object oldSelf = oldValue == null ? null : CelValues.toCel(oldValue, schema, resourceRoot);
      for (CelRule rule : here) {
        if (rule.appliesTo(oldValue != null)) {
          rule.check(self, oldSelf, path).ifPresent(errors::add);
        }
      }
    }
    if (value.isObject()) {
      value.properties().forEach(field -> {
        String name = field.getKey();
        JsonNode childSchema = Schemas.childSchema(schema, name);
        FieldPath childPath = Schemas.isMapKey(schema, name) ? path.key(name) : path.child(name);
        JsonNode childOld = oldValue == null ? null : oldValue.get(name);
        visit(childSchema, field.getValue(), childOld, childPath, Schemas.embeddedResource(childSchema));
      });
    } else if (value.isArray()) {
      JsonNode items = Schemas.items(schema);
      List<String> mapKeys = "map".equals(Schemas.listType(schema)) ? Schemas.listMapKeys(schema) : null;
      for (int i = 0; i < value.size(); i++) {
        JsonNode item = value.get(i);
        JsonNode itemOld = mapKeys == null ? null : ListItems.findByKeys(oldValue, item, mapKeys);
        visit(items, item, itemOld, path.index(i), Schemas.embeddedResource(items));
      }
    }
  }

  private static boolean absent(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }
}
