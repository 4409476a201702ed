package io.reducer.controller.workload;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.reducer.controller.connections.SecretSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Rolls a workload's pods when a Secret they read changes. Kubernetes does not restart a pod whose secretKeyRef
 * environment changed, so the pod template carries a digest of the resourceVersions of the Secrets its environment
 * refers to: a rotated password changes the digest, the template and so the pods. Versions, not values, go into
 * the digest, so nothing about a credential can be learned from the annotation.
 */
public final class SecretVersions {

  public static final String ANNOTATION = "reducer.io/secret-versions";

  private SecretVersions() {
  }

  /**
   * The pod annotation for {@code env}: empty when no variable comes from a Secret, so pods of workloads without
   * credentials keep their template. A missing Secret counts as a version of its own: creating it rolls the pods.
   */
  public static Map<String, String> annotation(String namespace, Iterable<EnvVar> env, SecretSource secrets) {
    Map<String, String> versions = new TreeMap<>();
    for (EnvVar var : env) {
      if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
        String name = var.getValueFrom().getSecretKeyRef().getName();
        versions.computeIfAbsent(name, n -> secrets.get(namespace, n).map(SecretVersions::version).orElse("missing"));
      }
    }
    if (versions.isEmpty()) {
      return Map.of();
    }
    return Map.of(ANNOTATION, digest(versions.toString()));
  }

  private static String version(Secret secret) {
    String version = secret.getMetadata().getResourceVersion();
    return Optional.ofNullable(secret.getMetadata().getUid()).orElse("") + "/" + (version == null ? "" : version);
  }

  private static String digest(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JRE", e);
    }
  }
}
