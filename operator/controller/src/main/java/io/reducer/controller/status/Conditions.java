package io.reducer.controller.status;

import io.reducer.api.v1alpha1.common.Bounds;
import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Maintains standard conditions the way kstatus-aware tools expect: one entry per type,
 * lastTransitionTime moves only when the status flips, observedGeneration says which spec was judged.
 */
public final class Conditions {

  private Conditions() {
  }

  /**
   * Sets the condition of {@code type} in place.
   *
   * @return true when anything but lastTransitionTime changed, i.e. when status needs writing
   */
  public static boolean set(List<Condition> conditions, String type, ConditionStatus status, String reason,
      String text, long observedGeneration, Instant now) {
    String message = StatusText.capped(text, Bounds.CONDITION_MESSAGE);
    Condition existing = conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    if (existing == null) {
      Condition created = new Condition(type, status, reason, message);
      created.setObservedGeneration(observedGeneration);
      created.setLastTransitionTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
      conditions.add(created);
      return true;
    }
    boolean changed = existing.getStatus() != status || !Objects.equals(existing.getReason(), reason)
        || !Objects.equals(existing.getMessage(), message)
        || !Objects.equals(existing.getObservedGeneration(), observedGeneration);
    if (existing.getStatus() != status) {
      existing.setLastTransitionTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
    }
    existing.setStatus(status);
    existing.setReason(reason);
    existing.setMessage(message);
    existing.setObservedGeneration(observedGeneration);
    return changed;
  }

  /** A deep copy, so a decision can change conditions without touching the observed resource. */
  public static List<Condition> copy(List<Condition> conditions) {
    List<Condition> copies = new ArrayList<>();
    if (conditions != null) {
      for (Condition c : conditions) {
        Condition copy = new Condition(c.getType(), c.getStatus(), c.getReason(), c.getMessage());
        copy.setLastTransitionTime(c.getLastTransitionTime());
        copy.setObservedGeneration(c.getObservedGeneration());
        copies.add(copy);
      }
    }
    return copies;
  }

  /** Removes the condition of {@code type}; abnormal-true conditions are removed rather than set False. */
  public static boolean remove(List<Condition> conditions, String type) {
    return conditions.removeIf(c -> type.equals(c.getType()));
  }
}
