package io.reducer.controller.oneshot;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Which finished one-shot operations to delete so that at most a limit of them is kept, newest first. */
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
    java.util.Collections.reverse(doomed);
    return doomed;
  }
}
