package io.reducer.testsupport.crd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A field path rendered the way the API server renders {@code field.Path}: {@code spec.items[0].name} for object
 * properties and list indices, {@code spec.labels[app]} for keys of a map (additionalProperties).
 */
final class FieldPath {

  private static final FieldPath ROOT = new FieldPath(List.of());

  private final List<String> segments;

  private FieldPath(List<String> segments) {
    this.segments = segments;
  }

  static FieldPath root() {
    return ROOT;
  }

  FieldPath child(String name) {
    return append(segments.isEmpty() ? name : "." + name);
  }

  FieldPath index(int index) {
    return append("[" + index + "]");
  }

  FieldPath key(String key) {
    return append("[" + key + "]");
  }

  boolean isRoot() {
    return segments.isEmpty();
  }

  private FieldPath append(String segment) {
    List<String> next = new ArrayList<>(segments.size() + 1);
    next.addAll(segments);
    next.add(segment);
    return new FieldPath(Collections.unmodifiableList(next));
  }

  /** The root has no name in the API server's output; "&lt;root&gt;" keeps messages readable. */
  @Override
  public String toString() {
    return segments.isEmpty() ? "<root>" : String.join("", segments);
  }
}
