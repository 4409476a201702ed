package io.reducer.api.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Compares a document a user wrote with what came back, where the model may add defaults. */
final class JsonSubset {

  private JsonSubset() {
  }

  /** Paths whose value in {@code expected} is absent from or different in {@code actual}. */
  static List<String> missing(JsonNode expected, JsonNode actual, String path) {
    List<String> out = new ArrayList<>();
    if (expected.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode other = actual.get(field.getKey());
        if (other == null) {
          out.add(path + "." + field.getKey());
        } else {
          out.addAll(missing(field.getValue(), other, path + "." + field.getKey()));
        }
      }
    } else if (expected.isArray()) {
      if (!actual.isArray() || actual.size() != expected.size()) {
        out.add(path);
      } else {
        for (int i = 0; i < expected.size(); i++) {
          out.addAll(missing(expected.get(i), actual.get(i), path + "[" + i + "]"));
        }
      }
    } else if (expected.isNumber() && actual.isNumber()) {
      if (expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
        out.add(path);
      }
    } else if (!expected.asText().equals(actual.asText()) || expected.isContainerNode() != actual.isContainerNode()) {
      out.add(path);
    }
    return out;
  }
}
