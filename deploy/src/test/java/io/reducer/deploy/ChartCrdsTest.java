package io.reducer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.testsupport.ProjectLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart ships the CRDs as templates (templates/crds.yaml renders files/crds/), so that helm upgrade upgrades
 * them. files/crds/ are copies of the generated crds/ at the repository root, so a regenerated CRD cannot be
 * forgotten in the chart, and the rendered CRDs are those files with only labels and the keep policy added.
 */
class ChartCrdsTest {

  private static final String NS = "reducer-system";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @Test
  void chartCrdFilesAreExactCopiesOfTheGeneratedOnes() throws IOException {
    Path chartCrds = HelmChart.dir().resolve("files").resolve("crds");
    List<Path> generated = ProjectLayout.committedCrds();
    assertThat(generated).isNotEmpty();
    if (Committed.updating()) {
      for (Path stale : list(chartCrds)) {
        Files.delete(stale);
      }
    }
    for (Path crd : generated) {
      Committed.assertCurrent(chartCrds.resolve(crd.getFileName()), Files.readString(crd));
    }
    assertThat(list(chartCrds)).extracting(p -> p.getFileName().toString())
        .as("helm/reducer-operator/files/crds holds exactly the CRDs of crds/; run %s", Committed.UPDATE_COMMAND)
        .containsExactlyElementsOf(generated.stream().map(p -> p.getFileName().toString())
            .collect(Collectors.toList()));
  }

  @Test
  void theChartRendersEveryGeneratedCrdUnchangedButForItsLabelsAndTheKeepPolicy() throws IOException {
    List<CustomResourceDefinition> generated = new ArrayList<>();
    for (Path crd : ProjectLayout.committedCrds()) {
      generated.add(withoutLabelsAndAnnotations(
          SERIALIZATION.unmarshal(Files.readString(crd), CustomResourceDefinition.class)));
    }

    List<CustomResourceDefinition> rendered = HelmChart.objects(NS, "").all(CustomResourceDefinition.class);

    assertThat(rendered).allSatisfy(crd -> {
      assertThat(crd.getMetadata().getAnnotations()).as("helm uninstall must never delete a CRD")
          .isEqualTo(Map.of("helm.sh/resource-policy", "keep"));
      assertThat(crd.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "Helm")
          .containsEntry("app.kubernetes.io/instance", HelmChart.RELEASE);
      assertThat(crd.getMetadata().getNamespace()).isNull();
    });
    List<CustomResourceDefinition> withoutChartMetadata = rendered.stream()
        .map(crd -> withoutLabelsAndAnnotations(SERIALIZATION.clone(crd))).collect(Collectors.toList());
    assertThat(withoutChartMetadata).containsExactlyInAnyOrderElementsOf(generated);
  }

  private static CustomResourceDefinition withoutLabelsAndAnnotations(CustomResourceDefinition crd) {
    crd.getMetadata().setLabels(null);
    crd.getMetadata().setAnnotations(null);
    return crd;
  }

  @Test
  void crdsCreateFalseRendersNoCrd() {
    assertThat(HelmChart.objects(NS, "crds: {create: false}\n").all(CustomResourceDefinition.class)).isEmpty();
  }

  /**
   * A crds/ directory would make Helm create the CRDs before the templates on the first install, and the templates'
   * copies would then fail as objects the release does not own.
   */
  @Test
  void theChartHasNoCrdsDirectoryForHelmToInstallOnceAndNeverUpgrade() {
    assertThat(HelmChart.dir().resolve("crds")).doesNotExist();
    assertThat(new Helm(HelmChart.dir()).show().crds().call()).isBlank();
  }

  private static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().collect(Collectors.toList());
    }
  }
}
