package io.reducer.controller.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a resource as the operator left it to a fixture file, so the GitOps health checks
 * (deploy/src/test/.../gitops) are tested against statuses the operator really wrote. Does nothing unless the
 * system property {@value #PROPERTY} names a directory; see docs/gitops.md for the command that re-captures them.
 */
public final class StatusCapture {

  public static final String PROPERTY = "status.fixtures.dir";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private StatusCapture() {
  }

  /** Writes {@code <dir>/<Kind>/<fixture>.json}: apiVersion, kind, the metadata a health check reads, and status. */
  public static void capture(KubernetesClient client, Class<? extends HasMetadata> type, String name, String fixture) {
    String dir = System.getProperty(PROPERTY);
    if (dir == null || dir.isBlank()) {
      return;
    }
    HasMetadata resource = client.resources(type).inNamespace(OperatorFixture.NAMESPACE).withName(name).get();
    @SuppressWarnings("unchecked")
    Map<String, Object> full = JSON.convertValue(resource, Map.class);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", resource.getMetadata().getName());
    metadata.put("namespace", resource.getMetadata().getNamespace());
    metadata.put("generation", resource.getMetadata().getGeneration());
    Map<String, String> annotations = new TreeMap<>();
    if (resource.getMetadata().getAnnotations() != null) {
      resource.getMetadata().getAnnotations().forEach((k, v) -> {
        if (k.startsWith("reducer.io/")) {
          annotations.put(k, v);
        }
      });
    }
    if (!annotations.isEmpty()) {
      metadata.put("annotations", annotations);
    }
    Map<String, Object> trimmed = new LinkedHashMap<>();
    trimmed.put("apiVersion", resource.getApiVersion());
    trimmed.put("kind", resource.getKind());
    trimmed.put("metadata", metadata);
    trimmed.put("status", full.get("status"));
    try {
      Path file = Path.of(dir, resource.getKind(), fixture + ".json");
      Files.createDirectories(file.getParent());
      Files.writeString(file, JSON.writeValueAsString(trimmed) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
