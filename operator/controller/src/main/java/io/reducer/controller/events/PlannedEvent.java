package io.reducer.controller.events;

import java.util.Objects;

/** An Event a decision wants recorded; the reconciler records it after acting. */
public final class PlannedEvent {

  private final EventReason reason;
  private final boolean warning;
  private final String message;

  private PlannedEvent(EventReason reason, boolean warning, String message) {
    this.reason = reason;
    this.warning = warning;
    this.message = message;
  }

  public static PlannedEvent normal(EventReason reason, String message) {
    return new PlannedEvent(reason, false, message);
  }

  public static PlannedEvent warning(EventReason reason, String message) {
    return new PlannedEvent(reason, true, message);
  }

  public EventReason reason() {
    return reason;
  }

  /** Kubernetes Event type: Warning or Normal. */
  public String type() {
    return warning ? "Warning" : "Normal";
  }

  public String message() {
    return message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlannedEvent && ((PlannedEvent) o).reason == reason && ((PlannedEvent) o).warning == warning
        && ((PlannedEvent) o).message.equals(message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reason, warning, message);
  }

  @Override
  public String toString() {
    return type() + " " + reason + ": " + message;
  }
}
