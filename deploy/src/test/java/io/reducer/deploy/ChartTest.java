package io.reducer.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.reducer.controller.app.OperatorConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The chart rendered by the real Helm library: lint, RBAC per watched namespaces, the Deployment. */
class ChartTest {

  private static final String NS = "reducer-system";
  private static final String OPERATOR_ROLE = HelmChart.RELEASE;
  private static final String LEASE_ROLE = HelmChart.RELEASE + "-leader-election";

  @Test
  void lintPassesStrictly() {
    LintResult result = new Helm(HelmChart.dir()).lint().strict().call();

    assertThat(result.isFailed()).withFailMessage("helm lint --strict: %s", result.getMessages()).isFalse();
  }

  @Test
  void defaultsGrantTheOperatorRulesInTheReleaseNamespaceOnly() {
    Rendered rendered = HelmChart.objects(NS, "");

    assertThat(rendered.clusterRoles()).isEmpty();
    assertThat(rendered.clusterRoleBindings()).isEmpty();
    assertThat(rendered.roles()).extracting(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
        .containsExactlyInAnyOrder(NS + "/" + OPERATOR_ROLE, NS + "/" + LEASE_ROLE);
    assertBoundToServiceAccount(rendered.roleBindings(), NS + "/" + OPERATOR_ROLE, NS + "/" + LEASE_ROLE);
    assertThat(rendered.env()).containsEntry("WATCH_NAMESPACES", NS);
    assertThat(rendered.one(ServiceAccount.class).getMetadata().getName()).isEqualTo(HelmChart.RELEASE);
    assertThat(rendered.objects()).filteredOn(o -> !(o instanceof CustomResourceDefinition))
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(NS));
  }

  @Test
  void aListOfNamespacesGetsARoleAndBindingInEachAndTheLeaseRoleStaysInTheReleaseNamespace() {
    Rendered rendered = HelmChart.objects(NS, "watchNamespaces: [orders, billing, orders]\n");

    assertThat(rendered.clusterRoles()).isEmpty();
    assertThat(rendered.roles()).extracting(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
        .containsExactlyInAnyOrder("orders/" + OPERATOR_ROLE, "billing/" + OPERATOR_ROLE, NS + "/" + LEASE_ROLE);
    assertBoundToServiceAccount(rendered.roleBindings(), "orders/" + OPERATOR_ROLE, "billing/" + OPERATOR_ROLE,
        NS + "/" + LEASE_ROLE);
    assertThat(rendered.env()).containsEntry("WATCH_NAMESPACES", "orders,billing");
    List<Role> operatorRoles = rendered.roles().stream()
        .filter(r -> r.getMetadata().getName().equals(OPERATOR_ROLE)).collect(Collectors.toList());
    assertThat(operatorRoles.get(0).getRules()).isEqualTo(operatorRoles.get(1).getRules());
  }

  @Test
  void allNamespacesGetAClusterRoleWithTheSameRulesAndOnlyTheLeaseRoleIsNamespaced() {
    Rendered rendered = HelmChart.objects(NS, "watchNamespaces: ['*']\n");
    List<PolicyRule> namespacedRules = operatorRules(HelmChart.objects(NS, ""));

    assertThat(rendered.clusterRoles()).singleElement().satisfies(role -> {
      assertThat(role.getMetadata().getName()).isEqualTo(OPERATOR_ROLE);
      assertThat(role.getRules()).isEqualTo(namespacedRules);
    });
    assertThat(rendered.clusterRoleBindings()).singleElement().satisfies(binding -> {
      assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
      assertThat(binding.getRoleRef().getName()).isEqualTo(OPERATOR_ROLE);
      assertThat(binding.getSubjects()).extracting(Subject::getKind, Subject::getName, Subject::getNamespace)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("ServiceAccount", HelmChart.RELEASE, NS));
    });
    assertThat(rendered.roles()).extracting(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
        .containsExactly(NS + "/" + LEASE_ROLE);
    assertThat(rendered.env()).containsEntry("WATCH_NAMESPACES", "*");
  }

  @Test
  void allNamespacesCannotBeMixedWithNamedOnes() {
    assertThatThrownBy(() -> HelmChart.template(NS, "watchNamespaces: ['*', orders]\n"))
        .hasMessageContaining("cannot be combined");
  }

  @Test
  void theLeaseRoleGrantsCreateAndOnlyGetUpdateAndPatchOfTheConfiguredLease() {
    Role lease = HelmChart.objects(NS, "leaderElection: {leaseName: my-lease}\n").roles().stream()
        .filter(r -> r.getMetadata().getName().equals(LEASE_ROLE)).findFirst().orElseThrow();

    assertThat(lease.getRules()).allSatisfy(rule -> {
      assertThat(rule.getApiGroups()).containsExactly("coordination.k8s.io");
      assertThat(rule.getResources()).containsExactly("leases");
    });
    assertThat(lease.getRules()).extracting(PolicyRule::getVerbs, PolicyRule::getResourceNames).containsExactly(
        org.assertj.core.groups.Tuple.tuple(List.of("create"), List.of()),
        org.assertj.core.groups.Tuple.tuple(List.of("get", "update", "patch"), List.of("my-lease")));
  }

  @Test
  void withoutLeaderElectionThereIsNoLeaseRoleOneReplicaAndRecreateUpdates() {
    Rendered rendered = HelmChart.objects(NS, "leaderElection: {enabled: false}\n");

    assertThat(rendered.roles()).extracting(r -> r.getMetadata().getName()).containsExactly(OPERATOR_ROLE);
    assertThat(rendered.env()).containsEntry("LEADER_ELECTION", "false");
    assertThat(rendered.deployment().getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThatThrownBy(() -> HelmChart.template(NS, "leaderElection: {enabled: false}\nreplicaCount: 2\n"))
        .hasMessageContaining("needs leaderElection.enabled");
  }

  @Test
  void withoutRbacServiceAccountOrCrdCreationOnlyTheWorkloadIsRendered() {
    Rendered rendered = HelmChart.objects(NS,
        "rbac: {create: false}\nserviceAccount: {create: false, name: ops}\ncrds: {create: false}\n");

    assertThat(rendered.objects()).extracting(HasMetadata::getKind).containsExactlyInAnyOrder("Service",
        "Deployment");
    assertThat(rendered.deployment().getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("ops");
  }

  @Test
  void thePodMeetsTheRestrictedPodSecurityStandard() {
    Rendered rendered = HelmChart.objects(NS, "");
    PodSpec pod = rendered.deployment().getSpec().getTemplate().getSpec();
    Container container = rendered.container();

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
    assertThat(pod.getContainers()).hasSize(1);
    assertThat(container.getSecurityContext()).satisfies(context -> {
      assertThat(context.getAllowPrivilegeEscalation()).isFalse();
      assertThat(context.getReadOnlyRootFilesystem()).isTrue();
      assertThat(context.getRunAsNonRoot()).isTrue();
      assertThat(context.getPrivileged()).isFalse();
      assertThat(context.getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(context.getCapabilities().getAdd()).isEmpty();
      assertThat(context.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    });
    assertThat(container.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/tmp");
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(container.getResources().getLimits()).containsKey("memory");
  }

  @Test
  void probesAndTheMetricsServiceUseTheHttpPortTheOperatorListensOn() {
    Rendered rendered = HelmChart.objects(NS, "httpPort: 9090\n");
    Container container = rendered.container();

    assertThat(rendered.env()).containsEntry("HTTP_PORT", "9090");
    assertThat(container.getPorts()).singleElement().satisfies(port -> {
      assertThat(port.getName()).isEqualTo("http");
      assertThat(port.getContainerPort()).isEqualTo(9090);
    });
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    Service service = rendered.one(Service.class);
    assertThat(service.getSpec().getPorts()).singleElement().satisfies(port ->
        assertThat(port.getTargetPort().getStrVal()).isEqualTo("http"));
    assertThat(service.getMetadata().getAnnotations()).containsEntry("prometheus.io/port", "9090")
        .containsEntry("prometheus.io/path", "/metrics");
    assertThat(service.getSpec().getSelector())
        .isEqualTo(rendered.deployment().getSpec().getSelector().getMatchLabels());
  }

  @Test
  void theEnvironmentSetsEverySettingOfTheOperatorAndNothingItDoesNotRead() {
    Map<String, String> env = HelmChart.objects(NS, "").env();

    List<String> operatorVariables = OperatorConfig.environmentVariables();
    assertThat(env.keySet()).as("a chart value for every operator setting (OperatorConfig.OPTIONS)")
        .containsAll(operatorVariables);
    assertThat(env.keySet()).filteredOn(name -> !operatorVariables.contains(name))
        .as("variables the operator does not read").containsExactly("JAVA_TOOL_OPTIONS");
    assertThat(env).containsEntry("OPERATOR_NAMESPACE", "fieldRef:metadata.namespace");
  }

  @Test
  void theOperatorAcceptsTheRenderedEnvironment() throws Exception {
    Map<String, String> env = new HashMap<>(HelmChart.objects(NS, String.join("\n",
        "watchNamespaces: [orders, billing]",
        "allowedRegistries: [registry.example.com/team/, mirror.example.com]",
        "workloadsImage: {repository: registry.example.com/team/reducer-workloads, tag: '1.2'}",
        "probeInterval: 30s", "clientTimeout: 10s", "reconcileThreads: 4", "finishedHistoryLimit: 3", "")).env());
    env.put("OPERATOR_NAMESPACE", NS);

    OperatorConfig config = OperatorConfig.parse(List.of(), env, null);

    assertThat(config.watchedNamespaces()).containsExactlyInAnyOrder("orders", "billing");
    assertThat(config.operatorNamespace()).isEqualTo(NS);
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.leaseName()).isEqualTo("reducer-operator-lease");
    assertThat(config.workloadsImage()).isEqualTo("registry.example.com/team/reducer-workloads:1.2");
    assertThat(config.allowedRegistries()).containsExactly("registry.example.com/team/", "mirror.example.com");
    assertThat(config.probeInterval()).hasSeconds(30);
    assertThat(config.clientTimeout()).hasSeconds(10);
    assertThat(config.reconcileThreads()).isEqualTo(4);
    assertThat(config.finishedHistoryLimit()).isEqualTo(3);
    assertThat(config.httpPort()).isEqualTo(8081);
  }

  @Test
  void imagesDefaultToTheChartsAppVersion() {
    Rendered rendered = HelmChart.objects(NS, "");

    assertThat(rendered.container().getImage()).isEqualTo("ghcr.io/reducer-io/reducer-operator:0.1.0");
    assertThat(rendered.env()).containsEntry("WORKLOADS_IMAGE", "ghcr.io/reducer-io/reducer-workloads:0.1.0");
    assertThat(rendered.deployment().getSpec().getReplicas()).isEqualTo(1);
    assertThat(rendered.env()).containsEntry("LEADER_ELECTION", "true");
  }

  private static List<PolicyRule> operatorRules(Rendered rendered) {
    return rendered.roles().stream().filter(r -> r.getMetadata().getName().equals(OPERATOR_ROLE)).findFirst()
        .orElseThrow().getRules();
  }

  private static void assertBoundToServiceAccount(List<RoleBinding> bindings, String... roles) {
    assertThat(bindings).extracting(b -> b.getMetadata().getNamespace() + "/" + b.getRoleRef().getName())
        .containsExactlyInAnyOrder(roles);
    assertThat(bindings).allSatisfy(binding -> {
      assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
        assertThat(subject.getKind()).isEqualTo("ServiceAccount");
        assertThat(subject.getName()).isEqualTo(HelmChart.RELEASE);
        assertThat(subject.getNamespace()).isEqualTo(NS);
      });
    });
  }
}
