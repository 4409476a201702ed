package io.reducer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.testsupport.ProjectLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

  private static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().collect(Collectors.toList());
    }
  }
}
