package io.reducer.testsupport.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/** Identity of items in {@code x-kubernetes-list-type: map} lists, by their {@code x-kubernetes-list-map-keys}. */
final class ListItems {

  private ListItems() {
  }

  /** The item of {@code list} whose map keys equal those of {@code item}, or null. */
  static JsonNode findByKeys(JsonNode list, JsonNode item, List<String> keys) {
    if (list == null || !list.isArray()) {
      return null;
    }
    for (JsonNode candidate : list) {
      if (sameKeys(candidate, item, keys)) {
        return candidate;
      }
    }
    return null;
  }

  static boolean sameKeys(JsonNode a, JsonNode b, List<String> keys) {
    for (String key : keys) {
      if (!Objects.equals(a.get(key), b.get(key))) {
        return false;
      }
    }
    return true;
  }
}
