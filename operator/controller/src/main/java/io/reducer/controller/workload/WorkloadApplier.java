package io.reducer.controller.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Creates or updates a Deployment the operator owns. The pod template's hash is kept in an annotation, so a
 * change is detected without comparing fields the API server defaults; the replica count is compared directly.
 * The owner reference lets Kubernetes delete the Deployment with its custom resource.
 */
public final class WorkloadApplier {

  public static final String TEMPLATE_HASH = "reducer.io/template-hash";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;

  public WorkloadApplier(KubernetesClient client) {
    this.client = client;
  }

  /** @return what was done: created, updated or unchanged */
  public Outcome apply(HasMetadata owner, Deployment desired, Deployment existing) {
    desired.getMetadata().setOwnerReferences(java.util.List.of(OwnerReferences.controlledBy(owner)));
    Map<String, String> annotations = new LinkedHashMap<>();
    if (desired.getMetadata().getAnnotations() != null) {
      annotations.putAll(desired.getMetadata().getAnnotations());
    }
    String hash = hash(desired);
    annotations.put(TEMPLATE_HASH, hash);
    desired.getMetadata().setAnnotations(annotations);
    String namespace = desired.getMetadata().getNamespace();
    if (existing == null) {
      client.apps().deployments().inNamespace(namespace).resource(desired).create();
      return Outcome.CREATED;
    }
    String existingHash = existing.getMetadata().getAnnotations() == null ? null
        : existing.getMetadata().getAnnotations().get(TEMPLATE_HASH);
    if (hash.equals(existingHash) && desired.getSpec().getReplicas().equals(existing.getSpec().getReplicas())) {
      return Outcome.UNCHANGED;
    }
    client.apps().deployments().inNamespace(namespace).withName(desired.getMetadata().getName()).edit(current -> {
      current.getMetadata().setAnnotations(merge(current.getMetadata().getAnnotations(), annotations));
      current.getMetadata().setLabels(merge(current.getMetadata().getLabels(), desired.getMetadata().getLabels()));
      current.getMetadata().setOwnerReferences(desired.getMetadata().getOwnerReferences());
      current.getSpec().setReplicas(desired.getSpec().getReplicas());
      if (!hash.equals(existingHash)) {
        current.getSpec().setTemplate(desired.getSpec().getTemplate());
        current.getSpec().setStrategy(desired.getSpec().getStrategy());
      }
      return current;
    });
    return Outcome.UPDATED;
  }

  /**
   * Sets only the replica count of an existing Deployment: its template, labels and owner stay as they are.
   *
   * @return updated, or unchanged when it already has that count
   */
  public Outcome scale(Deployment existing, int replicas) {
    if (existing.getSpec().getReplicas() != null && existing.getSpec().getReplicas() == replicas) {
      return Outcome.UNCHANGED;
    }
    client.apps().deployments().inNamespace(existing.getMetadata().getNamespace())
        .withName(existing.getMetadata().getName()).edit(current -> {
          current.getSpec().setReplicas(replicas);
          return current;
        });
    return Outcome.UPDATED;
  }

  /** What {@link #apply} or {@link #scale} did. */
  public enum Outcome {
    CREATED,
    UPDATED,
    UNCHANGED
  }

  private static Map<String, String> merge(Map<String, String> current, Map<String, String> wanted) {
    Map<String, String> merged = new LinkedHashMap<>();
    if (current != null) {
      merged.putAll(current);
    }
    merged.putAll(wanted);
    return merged;
  }

  /** Hash of everything but the replica count: template, selector and strategy. */
  static String hash(Deployment desired) {
    try {
      Map<String, Object> shape = new LinkedHashMap<>();
      shape.put("template", desired.getSpec().getTemplate());
      shape.put("selector", desired.getSpec().getSelector());
      shape.put("strategy", desired.getSpec().getStrategy());
      byte[] bytes = JSON.writeValueAsBytes(shape);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash the pod template", e);
    }
  }
}
