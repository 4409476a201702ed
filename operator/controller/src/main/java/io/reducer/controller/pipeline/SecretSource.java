package io.reducer.controller.pipeline;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/** Reads Secrets; an informer cache in the operator, a map in tests. */
@FunctionalInterface
public interface SecretSource {

  Optional<Secret> get(String namespace, String name);
}
