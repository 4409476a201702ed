package io.reducer.controller.connections;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/** Reads Secrets: from the API server through a short-lived cache in the operator, from a map in tests. */
@FunctionalInterface
public interface SecretSource {

  Optional<Secret> get(String namespace, String name);
}
