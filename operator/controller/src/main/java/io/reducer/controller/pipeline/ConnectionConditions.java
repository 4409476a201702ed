package io.reducer.controller.pipeline;

import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.controller.events.EventReason;
import io.reducer.controller.events.PlannedEvent;
import io.reducer.controller.status.ConditionTypes;
import io.reducer.controller.status.Conditions;
import io.reducer.controller.status.KstatusConditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns the two connection checks of a pipeline into its conditions and the Events of their transitions, and sums
 * them up with the checks of what the pipeline manages (topics, schema) into Ready and Stalled.
 */
public final class ConnectionConditions {

  private ConnectionConditions() {
  }

  /** {@link #report(ReducerPipelineStatus, long, ConnectionCheck, ConnectionCheck, List, Instant)} with no further. */
  public static List<PlannedEvent> report(ReducerPipelineStatus status, long generation, ConnectionCheck kafka,
      ConnectionCheck database, Instant now) {
    return report(status, generation, kafka, database, List.of(), now);
  }

  /**
   * Sets KafkaReachable, DatabaseReachable, Ready and (when the user must act) Stalled on {@code status}. Ready is
   * True only when every check is ok; otherwise it carries the first failure, in the order Kafka, PostgreSQL, then
   * {@code further}.
   *
   * @param further the checks of the pipeline's topics and schema, whose own conditions are set elsewhere
   * @return Events for connections that failed or came back since the previous status
   */
  public static List<PlannedEvent> report(ReducerPipelineStatus status, long generation, ConnectionCheck kafka,
      ConnectionCheck database, List<ConnectionCheck> further, Instant now) {
    List<Condition> conditions = status.getConditions();
    List<PlannedEvent> events = new ArrayList<>();
    transition(status, ConditionTypes.KAFKA_REACHABLE, kafka, "Kafka", events);
    transition(status, ConditionTypes.DATABASE_REACHABLE, database, "PostgreSQL", events);
    status.setObservedGeneration(generation);
    Conditions.set(conditions, ConditionTypes.KAFKA_REACHABLE, kafka.ok() ? ConditionStatus.True
        : ConditionStatus.False, kafka.reason(), kafka.message(), generation, now);
    Conditions.set(conditions, ConditionTypes.DATABASE_REACHABLE, database.ok() ? ConditionStatus.True
        : ConditionStatus.False, database.reason(), database.message(), generation, now);
    List<ConnectionCheck> checks = new ArrayList<>(List.of(kafka, database));
    checks.addAll(further);
    ConnectionCheck failed = checks.stream().filter(c -> !c.ok()).findFirst().orElse(null);
    KstatusConditions kstatus = KstatusConditions.on(conditions, generation, now);
    if (failed == null) {
      // The reason stays Connected, as before topics and schema were checked, for tools that wait for it.
      kstatus.ready(ConditionStatus.True, "Connected", "Kafka and PostgreSQL answered"
          + further.stream().map(c -> "; " + c.message()).collect(Collectors.joining())).notStalled();
    } else {
      kstatus.ready(ConditionStatus.False, failed.reason(), failed.message())
          .stalled(failed.needsUser() ? failed.reason() : null, failed.message());
    }
    return events;
  }

  private static void transition(ReducerPipelineStatus before, String type, ConnectionCheck now, String what,
      List<PlannedEvent> events) {
    Optional<Condition> previous = before.condition(type);
    boolean wasOk = previous.map(c -> c.getStatus() == ConditionStatus.True).orElse(false);
    boolean sameFailure = previous.map(c -> c.getStatus() == ConditionStatus.False
        && now.reason().equals(c.getReason())).orElse(false);
    if (now.ok() && previous.isPresent() && !wasOk) {
      events.add(PlannedEvent.normal(EventReason.ConnectionRestored, what + " answers again: " + now.message()));
    } else if (!now.ok() && !sameFailure) {
      events.add(PlannedEvent.warning(EventReason.ConnectionFailed, now.message()));
    }
  }
}
