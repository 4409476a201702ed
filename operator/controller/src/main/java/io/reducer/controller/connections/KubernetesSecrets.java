package io.reducer.controller.connections;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/** Reads Secrets from the API server when a connection is resolved; values are never logged or copied. */
public final class KubernetesSecrets implements SecretSource {

  private final KubernetesClient client;

  public KubernetesSecrets(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Optional<Secret> get(String namespace, String name) {
    return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
  }
}
