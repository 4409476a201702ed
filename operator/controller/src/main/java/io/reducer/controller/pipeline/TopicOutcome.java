package io.reducer.controller.pipeline;

import io.reducer.api.v1alpha1.pipeline.TopicStatus.Role;
import io.reducer.api.v1alpha1.pipeline.TopicStatus.State;
import io.reducer.controller.events.PlannedEvent;
import java.util.List;

/**
 * Where one topic stands after a reconcile: its status entry, the condition reason behind a state other than Ready,
 * and the Events of the changes made to it.
 *
 * @param partitions the partition count now, as far as known; null when unknown
 * @param reason the TopicsReady reason this topic gives; null when Ready
 * @param message details for status and the condition; null when Ready
 * @param needsUser only a change of the spec or of the broker's permissions resolves it (the pipeline is Stalled)
 * @param changes Events for what was changed on the topic in this reconcile
 */
public record TopicOutcome(Role role, String name, Integer partitions, State state, String reason, String message,
    boolean needsUser, List<PlannedEvent> changes) {

  public TopicOutcome {
    changes = List.copyOf(changes);
  }

  public boolean ready() {
    return state == State.Ready;
  }

  /** A state that says something is wrong, rather than not known yet. */
  public boolean problem() {
    return state != State.Ready && state != State.Unknown;
  }
}
