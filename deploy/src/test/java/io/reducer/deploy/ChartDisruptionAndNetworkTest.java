package io.reducer.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The optional PodDisruptionBudget and NetworkPolicy of the operator's pods, rendered by Helm. */
class ChartDisruptionAndNetworkTest {

  private static final String NS = "reducer-system";

  @Test
  void neitherIsRenderedByDefault() {
    Rendered rendered = HelmChart.objects(NS, "");

    assertThat(rendered.all(PodDisruptionBudget.class)).isEmpty();
    assertThat(rendered.all(NetworkPolicy.class)).isEmpty();
  }

  @Test
  void theDisruptionBudgetSelectsTheOperatorPodsAndLetsOneGoByDefault() {
    Rendered rendered = HelmChart.objects(NS, "podDisruptionBudget: {enabled: true}\n");
    PodDisruptionBudget budget = rendered.one(PodDisruptionBudget.class);

    assertThat(budget.getMetadata().getNamespace()).isEqualTo(NS);
    assertThat(budget.getSpec().getSelector().getMatchLabels())
        .isEqualTo(rendered.deployment().getSpec().getSelector().getMatchLabels());
    assertThat(budget.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
    assertThat(budget.getSpec().getMinAvailable()).isNull();
  }

  @Test
  void minAvailableIsUsedInsteadOfMaxUnavailableAsANumberOrAPercentage() {
    PodDisruptionBudget number = HelmChart.objects(NS,
        "replicaCount: 3\npodDisruptionBudget: {enabled: true, minAvailable: 2}\n").one(PodDisruptionBudget.class);
    PodDisruptionBudget percentage = HelmChart.objects(NS,
        "replicaCount: 2\npodDisruptionBudget: {enabled: true, minAvailable: '50%'}\n")
        .one(PodDisruptionBudget.class);
    PodDisruptionBudget maxPercentage = HelmChart.objects(NS,
        "replicaCount: 2\npodDisruptionBudget: {enabled: true, maxUnavailable: '50%'}\n")
        .one(PodDisruptionBudget.class);

    assertThat(number.getSpec().getMinAvailable()).isEqualTo(new IntOrString(2));
    assertThat(number.getSpec().getMaxUnavailable()).isNull();
    assertThat(percentage.getSpec().getMinAvailable()).isEqualTo(new IntOrString("50%"));
    assertThat(maxPercentage.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString("50%"));
  }

  @Test
  void aBudgetThatWouldBlockEveryDrainOrSetsNeitherBoundIsRefused() {
    assertThatThrownBy(() -> HelmChart.template(NS, "podDisruptionBudget: {enabled: true, minAvailable: 1}\n"))
        .hasMessageContaining("would block every node drain");
    assertThatThrownBy(() -> HelmChart.template(NS, "podDisruptionBudget: {enabled: true, maxUnavailable: null}\n"))
        .hasMessageContaining("set minAvailable or maxUnavailable");
  }

  @Test
  void theNetworkPolicyAdmitsOnlyTheHttpPortAndLeavesEgressOpenByDefault() {
    Rendered rendered = HelmChart.objects(NS, "networkPolicy: {enabled: true}\n");
    NetworkPolicy policy = rendered.one(NetworkPolicy.class);

    assertThat(policy.getMetadata().getNamespace()).isEqualTo(NS);
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(rendered.deployment().getSpec().getSelector().getMatchLabels());
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(policy.getSpec().getEgress()).isEmpty();
    assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
      assertThat(rule.getFrom()).isEmpty();
      assertThat(rule.getPorts()).extracting(NetworkPolicyPort::getPort, NetworkPolicyPort::getProtocol)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(new IntOrString("http"), "TCP"));
    });
    assertThat(rendered.container().getPorts()).extracting(p -> p.getName()).containsExactly("http");
  }

  @Test
  void ingressSourcesAreTheConfiguredPeers() {
    NetworkPolicy policy = HelmChart.objects(NS, String.join("\n",
        "networkPolicy:",
        "  enabled: true",
        "  ingressFrom:",
        "    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}",
        "      podSelector: {matchLabels: {app.kubernetes.io/name: prometheus}}",
        "")).one(NetworkPolicy.class);

    assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule ->
        assertThat(rule.getFrom()).singleElement().satisfies(peer -> {
          assertThat(peer.getNamespaceSelector().getMatchLabels())
              .containsEntry("kubernetes.io/metadata.name", "monitoring");
          assertThat(peer.getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", "prometheus");
        }));
  }

  @Test
  void restrictedEgressAllowsDnsAndTheConfiguredRulesOnly() {
    NetworkPolicy policy = HelmChart.objects(NS, String.join("\n",
        "networkPolicy:",
        "  enabled: true",
        "  egress:",
        "    restricted: true",
        "    rules:",
        "      - to: [{ipBlock: {cidr: 10.96.0.1/32}}]",
        "        ports: [{port: 443, protocol: TCP}]",
        "      - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kafka}}}]",
        "        ports: [{port: 9092, protocol: TCP}]",
        "")).one(NetworkPolicy.class);

    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    List<NetworkPolicyEgressRule> egress = policy.getSpec().getEgress();
    assertThat(egress).hasSize(3);
    assertThat(egress.get(0).getTo()).isEmpty();
    assertThat(egress.get(0).getPorts()).extracting(NetworkPolicyPort::getPort, NetworkPolicyPort::getProtocol)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(new IntOrString(53), "UDP"),
            org.assertj.core.groups.Tuple.tuple(new IntOrString(53), "TCP"));
    assertThat(egress.get(1).getTo().get(0).getIpBlock().getCidr()).isEqualTo("10.96.0.1/32");
    assertThat(egress.get(2).getPorts().get(0).getPort()).isEqualTo(new IntOrString(9092));

    NetworkPolicy withoutDns = HelmChart.objects(NS, "networkPolicy: {enabled: true, egress: {restricted: true, "
        + "allowDns: false, rules: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}]}]}}\n").one(NetworkPolicy.class);
    assertThat(withoutDns.getSpec().getEgress()).singleElement()
        .satisfies(rule -> assertThat(rule.getPorts()).isEmpty());
  }

  @Test
  void restrictedEgressWithoutRulesIsRefusedBecauseTheOperatorCouldReachNothing() {
    assertThatThrownBy(() -> HelmChart.template(NS, "networkPolicy: {enabled: true, egress: {restricted: true}}\n"))
        .hasMessageContaining("needs egress.rules");
  }
}
