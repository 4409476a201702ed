package io.reducer.testsupport.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns networknt messages into one-line, path-first messages close to the API server's wording, e.g.
 * {@code spec.table: must match pattern ^[a-z_]+$} or
 * {@code spec.target: Unsupported value: "x": supported values: "a"}.
 */
final class SchemaErrorMessages {

  private final JsonNode rootSchema;

  SchemaErrorMessages(JsonNode rootSchema) {
    this.rootSchema = rootSchema;
  }

  String format(ValidationMessage message) {
    FieldPath path = fieldPath(message.getInstanceLocation());
    JsonNode keywordValue = message.getSchemaNode();
    JsonNode owner = owningSchema(message.getSchemaLocation().getFragment());
    switch (message.getType()) {
      case "required":
        return path.child(message.getProperty()) + ": Required value";
      case "type":
        return path + ": must be of type " + keywordValue.asText() + ", got "
            + jsonType(message.getInstanceNode());
      case "enum":
        return path + ": Unsupported value: " + message.getInstanceNode() + ": supported values: "
            + joined(keywordValue);
      case "pattern":
        return path + ": must match pattern " + keywordValue.asText();
      case "minimum":
        return path + ": must be greater than " + (flag(owner, "exclusiveMinimum") ? "" : "or equal to ")
            + number(keywordValue);
      case "maximum":
        return path + ": must be less than " + (flag(owner, "exclusiveMaximum") ? "" : "or equal to ")
            + number(keywordValue);
      case "minLength":
        return path + ": must be at least " + keywordValue.asText() + " characters long";
      case "maxLength":
        return path + ": must be at most " + keywordValue.asText() + " characters long";
      case "minItems":
        return path + ": must have at least " + keywordValue.asText() + " items";
      case "maxItems":
        return path + ": must have at most " + keywordValue.asText() + " items";
      case "minProperties":
        return path + ": must have at least " + keywordValue.asText() + " properties";
      case "maxProperties":
        return path + ": must have at most " + keywordValue.asText() + " properties";
      case "multipleOf":
        return path + ": must be a multiple of " + number(keywordValue);
      case "format":
        return path + ": must be a valid " + keywordValue.asText() + ", got " + message.getInstanceNode();
      default:
        return path + ": " + withoutLocation(message);
    }
  }

  /** Follows the schema along the instance path: map keys render as {@code [key]}, properties as {@code .name}. */
  private FieldPath fieldPath(JsonNodePath location) {
    FieldPath path = FieldPath.root();
    JsonNode schema = rootSchema;
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer index) {
        path = path.index(index);
        schema = Schemas.items(schema);
      } else {
        String name = String.valueOf(element);
        path = Schemas.isMapKey(schema, name) ? path.key(name) : path.child(name);
        schema = Schemas.childSchema(schema, name);
      }
    }
    return path;
  }

  /** The schema object holding the failed keyword, e.g. to see whether a minimum is exclusive. */
  private JsonNode owningSchema(JsonNodePath fragment) {
    JsonNode node = rootSchema;
    for (int i = 0; i < fragment.getNameCount() - 1 && node != null; i++) {
      Object element = fragment.getElement(i);
      node = element instanceof Integer index ? node.get(index) : node.get(String.valueOf(element));
    }
    return node;
  }

  private static boolean flag(JsonNode schema, String keyword) {
    return schema != null && schema.path(keyword).asBoolean(false);
  }

  /** {@code 0} rather than {@code 0.0}: CRDs loaded through fabric8 carry bounds as doubles. */
  private static String number(JsonNode value) {
    if (!value.isNumber()) {
      return value.asText();
    }
    BigDecimal decimal = value.decimalValue().stripTrailingZeros();
    return decimal.scale() <= 0 ? decimal.toBigInteger().toString() : decimal.toPlainString();
  }

  private static String joined(JsonNode values) {
    List<String> rendered = new ArrayList<>();
    values.forEach(v -> rendered.add(v.toString()));
    return String.join(", ", rendered);
  }

  static String jsonType(JsonNode value) {
    if (value == null || value.isNull()) {
      return "null";
    }
    if (value.isIntegralNumber()) {
      return "integer";
    }
    if (value.isNumber()) {
      return "number";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    return value.isArray() ? "array" : "object";
  }

  /** networknt prefixes its messages with the JSON path; the path is rendered separately here. */
  private static String withoutLocation(ValidationMessage message) {
    String text = message.getMessage();
    String prefix = message.getInstanceLocation() + ": ";
    return text.startsWith(prefix) ? text.substring(prefix.length()) : text;
  }
}
