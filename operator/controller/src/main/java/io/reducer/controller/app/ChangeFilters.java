package io.reducer.controller.app;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Which updates of a primary resource start a reconciliation. The framework's default reacts to spec changes
 * only; our resources are also steered by annotations (a reset's hold on a projection, a user's approval), and
 * reacting to our own status writes would only repeat work.
 */
public final class ChangeFilters {

  private ChangeFilters() {
  }

  /**
   * Accepts a new generation, changed annotations, labels or finalizers, and the start of a deletion. Finalizers:
   * the framework adds a reconciler's finalizer first and reconciles on the update that follows.
   */
  public static <R extends HasMetadata> OnUpdateFilter<R> specOrMetadata() {
    return (updated, old) -> !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
        || !Objects.equals(updated.getMetadata().getAnnotations(), old.getMetadata().getAnnotations())
        || !Objects.equals(updated.getMetadata().getLabels(), old.getMetadata().getLabels())
        || !Objects.equals(updated.getMetadata().getFinalizers(), old.getMetadata().getFinalizers())
        || updated.isMarkedForDeletion() != old.isMarkedForDeletion();
  }
}
