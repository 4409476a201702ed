package io.reducer.controller.pipeline;

import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.api.v1alpha1.pipeline.ReducerWorkload;
import io.reducer.api.v1alpha1.pipeline.StateMachineSpec;
import io.reducer.controller.events.EventReason;
import io.reducer.controller.events.PlannedEvent;
import io.reducer.controller.status.ConditionTypes;
import io.reducer.controller.status.Conditions;
import io.reducer.controller.status.KstatusConditions;
import io.reducer.workloads.reducer.fsm.StateMachine;
import io.reducer.workloads.reducer.fsm.StateMachineException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides the reducers of a pipeline: how many replicas (spec.reducer.replicas, never more than the actions
 * topic's partitions since an extra consumer would sit idle; zero while paused), and the {@code ReducersReady} and
 * {@code Paused} conditions, {@code status.reducersReady} and the Events of scaling, pausing and resuming.
 *
 * <p>A refused spec (a state machine that does not hold together, an image from a registry not allowed) changes no
 * pod: the reducers keep running with the configuration they have, and the pipeline is Stalled until the spec is
 * fixed. Only a pause still scales them to zero, because pause is the emergency brake.
 *
 * <p>A WatermarkReset of the reducers (spec.pipelineRef) holds them at zero like a pause of the reducers only: the
 * projections keep running, {@code Paused} stays about the user's pause, and {@code ReducersReady} is True with reason
 * {@value #RESET_IN_PROGRESS} (nothing is wrong; the reset is at work). Released, they come back to the spec's count.
 */
public final class ReducerScaling {

  /** ReducersReady reason: the state machine of spec.reducer does not hold together. */
  public static final String INVALID_STATE_MACHINE = "InvalidStateMachine";
  /** ReducersReady reason: a WatermarkReset holds the reducers at zero while it moves their group's offsets. */
  public static final String RESET_IN_PROGRESS = "ResetInProgress";
  /** ReducersReady reason while fewer reducer pods are ready than wanted. */
  static final String STARTING = "Starting";

  private ReducerScaling() {
  }

  /**
   * The state machine spec.reducer.stateMachine declares, checked; empty when none is declared (the reducers use the
   * runbooks' workflow).
   *
   * @throws StateMachineException naming the entry that does not hold together
   */
  public static Optional<StateMachine> stateMachine(ReducerWorkload reducer) throws StateMachineException {
    StateMachineSpec spec = reducer.getStateMachine();
    if (spec == null) {
      return Optional.empty();
    }
    List<StateMachine.Transition> transitions = new ArrayList<>();
    if (spec.getTransitions() != null) {
      spec.getTransitions().forEach(t -> transitions.add(new StateMachine.Transition(t.getFrom(), t.getTo(),
          t.getTrigger())));
    }
    return Optional.of(StateMachine.of(spec.getStates() == null ? List.of() : spec.getStates(),
        spec.getInitialState(), spec.getTerminalStates() == null ? List.of() : spec.getTerminalStates(), transitions));
  }

  /**
   * The reducers' part of a pipeline's decision.
   *
   * @param change what to do with the Deployment; null to leave it as it is (or create none)
   * @param check what the reducers add to the pipeline's Ready condition
   * @param events Events of this decision
   */
  public record Outcome(ReducerChange change, ConnectionCheck check, List<PlannedEvent> events) {

    public Outcome {
      events = List.copyOf(events);
    }
  }

  /**
   * Sets the reducers' conditions and counts on {@code status} and says what to do with the Deployment. While reducer
   * pods are starting, {@code Reconciling} is True: Ready covers the connections only, and kstatus (Flux's wait)
   * would otherwise call a pipeline whose reducers are not up yet Current.
   */
  public static Outcome decide(ReducerPipelineStatus status, ReducerWorkload spec, ReducerObservation observed,
      long generation, Instant now) {
    Outcome outcome = replicas(status, spec, observed, generation, now);
    Optional<Condition> starting = status.condition(ConditionTypes.REDUCERS_READY)
        .filter(c -> c.getStatus() == ConditionStatus.False && STARTING.equals(c.getReason()));
    KstatusConditions.on(status.getConditions(), generation, now).reconciling(
        starting.isPresent() ? "ReducersStarting" : null, starting.map(Condition::getMessage).orElse(null));
    return outcome;
  }

  private static Outcome replicas(ReducerPipelineStatus status, ReducerWorkload spec, ReducerObservation observed,
      long generation, Instant now) {
    List<Condition> conditions = status.getConditions();
    boolean wasPaused = isTrue(status, ConditionTypes.PAUSED);
    List<PlannedEvent> events = new ArrayList<>();
    Integer current = observed.deploymentReplicas();
    String wasHeldBy = status.getActiveReset();
    status.setActiveReset(observed.heldByReset());

    if (observed.pause() != null) {
      String why = observed.pause().message();
      Conditions.set(conditions, ConditionTypes.PAUSED, ConditionStatus.True, observed.pause().name(),
          "Reducers and projections are scaled to zero: " + why, generation, now);
      if (current != null && current > 0 && status.getReplicasBeforePause() == null) {
        status.setReplicasBeforePause(current);
      }
      if (!wasPaused || (current != null && current > 0)) {
        events.add(PlannedEvent.normal(EventReason.Paused, (current != null && current > 0
            ? "Scaled reducers from " + current + " to 0: " : "No reducer runs: ") + why));
      }
      status.setReducersReady(observed.readyReplicas() + "/0");
      Conditions.set(conditions, ConditionTypes.REDUCERS_READY, ConditionStatus.True, "Paused",
          "No reducer runs while the pipeline is paused (" + why + ")", generation, now);
      ConnectionCheck check = refusal(observed).orElse(ConnectionCheck.ok("Paused", "reducers paused"));
      if (observed.refusalReason() != null) {
        refusedCondition(status, observed, generation, now, events);
      }
      return new Outcome(stop(observed), check, events);
    }

    Conditions.set(conditions, ConditionTypes.PAUSED, ConditionStatus.False, "Running",
        "spec.paused is false and annotation reducer.io/paused is not \"true\"", generation, now);
    Integer restored = status.getReplicasBeforePause();
    status.setReplicasBeforePause(null);

    if (observed.heldByReset() != null) {
      return held(status, observed, wasHeldBy, generation, now, events);
    }

    if (observed.refusalReason() != null) {
      refusedCondition(status, observed, generation, now, events);
      status.setReducersReady(current == null ? null : observed.readyReplicas() + "/" + current);
      return new Outcome(null, refusal(observed).orElseThrow(), events);
    }

    if (observed.connectionsBlocked()) {
      status.setReducersReady(current == null ? null : observed.readyReplicas() + "/" + current);
      Conditions.set(conditions, ConditionTypes.REDUCERS_READY, ConditionStatus.False, "WaitingForConnections",
          "Reducer pods would fail like the operator's own connection (see KafkaReachable and DatabaseReachable): "
              + (current == null ? "none is created" : "the Deployment is left as it is") + " until it is fixed",
          generation, now);
      return new Outcome(null, ConnectionCheck.ok("WaitingForConnections",
          "reducers wait for the connections"), events);
    }
    Integer desired = desired(spec.getReplicas(), observed.actionsPartitions(), current);
    if (desired != null && desired == 0 && current == null) {
      // Like a projection's materializers: no Deployment until there is a pod to run.
      status.setReducersReady("0/0");
      Conditions.set(conditions, ConditionTypes.REDUCERS_READY, ConditionStatus.True, "Running",
          "spec.reducer.replicas is 0: no reducer runs", generation, now);
      return new Outcome(null, ConnectionCheck.ok("Running", "no reducers wanted"), events);
    }
    if (desired == null) {
      status.setReducersReady(null);
      Conditions.set(conditions, ConditionTypes.REDUCERS_READY, ConditionStatus.False, "WaitingForActionsTopic",
          "The reducer Deployment is created once the actions topic's partitions are known (see condition "
              + "TopicsReady)", generation, now);
      return new Outcome(null, ConnectionCheck.ok("WaitingForActionsTopic",
          "reducers wait for the actions topic"), events);
    }
    String cap = observed.actionsPartitions() != null && spec.getReplicas() > observed.actionsPartitions()
        ? " (spec.reducer.replicas " + spec.getReplicas() + " is capped at the actions topic's "
            + observed.actionsPartitions() + " partitions)" : "";
    if (current == null) {
      events.add(PlannedEvent.normal(EventReason.DeploymentCreated, "Created the reducer Deployment with "
          + desired + " replicas" + cap));
    } else if (wasPaused) {
      events.add(PlannedEvent.normal(EventReason.Resumed, "Reducers scaled back to " + desired
          + (restored != null && !restored.equals(desired) ? " (were " + restored + " before the pause; "
              + "spec.reducer.replicas or the partitions changed meanwhile)" : "") + cap));
    } else if (wasHeldBy != null) {
      events.add(PlannedEvent.normal(EventReason.Resumed, "Reducers scaled back to " + desired + ": WatermarkReset "
          + wasHeldBy + " released them" + cap));
    } else if (desired > current) {
      events.add(PlannedEvent.normal(EventReason.ScaledUp, "Scaled reducers from " + current + " to " + desired
          + cap));
    } else if (desired < current) {
      events.add(PlannedEvent.normal(EventReason.ScaledDown, "Scaled reducers from " + current + " to " + desired
          + cap));
    }
    int ready = current == null ? 0 : observed.readyReplicas();
    status.setReducersReady(ready + "/" + desired);
    if (ready >= desired) {
      Conditions.set(conditions, ConditionTypes.REDUCERS_READY, ConditionStatus.True, "Running",
          ready + "/" + desired + " reducer pods ready" + cap, generation, now);
    } else {
      Conditions.set(conditions, ConditionTypes.REDUCERS_READY, ConditionStatus.False, STARTING,
          ready + "/" + desired + " reducer pods ready" + cap, generation, now);
    }
    return new Outcome(new ReducerChange.Apply(desired), ConnectionCheck.ok("Running", "reducers " + ready + "/"
        + desired + " ready"), events);
  }

  /**
   * Reducers held by a reset: scaled to zero (an existing Deployment only; none is created meanwhile), whatever the
   * spec says; a refused spec stays refused, and then only the replica count changes.
   */
  private static Outcome held(ReducerPipelineStatus status, ReducerObservation observed, String wasHeldBy,
      long generation, Instant now, List<PlannedEvent> events) {
    Integer current = observed.deploymentReplicas();
    String why = "WatermarkReset " + observed.heldByReset() + " holds them while it moves their consumer group's "
        + "offsets; the projections keep running";
    if (!observed.heldByReset().equals(wasHeldBy) || (current != null && current > 0)) {
      events.add(PlannedEvent.normal(EventReason.Paused, (current != null && current > 0
          ? "Scaled reducers from " + current + " to 0: " : "No reducer runs: ") + why));
    }
    status.setReducersReady(observed.readyReplicas() + "/0");
    Conditions.set(status.getConditions(), ConditionTypes.REDUCERS_READY, ConditionStatus.True, RESET_IN_PROGRESS,
        "No reducer runs: " + why, generation, now);
    ConnectionCheck check = refusal(observed).orElse(ConnectionCheck.ok(RESET_IN_PROGRESS,
        "reducers held by WatermarkReset " + observed.heldByReset()));
    if (observed.refusalReason() != null) {
      refusedCondition(status, observed, generation, now, events);
    }
    return new Outcome(stop(observed), check, events);
  }

  /**
   * Zero replicas for an existing Deployment, only scaled when the spec is refused; nothing when there is none (none
   * is created to run no pod).
   */
  private static ReducerChange stop(ReducerObservation observed) {
    if (observed.deploymentReplicas() == null) {
      return null;
    }
    return observed.refusalReason() != null ? new ReducerChange.ScaleOnly(0) : new ReducerChange.Apply(0);
  }

  /** The spec's count capped at the partitions; the current count while partitions are unknown; null: none yet. */
  static Integer desired(int requested, Integer partitions, Integer current) {
    if (partitions == null) {
      return current;
    }
    return Math.min(requested, partitions);
  }

  private static Optional<ConnectionCheck> refusal(ReducerObservation observed) {
    return observed.refusalReason() == null ? Optional.empty()
        : Optional.of(ConnectionCheck.failed(observed.refusalReason(), observed.refusalMessage(), true));
  }

  private static void refusedCondition(ReducerPipelineStatus status, ReducerObservation observed, long generation,
      Instant now, List<PlannedEvent> events) {
    boolean sameRefusal = status.condition(ConditionTypes.REDUCERS_READY)
        .map(c -> c.getStatus() == ConditionStatus.False && observed.refusalReason().equals(c.getReason())
            && observed.refusalMessage().equals(c.getMessage()))
        .orElse(false);
    if (!sameRefusal) {
      events.add(PlannedEvent.warning(EventReason.Refused, observed.refusalMessage()));
    }
    Conditions.set(status.getConditions(), ConditionTypes.REDUCERS_READY, ConditionStatus.False,
        observed.refusalReason(), observed.refusalMessage(), generation, now);
  }

  private static boolean isTrue(ReducerPipelineStatus status, String type) {
    return status.condition(type).map(c -> c.getStatus() == ConditionStatus.True).orElse(false);
  }
}
