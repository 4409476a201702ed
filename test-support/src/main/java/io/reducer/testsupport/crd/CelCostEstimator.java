package io.reducer.testsupport.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Estimates the worst-case cost of every CEL rule of a CRD schema as the API server does before it accepts the CRD,
 * so a test can refuse a CRD that a real API server would refuse (or that would fail valid objects at runtime).
 * The model, from apiextensions-apiserver, apiserver/pkg/cel and cel-go:
 *
 * <ul>
 *   <li>each rule's cost (and its messageExpression's) is estimated from the largest values the schema allows
 *       (see {@link ExpressionCost} for the costs of the operations and {@link CelCostModel} for the sizes);
 *       anything unbounded is as large as a 3 MiB request, which makes any traversal of an unbounded string or
 *       list blow the limits;
 *   <li>a rule on list items or map values runs once per item, so its cost is multiplied by the maxItems or
 *       maxProperties of every list and map it is inside;
 *   <li>limits: {@link #PER_CALL_LIMIT} for one evaluation (checked at runtime; a worst-case valid object must stay
 *       under it), {@link #STATIC_ESTIMATED_COST_LIMIT} for one rule times its cardinality and
 *       {@link #STATIC_ESTIMATED_CRD_COST_LIMIT} for the sum over the CRD (both checked when the CRD is written).
 * </ul>
 *
 * <p>It errs on the expensive side: map keys count as unbounded (the API server counts them as empty) and object
 * equality traverses the object's content.
 */
public final class CelCostEstimator {

  public static final long MAX_REQUEST_SIZE_BYTES = CelCostModel.MAX_REQUEST_SIZE_BYTES;
  public static final long PER_CALL_LIMIT = CelCostModel.PER_CALL_LIMIT;
  public static final long STATIC_ESTIMATED_COST_LIMIT = CelCostModel.STATIC_ESTIMATED_COST_LIMIT;
  public static final long STATIC_ESTIMATED_CRD_COST_LIMIT = CelCostModel.STATIC_ESTIMATED_CRD_COST_LIMIT;

  private CelCostEstimator() {
  }

  /** The cost of every rule in an {@code openAPIV3Schema}, outermost first. */
  public static List<RuleCost> estimate(JsonNode openApiV3Schema) {
    List<RuleCost> costs = new ArrayList<>();
    visit("", openApiV3Schema, 1, costs);
    return costs;
  }

  private static RuleCost estimate(String path, String expression, JsonNode schema, long cardinality) {
    try {
      long perCall = ExpressionCost.of(CelEnvironment.check(expression).getExpr(), schema);
      return new RuleCost(path.isEmpty() ? "<root>" : path, expression, perCall, cardinality);
    } catch (CelEnvironment.InvalidExpressionException e) {
      throw new IllegalArgumentException(path + ": " + expression + " does not compile: " + e.getMessage(), e);
    }
  }

  private static void visit(String path, JsonNode schema, long cardinality, List<RuleCost> costs) {
    if (schema == null || !schema.isObject()) {
      return;
    }
    for (JsonNode definition : schema.path("x-kubernetes-validations")) {
      // The API server holds a messageExpression to the same limits as the rule it explains.
      for (String field : List.of("rule", "messageExpression")) {
        if (definition.hasNonNull(field)) {
          costs.add(estimate(path, definition.get(field).asText(), schema, cardinality));
        }
      }
    }
    for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
      visit(path.isEmpty() ? property.getKey() : path + "." + property.getKey(), property.getValue(), cardinality,
          costs);
    }
    long count = CelCostModel.count(schema);
    visit(path + "[]", Schemas.items(schema), CelCostModel.saturatedMultiply(cardinality, count), costs);
    visit(path + "{}", Schemas.additionalProperties(schema), CelCostModel.saturatedMultiply(cardinality, count),
        costs);
  }
}
