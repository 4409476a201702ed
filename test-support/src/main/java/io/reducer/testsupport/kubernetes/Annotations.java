package io.reducer.testsupport.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.HashMap;
import java.util.Map;

/** What {@code kubectl annotate} does: sets one annotation on a resource, keeping the others. */
public final class Annotations {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private Annotations() {
  }

  /**
   * A JSON merge patch of the one annotation, without a resourceVersion, as kubectl sends it: it cannot conflict
   * with the operator's concurrent status writes, where a read-modify-write would fail with 409.
   */
  public static <T extends HasMetadata> void annotate(KubernetesClient client, Class<T> type, String namespace,
      String name, String key, String value) {
    // A null value removes the annotation, as kubectl annotate KEY- does (JSON merge patch).
    Map<String, String> annotations = new HashMap<>();
    annotations.put(key, value);
    String patch = JSON.asJson(Map.of("metadata", Map.of("annotations", annotations)));
    client.resources(type).inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }
}
