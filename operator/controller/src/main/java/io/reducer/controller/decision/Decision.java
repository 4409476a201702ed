package io.reducer.controller.decision;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.reducer.controller.events.PlannedEvent;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a kind's decider returns for one reconciliation; the same shape for every kind. The reconciler carries out
 * the effects in order, writes the status (only what changed), records the Events, and looks again as {@link #next}
 * says.
 *
 * @param status the status to write once the effects are carried out
 * @param effects the changes to make outside the resource's own status, in order; the kind's own sealed type (or
 *     enum, when an effect carries no data); empty when nothing changes
 * @param events the Events to record after acting
 * @param next when to look again without an event
 * @param <S> the kind's status type
 * @param <E> the kind's effect type
 */
public record Decision<S, E>(S status, List<E> effects, List<PlannedEvent> events, Next next) {

  public Decision {
    Objects.requireNonNull(status, "status");
    effects = List.copyOf(effects);
    events = List.copyOf(events);
    Objects.requireNonNull(next, "next");
  }

  /** The one effect, or null when there is none; for kinds that make at most one change per reconciliation. */
  public E effect() {
    if (effects.size() > 1) {
      throw new IllegalStateException("more than one effect: " + effects);
    }
    return effects.isEmpty() ? null : effects.get(0);
  }

  /**
   * When to reconcile again without an event.
   *
   * @param immediately decide again at once, in the same reconciliation (the phase moved and nothing needs waiting for)
   * @param after how long to wait otherwise; null to wait for an event (or the kind's probe schedule)
   */
  public record Next(boolean immediately, Duration after) {

    private static final Next ON_EVENT = new Next(false, null);
    private static final Next NOW = new Next(true, null);

    public Next {
      if (immediately && after != null) {
        throw new IllegalArgumentException("at once and after " + after);
      }
    }

    /** Only an event (or the kind's probe schedule) brings the resource back. */
    public static Next onEvent() {
      return ON_EVENT;
    }

    /** Decide again in the same reconciliation. */
    public static Next now() {
      return NOW;
    }

    /** Look again after {@code wait}; null means on an event only. */
    public static Next after(Duration wait) {
      return wait == null ? ON_EVENT : new Next(false, wait);
    }

    /**
     * The framework's answer once the reconciler has written status itself: no update, rescheduled as this says. A
     * decision to go on at once is the reconciler's to follow before it answers.
     */
    public <R extends HasMetadata> UpdateControl<R> updateControl() {
      if (immediately) {
        throw new IllegalStateException("a decision to go on at once is followed before answering the framework");
      }
      return after == null ? UpdateControl.noUpdate() : UpdateControl.<R>noUpdate().rescheduleAfter(after);
    }
  }
}
