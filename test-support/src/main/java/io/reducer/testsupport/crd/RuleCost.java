package io.reducer.testsupport.crd;

/**
 * The estimated worst-case cost of one {@code x-kubernetes-validations} rule.
 *
 * @param path where the rule is, e.g. {@code spec.topics.actions.config}; {@code []} and {@code {}} mark list
 *     items and map values
 * @param rule the CEL expression: a rule or a messageExpression
 * @param perCall the cost of one evaluation
 * @param cardinality how many times it can be evaluated for one object: the product of the maxItems/maxProperties
 *     of the lists and maps it is inside
 */
public record RuleCost(String path, String rule, long perCall, long cardinality) {

  /** What the API server compares with its per-rule limit: one evaluation times the cardinality. */
  public long total() {
    return CelCostModel.saturatedMultiply(perCall, cardinality);
  }

  @Override
  public String toString() {
    return path + ": " + rule + " costs " + perCall + " x " + cardinality + " = " + total();
  }
}
