package io.reducer.controller.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.HttpURLConnection;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Creates or updates a Deployment the operator owns. The pod template's hash is kept in an annotation, so a
 * change is detected without comparing fields the API server defaults; the replica count is compared directly.
 * The owner reference lets Kubernetes delete the Deployment with its custom resource.
 *
 * <p>{@code existing} comes from an informer's cache, which lags behind the API server: a Deployment created a
 * moment ago may not be in it yet. What this writes is handed to {@code written} (the informer's
 * {@code handleRecentResourceCreate}/{@code Update}), so the next reconciliation sees it before the watch delivers
 * it; and a create that finds the Deployment already there (409) reads it and goes on as an update, rather than
 * failing the reconciliation. So a Deployment is created only when it is missing.
 */
public final class WorkloadApplier {

  public static final String TEMPLATE_HASH = "reducer.io/template-hash";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final Written written;

  public WorkloadApplier(KubernetesClient client) {
    this(client, (created, deployment) -> { });
  }

  /** @param written told of every Deployment this creates or updates, as the API server returned it */
  public WorkloadApplier(KubernetesClient client, Written written) {
    this.client = client;
    this.written = written;
  }

  /** Where a written Deployment goes, e.g. an informer's cache of recent writes. */
  @FunctionalInterface
  public interface Written {
    void written(boolean created, Deployment deployment);

    /** Into {@code informer}'s cache, until its watch delivers the same; {@code cached} is what it held before. */
    static Written into(InformerEventSource<Deployment, ?> informer, Deployment cached) {
      return (created, deployment) -> {
        if (created) {
          informer.handleRecentResourceCreate(ResourceID.fromResource(deployment), deployment);
        } else {
          informer.handleRecentResourceUpdate(ResourceID.fromResource(deployment), deployment, cached);
        }
      };
    }
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
      try {
        written.written(true, client.apps().deployments().inNamespace(namespace).resource(desired).create());
        return Outcome.CREATED;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        // Created by an earlier reconciliation whose watch event has not reached the cache yet.
        existing = client.apps().deployments().inNamespace(namespace).withName(desired.getMetadata().getName()).get();
        if (existing == null) {
          throw e;
        }
      }
    }
    String existingHash = existing.getMetadata().getAnnotations() == null ? null
        : existing.getMetadata().getAnnotations().get(TEMPLATE_HASH);
    if (hash.equals(existingHash) && desired.getSpec().getReplicas().equals(existing.getSpec().getReplicas())) {
      return Outcome.UNCHANGED;
    }
    Deployment updated = client.apps().deployments().inNamespace(namespace).withName(desired.getMetadata().getName())
        .edit(current -> {
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
    written.written(false, updated);
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
    written.written(false, client.apps().deployments().inNamespace(existing.getMetadata().getNamespace())
        .withName(existing.getMetadata().getName()).edit(current -> {
          current.getSpec().setReplicas(replicas);
          return current;
        }));
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
