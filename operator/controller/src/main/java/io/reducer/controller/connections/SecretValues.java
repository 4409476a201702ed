package io.reducer.controller.connections;

import io.fabric8.kubernetes.api.model.Secret;
import io.reducer.api.v1alpha1.common.LocalReference;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Reads values from Secrets in the resource's own namespace, with messages that say what to create. */
final class SecretValues {

  private final SecretSource secrets;
  private final String namespace;
  private final String owner;

  /** @param owner the resource the values are for, e.g. ReducerPipeline orders/workflows, for messages */
  SecretValues(SecretSource secrets, String namespace, String owner) {
    this.secrets = secrets;
    this.namespace = namespace;
    this.owner = owner;
  }

  /** The decoded value of {@code key} in Secret {@code name}; {@code field} names the spec field for messages. */
  String value(String name, String key, String field) throws ResolutionFailure {
    Secret secret = secrets.get(namespace, name).orElseThrow(() -> new ResolutionFailure(
        ResolutionFailure.Reason.SecretNotFound, field + " refers to Secret " + namespace + "/" + name
            + ", which does not exist; create it in namespace " + namespace + " (used by " + owner + ")"));
    if (secret.getData() != null && secret.getData().containsKey(key)) {
      return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return secret.getStringData().get(key);
    }
    throw new ResolutionFailure(ResolutionFailure.Reason.SecretKeyNotFound, field + " refers to key \"" + key
        + "\" of Secret " + namespace + "/" + name + ", which has no such key; add it or change the key");
  }

  /** Refuses a reference whose namespace is set to anything but the resource's own. */
  static void requireSameNamespace(LocalReference reference, String ownNamespace, String field)
      throws ResolutionFailure {
    if (reference.getNamespace() != null && !reference.getNamespace().equals(ownNamespace)) {
      throw new ResolutionFailure(ResolutionFailure.Reason.CrossNamespaceReference, field + " points to namespace "
          + reference.getNamespace() + ", but references resolve in the resource's own namespace ("
          + ownNamespace + ") only; create the " + reference.getName() + " resource in " + ownNamespace);
    }
  }
}
