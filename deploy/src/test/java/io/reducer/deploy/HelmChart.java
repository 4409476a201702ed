package io.reducer.deploy;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.testsupport.ProjectLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The chart in helm/reducer-operator, rendered by the real Helm library as {@code helm template} does. */
final class HelmChart {

  /** The release name of the rendered examples and of manifests/install: object names are just "reducer-operator". */
  static final String RELEASE = "reducer-operator";
  /**
   * The Kubernetes version templates are rendered for. The Helm library defaults to v1.20, below the chart's
   * kubeVersion (CEL validation rules and the restricted Pod Security Standard need 1.25).
   */
  static final String KUBE_VERSION = "1.30.0";
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private HelmChart() {
  }

  static Path dir() {
    return ProjectLayout.root().resolve("helm").resolve("reducer-operator");
  }

  /**
   * {@code helm template reducer-operator helm/reducer-operator --namespace <namespace> -f <values>}: the chart has no
   * crds/ directory, its CRDs are templates (crds.create).
   */
  static String template(String namespace, String valuesYaml) {
    return template(namespace, valuesYaml, KUBE_VERSION);
  }

  /** {@link #template(String, String)} for a cluster of Kubernetes {@code kubeVersion}. */
  static String template(String namespace, String valuesYaml, String kubeVersion) {
    try {
      Path values = Files.createTempFile("values", ".yaml");
      try {
        Files.writeString(values, valuesYaml);
        return new Helm(dir()).template().withName(RELEASE).withNamespace(namespace).withKubeVersion(kubeVersion)
            .withValuesFile(values).call();
      } finally {
        Files.delete(values);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The objects {@link #template} renders. */
  static Rendered objects(String namespace, String valuesYaml) {
    return Rendered.of(template(namespace, valuesYaml));
  }

  /** The documents of a rendered chart as Kubernetes objects. */
  static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      if (document.lines().anyMatch(l -> !l.isBlank() && !l.startsWith("#"))) {
        objects.add(YAML.unmarshal(document, HasMetadata.class));
      }
    }
    return objects;
  }
}
