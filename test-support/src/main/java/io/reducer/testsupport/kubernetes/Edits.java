package io.reducer.testsupport.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.function.Consumer;

/** What {@code kubectl edit} does: reads a resource, changes it and writes it back. */
public final class Edits {

  private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(10);
  private static final Duration PAUSE = Duration.ofMillis(50);

  private Edits() {
  }

  /**
   * Changes a resource. A write that meets a newer version (the operator has just written status) is tried again on
   * that version, as a person would, for up to ten seconds.
   *
   * @return the resource as the API server wrote it
   */
  public static <T extends HasMetadata> T edit(KubernetesClient client, Class<T> type, String namespace,
      String name, Consumer<T> change) {
    long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
    while (true) {
      try {
        return client.resources(type).inNamespace(namespace).withName(name).edit(resource -> {
          change.accept(resource);
          return resource;
        });
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(PAUSE.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while editing " + namespace + "/" + name, e);
      }
    }
  }
}
