package io.reducer.controller.reset;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.WatermarkReset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reset's hold on a projection: the annotation {@value #ANNOTATION} naming the reset. While it is there and
 * names a reset that is still running, the projection's materializers stay at zero replicas. Taking and
 * giving up the hold are the only writes a reset makes to a projection; the operator never writes a spec.
 */
public final class ProjectionHold {

  public static final String ANNOTATION = "reducer.io/held-by-reset";

  private final KubernetesClient client;

  public ProjectionHold(KubernetesClient client) {
    this.client = client;
  }

  /** The reset named by the projection's annotation, or null. */
  public static String holder(Projection projection) {
    Map<String, String> annotations = projection.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(ANNOTATION);
  }

  /** A hold counts while its reset exists, targets this projection and has not finished. */
  public static boolean live(WatermarkReset reset, String projection) {
    return reset != null && reset.getSpec() != null && projection.equals(reset.getSpec().getProjectionRef().getName())
        && (reset.getStatus() == null || reset.getStatus().getPhase() == null
            || !reset.getStatus().getPhase().isTerminal());
  }

  /**
   * Takes the hold for {@code reset} unless another live reset has it. Serialized, so two resets of one projection
   * reconciled at once cannot both win.
   *
   * @param other whether a reset of that name is live (looked up by the caller)
   * @return true when {@code reset} holds the projection
   */
  public synchronized boolean take(String namespace, String projection, String reset,
      java.util.function.Predicate<String> other) {
    Projection current = client.resources(Projection.class).inNamespace(namespace).withName(projection).get();
    if (current == null) {
      return false;
    }
    String holder = holder(current);
    if (reset.equals(holder)) {
      return true;
    }
    if (holder != null && other.test(holder)) {
      return false;
    }
    client.resources(Projection.class).inNamespace(namespace).withName(projection).edit(p -> {
      Map<String, String> annotations = p.getMetadata().getAnnotations() == null ? new LinkedHashMap<>()
          : new LinkedHashMap<>(p.getMetadata().getAnnotations());
      annotations.put(ANNOTATION, reset);
      p.getMetadata().setAnnotations(annotations);
      return p;
    });
    return true;
  }

  /** Gives up the hold if {@code reset} (or, with null, anyone) has it. */
  public synchronized void release(String namespace, String projection, String reset) {
    Projection current = client.resources(Projection.class).inNamespace(namespace).withName(projection).get();
    String holder = current == null ? null : holder(current);
    if (holder == null || (reset != null && !reset.equals(holder))) {
      return;
    }
    client.resources(Projection.class).inNamespace(namespace).withName(projection).edit(p -> {
      if (p.getMetadata().getAnnotations() != null) {
        Map<String, String> annotations = new LinkedHashMap<>(p.getMetadata().getAnnotations());
        annotations.remove(ANNOTATION);
        p.getMetadata().setAnnotations(annotations);
      }
      return p;
    });
  }
}
