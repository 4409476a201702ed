package io.reducer.testsupport.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The {@code fieldPath} of a validation rule ({@code .spec.offsets}, {@code .labels['app.kubernetes.io/name']},
 * {@code .items[0]}), checked against the schema when the CRD is loaded, as the API server checks it on CRD creation.
 */
final class RuleFieldPath {

  private final List<UnaryOperator<FieldPath>> steps;

  private RuleFieldPath(List<UnaryOperator<FieldPath>> steps) {
    this.steps = steps;
  }

  static RuleFieldPath none() {
    return new RuleFieldPath(List.of());
  }

  /** Throws IllegalArgumentException naming what is wrong with the path. */
  static RuleFieldPath parse(String text, JsonNode schema) {
    List<UnaryOperator<FieldPath>> steps = new ArrayList<>();
    JsonNode current = schema;
    int i = 0;
    while (i < text.length()) {
      String name;
      boolean indexed;
      if (text.charAt(i) == '.') {
        int end = i + 1;
        while (end < text.length() && text.charAt(end) != '.' && text.charAt(end) != '[') {
          end++;
        }
        name = text.substring(i + 1, end);
        indexed = false;
        i = end;
      } else if (text.charAt(i) == '[') {
        int close = text.indexOf(']', i);
        if (close < 0) {
          throw new IllegalArgumentException("unclosed '[' in " + text);
        }
        name = text.substring(i + 1, close);
        indexed = true;
        i = close + 1;
      } else {
        throw new IllegalArgumentException("expected '.' or '[' at position " + i + " of " + text);
      }
      if (name.isEmpty()) {
        throw new IllegalArgumentException("empty segment in " + text);
      }
      if (indexed && name.matches("\\d+")) {
        JsonNode items = Schemas.items(current);
        if (items == null) {
          throw new IllegalArgumentException(text + ": [" + name + "] does not address a list");
        }
        int index = Integer.parseInt(name);
        steps.add(path -> path.index(index));
        current = items;
        continue;
      }
      String field = indexed ? unquote(name, text) : name;
      JsonNode child = Schemas.childSchema(current, field);
      if (child == null) {
        throw new IllegalArgumentException(text + ": field " + field + " is not declared in the schema");
      }
      boolean mapKey = Schemas.isMapKey(current, field);
      steps.add(path -> mapKey ? path.key(field) : path.child(field));
      current = child;
    }
    return new RuleFieldPath(List.copyOf(steps));
  }

  FieldPath appendTo(FieldPath base) {
    FieldPath path = base;
    for (UnaryOperator<FieldPath> step : steps) {
      path = step.apply(path);
    }
    return path;
  }

  private static String unquote(String quoted, String text) {
    if (quoted.length() >= 2 && (quoted.startsWith("'") && quoted.endsWith("'")
        || quoted.startsWith("\"") && quoted.endsWith("\""))) {
      return quoted.substring(1, quoted.length() - 1);
    }
    throw new IllegalArgumentException(text + ": [" + quoted + "] must be a quoted name or a list index");
  }
}
