package io.reducer.testsupport.crd;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The numbers of the Kubernetes CEL cost model (apiextensions-apiserver validation, apiserver/pkg/cel and cel-go's
 * checker/cost.go) and the worst-case sizes it derives from a schema. Costs saturate at {@link Long#MAX_VALUE}
 * instead of overflowing, like cel-go's.
 *
 * <p>Sizes are in bytes, as the API server counts them: a string with {@code maxLength} n may be 4n bytes (one
 * code point is up to 4 bytes in UTF-8). Whatever the schema does not bound is as large as a request can make it:
 * {@link #MAX_REQUEST_SIZE_BYTES}, so an unbounded string costs about 3 MiB per traversal.
 */
final class CelCostModel {

  /** The API server's default request size limit; the bound of everything the schema leaves open. */
  static final long MAX_REQUEST_SIZE_BYTES = 3L * 1024 * 1024;
  /** Runtime limit of one evaluation of one rule: about 0.1 s. */
  static final long PER_CALL_LIMIT = 1_000_000L;
  /** Largest static estimate of one rule, times the number of times it can run in one object. */
  static final long STATIC_ESTIMATED_COST_LIMIT = 10_000_000L;
  /** Largest sum of the static estimates of all the rules of a CRD. */
  static final long STATIC_ESTIMATED_CRD_COST_LIMIT = 100_000_000L;

  /** Cost per byte of a string traversal (size comparisons, equality, startsWith, concatenation). */
  static final double STRING_TRAVERSAL_COST_FACTOR = 0.1;
  /** Cost per byte of a regular expression; multiplied by the traversal cost of the matched string. */
  static final double REGEX_STRING_LENGTH_COST_FACTOR = 0.25;
  static final long SELECT_AND_IDENT_COST = 1;
  static final long LIST_CREATE_BASE_COST = 10;
  static final long MAP_CREATE_BASE_COST = 30;

  private CelCostModel() {
  }

  /**
   * Worst-case size of a value of {@code schema}: the byte length of a string, the count of a list or map, 1 for a
   * scalar. For an object (compared with {@code ==}) the sum of what it holds, never more than a request.
   */
  static long size(JsonNode schema) {
    if (schema == null) {
      return MAX_REQUEST_SIZE_BYTES;
    }
    switch (Schemas.type(schema)) {
      case "string":
        return stringSize(schema);
      case "array":
        return count(schema);
      case "object":
        if (Schemas.additionalProperties(schema) != null) {
          return count(schema);
        }
        return Math.min(content(schema), MAX_REQUEST_SIZE_BYTES);
      default:
        return 1;
    }
  }

  /** Most items of a list or entries of a map: maxItems/maxProperties, else what fits into a request. */
  static long count(JsonNode schema) {
    if (Schemas.items(schema) != null) {
      return schema.has("maxItems") ? schema.get("maxItems").asLong()
          : (MAX_REQUEST_SIZE_BYTES - 2) / (minSerializedSize(Schemas.items(schema)) + 1);
    }
    if (Schemas.additionalProperties(schema) != null) {
      // 6: a key of at least "" plus colon, comma and the smallest value, as the API server counts it.
      return schema.has("maxProperties") ? schema.get("maxProperties").asLong()
          : (MAX_REQUEST_SIZE_BYTES - 2) / (minSerializedSize(Schemas.additionalProperties(schema)) + 6);
    }
    return 1;
  }

  /** Byte length of a map key: the schema cannot bound it, so it is as long as a request. */
  static long mapKeySize() {
    return MAX_REQUEST_SIZE_BYTES - 2;
  }

  private static long stringSize(JsonNode schema) {
    if (schema.has("maxLength")) {
      return saturatedMultiply(schema.get("maxLength").asLong(), 4);
    }
    if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) {
      long longest = 0;
      for (JsonNode value : schema.get("enum")) {
        longest = Math.max(longest, value.asText().length());
      }
      return longest;
    }
    return MAX_REQUEST_SIZE_BYTES - 2;
  }

  /** What an equality check of the object traverses: its strings' bytes and one unit per scalar. */
  private static long content(JsonNode schema) {
    long sum = 0;
    JsonNode props = schema.path("properties");
    for (JsonNode child : props) {
      String type = Schemas.type(child);
      long each = "object".equals(type) && Schemas.additionalProperties(child) == null ? content(child)
          : "array".equals(type) ? saturatedMultiply(count(child), size(Schemas.items(child)))
          : "object".equals(type) ? saturatedMultiply(count(child),
              saturatedAdd(mapKeySize(), size(Schemas.additionalProperties(child))))
          : size(child);
      sum = saturatedAdd(sum, each);
    }
    return sum;
  }

  /** The smallest JSON a value of the schema can be written as; smaller means more items fit in a request. */
  private static long minSerializedSize(JsonNode schema) {
    switch (Schemas.type(schema)) {
      case "string":
      case "array":
      case "object":
        return 2;
      case "boolean":
        return 4;
      default:
        return 1;
    }
  }

  /** {@code size * factor} rounded up, as cel-go's MultiplyByCostFactor. */
  static long multiplyByCostFactor(long size, double factor) {
    double product = Math.ceil(size * factor);
    return product >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) product;
  }

  static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  static long saturatedMultiply(long a, long b) {
    if (a == 0 || b == 0) {
      return 0;
    }
    return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
  }
}
