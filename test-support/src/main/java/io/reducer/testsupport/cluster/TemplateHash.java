package io.reducer.testsupport.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.io.UncheckedIOException;

/**
 * The {@code pod-template-hash} of a Deployment's pod template: FNV-32a of the template, encoded like Kubernetes
 * does (at most 10 characters). Not the same digits as a real cluster, but equal templates give equal hashes.
 */
final class TemplateHash {

  // Sorted map keys: the same labels in another order are the same template.
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private TemplateHash() {
  }

  static String of(PodTemplateSpec template) {
    byte[] bytes;
    try {
      bytes = CANONICAL.writeValueAsBytes(template);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    int hash = 0x811c9dc5;
    for (byte b : bytes) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    return KubeNames.safeEncode(Integer.toUnsignedString(hash));
  }
}
