package io.reducer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.reducer.testsupport.ProjectLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * manifests/install/reducer-operator.yaml, the kubectl-apply install, is the chart rendered with its default values
 * in namespace reducer-system (its CRDs are templates), after the Namespace itself.
 */
class InstallManifestTest {

  static final String NAMESPACE = "reducer-system";

  static Path file() {
    return ProjectLayout.root().resolve("manifests").resolve("install").resolve("reducer-operator.yaml");
  }

  /** What the install file must hold. */
  static String render() {
    String header = String.join("\n",
        "# reducer-operator: everything `kubectl apply -f` needs to run the operator in namespace " + NAMESPACE + ":",
        "# the namespace, the CRDs, the ServiceAccount, RBAC, the Deployment and its metrics Service. It watches",
        "# " + NAMESPACE + " only; use the Helm chart (docs/install.md) to watch other namespaces or to change a "
            + "value.",
        "#",
        "# Generated from helm/reducer-operator: the Namespace, then the chart's templates (the CRDs among them) with",
        "# default values as `helm template " + HelmChart.RELEASE + " helm/reducer-operator --namespace " + NAMESPACE
            + "` renders them.",
        "# Do not edit. Regenerate with: " + Committed.UPDATE_COMMAND,
        "---",
        "apiVersion: v1",
        "kind: Namespace",
        "metadata:",
        "  name: " + NAMESPACE,
        "  labels:",
        "    # Every pod here, the operator's and the materializers', meets the restricted Pod Security Standard.",
        "    pod-security.kubernetes.io/enforce: restricted",
        "");
    return header + HelmChart.template(NAMESPACE, "");
  }

  @Test
  void theInstallFileIsTheChartRenderedWithDefaults() {
    Committed.assertCurrent(file(), render());
  }

  @Test
  void theInstallFileHoldsTheNamespaceTheCrdsAndTheChartsObjects() {
    List<HasMetadata> objects = HelmChart.parse(render());

    assertThat(objects.get(0)).isInstanceOf(Namespace.class);
    assertThat(objects).filteredOn(CustomResourceDefinition.class::isInstance).extracting(o -> o.getMetadata()
        .getName()).containsExactlyInAnyOrder("dlqreplays.reducer.io", "projections.reducer.io",
            "reducerpipelines.reducer.io", "watermarkresets.reducer.io");
    // Helm's install order: the Namespace first (the file's own), the CRDs before the operator that watches them.
    assertThat(objects).extracting(HasMetadata::getKind).containsSubsequence("Namespace",
        "CustomResourceDefinition", "Deployment");
    assertThat(objects.stream().map(HasMetadata::getKind).collect(Collectors.toSet())).containsExactlyInAnyOrder(
        "Namespace", "CustomResourceDefinition", "ServiceAccount", "Role", "RoleBinding", "Service", "Deployment");
    assertThat(objects).filteredOn(o -> !(o instanceof Namespace) && !(o instanceof CustomResourceDefinition))
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(NAMESPACE));
  }
}
