package io.reducer.controller.oneshot;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.reducer.api.v1alpha1.common.PhaseTransition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The history limit of every one-shot kind (WatermarkReset, DlqReplay): of the finished resources of one group (a
 * reset's target, a replay's pipeline), the newest by the time they finished are kept up to the limit and the older
 * ones deleted. Running resources, and finished ones already being deleted, do not count.
 */
public final class Retention {

  /**
   * One finished operation.
   *
   * @param finishedAt when it reached its final phase
   */
  public record Finished(String name, Instant finishedAt) {
  }

  private Retention() {
  }

  /**
   * The resources of {@code group} to delete, oldest first.
   *
   * @param finishedAt when a resource entered its final phase; null while it runs (see {@link #finishedAt})
   */
  public static <R extends HasMetadata> List<String> beyondLimit(Collection<R> group, Function<R, Instant> finishedAt,
      int limit) {
    List<Finished> finished = new ArrayList<>();
    for (R resource : group) {
      Instant at = finishedAt.apply(resource);
      if (at != null && !resource.isMarkedForDeletion()) {
        finished.add(new Finished(resource.getMetadata().getName(), at));
      }
    }
    return beyondLimit(finished, limit);
  }

  /** The names beyond the newest {@code limit}, oldest first; ties are broken by name. */
  public static List<String> beyondLimit(Collection<Finished> finished, int limit) {
    List<Finished> newestFirst = finished.stream()
        .sorted(Comparator.comparing(Finished::finishedAt).reversed().thenComparing(Finished::name))
        .collect(Collectors.toList());
    if (newestFirst.size() <= limit) {
      return List.of();
    }
    List<String> doomed = newestFirst.subList(limit, newestFirst.size()).stream().map(Finished::name)
        .collect(Collectors.toList());
    Collections.reverse(doomed);
    return doomed;
  }

  /**
   * When a one-shot resource entered its final phase, from its phase history; null while it runs. A history without
   * that entry (trimmed by a bug) still counts, as the oldest.
   */
  public static Instant finishedAt(Enum<?> phase, boolean terminal, List<PhaseTransition> history) {
    if (phase == null || !terminal) {
      return null;
    }
    Instant at = PhaseHistory.entered(history, phase.name());
    return at != null ? at : Instant.EPOCH;
  }
}
