package io.reducer.testsupport.crd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Converts JSON into the values CEL sees for {@code self}, following the schema as the API server does: objects
 * become maps with string keys, arrays lists, {@code integer} fields Long, {@code number} fields Double.
 * Declared property names are escaped the way Kubernetes exposes them to CEL ({@code foo-bar} is
 * {@code self.foo__dash__bar}); map keys are not.
 */
final class CelValues {

  private static final Set<String> CEL_RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const",
      "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return",
      "var", "void", "while");

  private static final Pattern ESCAPABLE = Pattern.compile("[a-zA-Z_.\\-/][a-zA-Z0-9_.\\-/]*");

  /** At the resource root, rules can only see these two fields of metadata. */
  private static final Set<String> ROOT_METADATA_FIELDS = Set.of("name", "generateName");

  private CelValues() {
  }

  static Object toCel(JsonNode value, JsonNode schema, boolean resourceRoot) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return NullValue.NULL_VALUE;
    }
    if (value.isObject()) {
      return object(value, schema, resourceRoot);
    }
    if (value.isArray()) {
      List<Object> list = new ArrayList<>(value.size());
      JsonNode items = Schemas.items(schema);
      value.forEach(item -> list.add(toCel(item, items, Schemas.embeddedResource(items))));
      return Collections.unmodifiableList(list);
    }
    if (value.isNumber()) {
      boolean declaredNumber = "number".equals(Schemas.type(schema));
      return value.isIntegralNumber() && value.canConvertToLong() && !declaredNumber
          ? (Object) value.longValue()
          : (Object) value.doubleValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    return value.asText();
  }

  private static Map<String, Object> object(JsonNode value, JsonNode schema, boolean resourceRoot) {
    Map<String, Object> map = new LinkedHashMap<>();
    value.properties().forEach(field -> {
      String name = field.getKey();
      JsonNode childSchema = Schemas.property(schema, name);
      if (resourceRoot && "metadata".equals(name)) {
        map.put(name, rootMetadata(field.getValue()));
      } else if (childSchema != null) {
        escape(name).ifPresent(escaped -> map.put(escaped, toCel(field.getValue(), childSchema,
            Schemas.embeddedResource(childSchema))));
      } else {
        // Map entries, preserved unknown fields and apiVersion/kind: keys as they are.
        map.put(name, toCel(field.getValue(), Schemas.additionalProperties(schema), false));
      }
    });
    return Collections.unmodifiableMap(map);
  }

  private static Map<String, Object> rootMetadata(JsonNode metadata) {
    Map<String, Object> map = new LinkedHashMap<>();
    ROOT_METADATA_FIELDS.forEach(name -> {
      if (metadata.hasNonNull(name)) {
        map.put(name, metadata.get(name).asText());
      }
    });
    return Collections.unmodifiableMap(map);
  }

  /** Kubernetes' escaping of property names into CEL identifiers; empty when the name is not accessible. */
  static Optional<String> escape(String name) {
    if (CEL_RESERVED.contains(name)) {
      return Optional.of("__" + name + "__");
    }
    if (!ESCAPABLE.matcher(name).matches()) {
      return Optional.empty();
    }
    return Optional.of(name.replace("__", "__underscores__")
        .replace(".", "__dot__")
        .replace("-", "__dash__")
        .replace("/", "__slash__"));
  }
}
