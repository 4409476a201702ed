package io.reducer.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns the fabric8 generator's output into the CRDs committed under crds/. The only change is the order of
 * the printer columns: the generator sorts them by JSON path, while kubectl shows them in CRD order, so they
 * are put back in the order the model declares them (AGE last, as kubectl users expect).
 */
final class PublishedCrds {

  static final String HEADER = "# Generated from the operator/api model by the fabric8 CRD generator; do not edit.\n"
      + "# Regenerate with: mvn -pl operator/api -am verify -Dcrds.update=true\n";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private PublishedCrds() {
  }

  static String render(Path generatedCrd) throws IOException {
    CustomResourceDefinition crd =
        SERIALIZATION.unmarshal(Files.readString(generatedCrd), CustomResourceDefinition.class);
    List<String> declared = Arrays.stream(Kinds.byKind(crd.getSpec().getNames().getKind())
        .getAnnotationsByType(AdditionalPrinterColumn.class)).map(AdditionalPrinterColumn::name)
        .collect(Collectors.toList());
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      List<CustomResourceColumnDefinition> columns = version.getAdditionalPrinterColumns();
      if (columns != null) {
        columns.sort(Comparator.comparingInt(c -> declared.indexOf(c.getName())));
      }
    }
    return HEADER + SERIALIZATION.asYaml(crd);
  }
}
