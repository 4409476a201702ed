package io.reducer.testsupport.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class CelCostEstimatorTest {

  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void aRegexOverAnUnboundedListOfUnboundedStringsIsFarOverTheLimit() throws Exception {
    RuleCost cost = only(names("", "", "self.all(n, n.matches('^[a-z]+$'))"));

    // 3 MiB strings, as many as fit into a request: what a real API server refuses to install.
    assertThat(cost.perCall()).isGreaterThan(CelCostEstimator.PER_CALL_LIMIT);
    assertThat(cost.total()).isGreaterThan(CelCostEstimator.STATIC_ESTIMATED_COST_LIMIT);
  }

  @Test
  void anUnboundedStringAloneBlowsTheLimitEvenInABoundedList() throws Exception {
    RuleCost cost = only(names("maxItems: 10", "", "self.all(n, n.matches('^[a-z]+$'))"));

    assertThat(cost.perCall()).isGreaterThan(CelCostEstimator.PER_CALL_LIMIT);
  }

  @Test
  void boundingTheListAndItsStringsBringsTheSameRuleWellUnder() throws Exception {
    RuleCost cost = only(names("maxItems: 10", "maxLength: 64", "self.all(n, n.matches('^[a-z]+$'))"));

    // Per item: loop condition 2, step 1 + ident 1 + matches ceil((256 + 1) * 0.1) * ceil(8 * 0.25) = 52.
    assertThat(cost.perCall()).isEqualTo(1 + 10 * (2 + 1 + 1 + 52) + 1);
    assertThat(cost.cardinality()).isEqualTo(1);
  }

  @Test
  void aRuleOnListItemsIsMultipliedByTheMaxItemsOfEveryEnclosingList() throws Exception {
    List<RuleCost> costs = CelCostEstimator.estimate(YAML.readTree("""
        type: object
        properties:
          groups:
            type: array
            maxItems: 20
            items:
              type: array
              maxItems: 30
              items:
                type: string
                maxLength: 10
                x-kubernetes-validations:
                  - rule: "self.startsWith('a')"
        """));

    assertThat(only(costs).cardinality()).isEqualTo(20 * 30);
    assertThat(only(costs).path()).isEqualTo("groups[][]");
  }

  @Test
  void aRegexOverMapKeysIsOnlyAffordableBehindASizeCheck() throws Exception {
    String map = """
        type: object
        maxProperties: 64
        additionalProperties:
          type: string
          maxLength: 1024
        x-kubernetes-validations:
          - rule: "%s"
        """;
    RuleCost unguarded = only(CelCostEstimator.estimate(YAML.readTree(map.formatted(
        "self.all(k, k.matches('^[a-z.]{1,128}$'))"))));
    RuleCost guardedAfter = only(CelCostEstimator.estimate(YAML.readTree(map.formatted(
        "self.all(k, k.matches('^[a-z.]{1,128}$') && size(k) <= 128)"))));
    RuleCost guarded = only(CelCostEstimator.estimate(YAML.readTree(map.formatted(
        "self.all(k, size(k) <= 128 && k.matches('^[a-z.]{1,128}$'))"))));

    // A key can be as long as a request; && evaluates its right side only when the left holds.
    assertThat(unguarded.total()).isGreaterThan(CelCostEstimator.STATIC_ESTIMATED_COST_LIMIT);
    assertThat(guardedAfter.total()).isGreaterThan(CelCostEstimator.STATIC_ESTIMATED_COST_LIMIT);
    assertThat(guarded.total()).isLessThan(100_000);
  }

  @Test
  void equalityOfUnboundedStringsIsChargedForTheirLength() throws Exception {
    RuleCost cost = only(CelCostEstimator.estimate(YAML.readTree("""
        type: object
        properties:
          name:
            type: string
        x-kubernetes-validations:
          - rule: "self.name == oldSelf.name"
        """)));

    assertThat(cost.perCall()).isGreaterThan(300_000);
  }

  @Test
  void aMessageExpressionIsEstimatedLikeItsRule() throws Exception {
    List<RuleCost> costs = CelCostEstimator.estimate(YAML.readTree("""
        type: string
        x-kubernetes-validations:
          - rule: "size(self) <= 10"
            messageExpression: "'too long: ' + self"
        """));

    assertThat(costs).extracting(RuleCost::rule).containsExactly("size(self) <= 10", "'too long: ' + self");
    // Concatenating an unbounded string traverses it.
    assertThat(costs.get(1).perCall()).isGreaterThan(300_000);
  }

  @Test
  void convertingAStringToBytesTraversesIt() throws Exception {
    RuleCost cost = only(CelCostEstimator.estimate(YAML.readTree("""
        type: string
        maxLength: 256
        x-kubernetes-validations:
          - rule: "size(bytes(self)) <= 256"
        """)));

    // ident 1, bytes ceil(1024 * 0.1) = 103, size 1, <= ceil(1 * 0.1) = 1.
    assertThat(cost.perCall()).isEqualTo(1 + 103 + 1 + 1);
  }

  @Test
  void aFunctionWithoutACostModelIsAnErrorNotAGuess() throws Exception {
    JsonNode schema = YAML.readTree("""
        type: string
        maxLength: 10
        x-kubernetes-validations:
          - rule: "self.lowerAscii() == self"
        """);

    assertThatThrownBy(() -> CelCostEstimator.estimate(schema)).hasMessageContaining("lowerAscii");
  }

  private static List<RuleCost> names(String listBound, String stringBound, String rule) throws Exception {
    return CelCostEstimator.estimate(YAML.readTree("""
        type: object
        properties:
          names:
            type: array
            %s
            items:
              type: string
              %s
            x-kubernetes-validations:
              - rule: "%s"
        """.formatted(listBound, stringBound, rule)));
  }

  private static RuleCost only(List<RuleCost> costs) {
    assertThat(costs).hasSize(1);
    return costs.get(0);
  }
}
