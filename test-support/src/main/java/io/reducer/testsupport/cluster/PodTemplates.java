package io.reducer.testsupport.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.Map;

/** Pods made from a controller's template: the template's labels and annotations plus the controller's own. */
final class PodTemplates {

  private PodTemplates() {
  }

  static Pod instantiate(KubernetesSerialization serialization, HasMetadata owner, PodTemplateSpec template,
      String generateName, Map<String, String> extraLabels) {
    PodTemplateSpec copy = serialization.clone(template);
    Map<String, String> labels = new LinkedHashMap<>();
    if (copy.getMetadata() != null && copy.getMetadata().getLabels() != null) {
      labels.putAll(copy.getMetadata().getLabels());
    }
    labels.putAll(extraLabels);
    Map<String, String> annotations = copy.getMetadata() == null ? null : copy.getMetadata().getAnnotations();
    return new PodBuilder()
        .withNewMetadata()
        .withName(generateName + KubeNames.randomSuffix())
        .withGenerateName(generateName)
        .withNamespace(owner.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(annotations)
        .withOwnerReferences(Owners.controllerReference(owner))
        .endMetadata()
        .withSpec(copy.getSpec())
        .build();
  }

  static boolean isReady(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions().stream()
        .anyMatch(condition -> "Ready".equals(condition.getType()) && "True".equals(condition.getStatus()));
  }
}
