package io.reducer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.reducer.testsupport.ProjectLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart's crds/ are copies of the generated crds/ at the repository root, so a regenerated CRD cannot be
 * forgotten in the chart.
 */
class ChartCrdsTest {

  @Test
  void chartCrdsAreExactCopiesOfTheGeneratedOnes() throws IOException {
    Path chartCrds = HelmChart.dir().resolve("crds");
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
        .as("helm/reducer-operator/crds holds exactly the CRDs of crds/; run %s", Committed.UPDATE_COMMAND)
        .containsExactlyElementsOf(generated.stream().map(p -> p.getFileName().toString())
            .collect(Collectors.toList()));
  }

  @Test
  void helmInstallsEveryGeneratedCrdFromTheChart() throws IOException {
    List<CustomResourceDefinition> generated = new ArrayList<>();
    for (Path crd : ProjectLayout.committedCrds()) {
      generated.addAll(crds(Files.readString(crd)));
    }

    // What helm install creates before the templates: the chart's crds/ as Helm reads them.
    List<CustomResourceDefinition> installed = crds(new Helm(HelmChart.dir()).show().crds().call());

    assertThat(installed).extracting(c -> c.getMetadata().getName()).containsExactlyInAnyOrderElementsOf(
        generated.stream().map(c -> c.getMetadata().getName()).collect(Collectors.toList()));
    assertThat(installed).containsExactlyInAnyOrderElementsOf(generated);
  }

  private static List<CustomResourceDefinition> crds(String yaml) {
    return HelmChart.parse(yaml).stream().map(CustomResourceDefinition.class::cast).collect(Collectors.toList());
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
