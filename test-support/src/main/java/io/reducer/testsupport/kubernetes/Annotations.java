package io.reducer.testsupport.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;

/** What {@code kubectl annotate} does: sets one annotation on a resource, keeping the others. */
public final class Annotations {

  private Annotations() {
  }

  public static <T extends HasMetadata> void annotate(KubernetesClient client, Class<T> type, String namespace,
      String name, String key, String value) {
    client.resources(type).inNamespace(namespace).withName(name).edit(resource -> {
      Map<String, String> annotations = new HashMap<>();
      if (resource.getMetadata().getAnnotations() != null) {
        annotations.putAll(resource.getMetadata().getAnnotations());
      }
      annotations.put(key, value);
      resource.getMetadata().setAnnotations(annotations);
      return resource;
    });
  }
}
