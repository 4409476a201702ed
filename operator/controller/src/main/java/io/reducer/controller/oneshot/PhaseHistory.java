package io.reducer.controller.oneshot;

import io.reducer.api.v1alpha1.common.Bounds;
import io.reducer.api.v1alpha1.common.PhaseTransition;
import io.reducer.controller.status.StatusText;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The phase history of a one-shot operation: every phase entered, with its time and reason, oldest first. */
public final class PhaseHistory {

  /** A phase machine enters each phase once; the bound only guards status size against a bug. */
  static final int MAX_ENTRIES = 32;
  /** Kubernetes caps a condition message near this size; the history entries follow the same rule. */
  static final int MAX_MESSAGE = Bounds.MESSAGE;

  private PhaseHistory() {
  }

  /** Appends the phase entered now, unless it is already the last entry. */
  public static void enter(List<PhaseTransition> history, String phase, Instant now, String message) {
    if (!history.isEmpty() && history.get(history.size() - 1).getPhase().equals(phase)) {
      return;
    }
    // Milliseconds: phases often follow each other within a second, and the order of finishing decides retention.
    history.add(new PhaseTransition(phase, now.truncatedTo(ChronoUnit.MILLIS).toString(), cap(message)));
    while (history.size() > MAX_ENTRIES) {
      history.remove(1);
    }
  }

  /** The time a phase was entered, if it was. */
  public static Instant entered(List<PhaseTransition> history, String phase) {
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).getPhase().equals(phase)) {
        return Instant.parse(history.get(i).getTime());
      }
    }
    return null;
  }

  public static String cap(String message) {
    return StatusText.capped(message, MAX_MESSAGE);
  }
}
