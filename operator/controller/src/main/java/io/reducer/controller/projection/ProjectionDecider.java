package io.reducer.controller.projection;

import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ProjectionStatus;
import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.api.v1alpha1.common.HealthLevel;
import io.reducer.controller.decision.Decision;
import io.reducer.controller.events.EventReason;
import io.reducer.controller.events.PlannedEvent;
import io.reducer.controller.probe.ProjectionMeasurement;
import io.reducer.controller.probe.ProjectionProbe;
import io.reducer.controller.status.ConditionTypes;
import io.reducer.controller.status.Conditions;
import io.reducer.controller.status.KstatusConditions;
import io.reducer.controller.workload.EmergencyStop;
import io.reducer.workloads.materializer.TableOwner;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides a projection's Deployment change, status and Events from what was observed. A plain function: no cluster,
 * broker or database, so every transition is unit-tested.
 *
 * <p>Conditions: {@code Ready} (materializers running as wanted and measured), {@code Reconciling} (only while
 * converging), {@code Stalled} (only while a spec problem blocks progress), {@code Degraded} (health is Warning or
 * Critical, could not be measured, or materializer pods fail) and {@code Paused}. Materializer pods that cannot start
 * or keep crashing ({@link MaterializerFailure}) set {@code Ready=False} with a reason of their own.
 */
public final class ProjectionDecider {

  /**
   * Reason of a projection whose spec.table belongs to another Projection (projection_tables): its materializers
   * refuse to start, so the operator shows it and creates or scales nothing.
   */
  public static final String TABLE_OWNED_BY_OTHER_PROJECTION = "TableOwnedByOtherProjection";

  private ProjectionDecider() {
  }

  /**
   * Decides the change to the materializer Deployment (at most one), the status and the Events; the projection is
   * looked at again after its probe interval.
   */
  public static Decision<ProjectionStatus, MaterializerChange> decide(Projection projection,
      ProjectionObservation observed, Instant now) {
    Draft draft = Draft.start(projection, observed, now);
    String pauseReason = pauseReason(projection, observed);
    Refusal refusal = refusal(projection, observed);
    List<MaterializerChange> changes = refusal != null ? refused(draft, observed, refusal, pauseReason)
        : accepted(draft, projection, observed, pauseReason);
    return new Decision<>(draft.status(), changes, draft.events(),
        Decision.Next.after(Duration.ofSeconds(projection.getSpec().getHealth().getProbeIntervalSeconds())));
  }

  /**
   * Why nothing may be created or reconfigured: a refusal the reconciler observed, a probe failure only the user can
   * fix, or a table that belongs to another projection; null when the spec can be acted on.
   */
  private static Refusal refusal(Projection projection, ProjectionObservation observed) {
    if (observed.refusalReason() != null) {
      return new Refusal(observed.refusalReason(), observed.refusalMessage());
    }
    ProjectionProbe probe = observed.probe();
    // A probe failure only the user can fix: the projection is Stalled, not just Degraded.
    if (probe != null && probe.failed() && probe.failureReason().needsUser()) {
      // Pods would only fail the same way (a missing Secret, a missing topic): leave the Deployment as it is.
      return new Refusal(probe.failureReason().name(), probe.failureMessage());
    }
    TableOwner owner = probe == null ? null : probe.tableOwner();
    if (owner != null
        && !owner.sameProjection(projection.getMetadata().getNamespace(), projection.getMetadata().getName())) {
      return new Refusal(TABLE_OWNED_BY_OTHER_PROJECTION, tableOwnedMessage(projection, owner));
    }
    return null;
  }

  /**
   * A refused spec: Stalled, and nothing is created or reconfigured. A projection that must stop still stops: a reset
   * waits for the consumer group to empty, and pause is the emergency brake. So an existing Deployment is scaled to
   * zero, and only its replica count changes.
   */
  private static List<MaterializerChange> refused(Draft draft, ProjectionObservation observed, Refusal refusal,
      String pauseReason) {
    boolean stop = pauseReason != null && observed.deploymentReplicas() != null;
    int current = current(observed);
    boolean scaled = stop && current != 0;
    draft.status().setReplicas(stop ? Integer.valueOf(0) : observed.deploymentReplicas());
    draft.scaleTime(scaled);
    draft.kstatus().stuck(refusal.reason(), refusal.message());
    degraded(draft, observed.probe(), null, null);
    pausedCondition(draft, pauseReason, observed);
    if (!isTrueWithReason(draft.previous(), ConditionTypes.STALLED, refusal.reason())) {
      draft.events().add(PlannedEvent.warning(EventReason.Refused, refusal.message()));
    }
    if (pauseReason != null && (!isTrue(draft.previous(), ConditionTypes.PAUSED) || scaled)) {
      draft.events().add(PlannedEvent.normal(EventReason.Paused, (scaled ? "Scaled materializers from " + current
          + " to 0: " : "No materializer runs: ") + pauseMessage(pauseReason, observed)
          + "; the spec stays refused (" + refusal.reason() + "), so nothing else is changed"));
    }
    return stop ? List.of(new MaterializerChange.ScaleOnly(0)) : List.of();
  }

  /** A spec that can be acted on: the replica count, pause, readiness and health, in that order. */
  private static List<MaterializerChange> accepted(Draft draft, Projection projection, ProjectionObservation observed,
      String pauseReason) {
    draft.kstatus().notStalled();
    ReplicaDecision count = replicaCount(projection, observed, pauseReason, draft);
    int replicas = count.replicas();
    scale(draft, observed, count, pauseReason);
    pause(draft, observed, pauseReason, replicas);
    // Pods that cannot start or keep crashing say why, whatever the probe found; ready pods have nothing to say.
    MaterializerFailure failure = pauseReason == null && !podsReady(observed, replicas)
        ? observed.materializerFailure() : null;
    String failureMessage = failure == null ? null : failureMessage(failure, observed.readyReplicas(), replicas);
    readiness(draft, observed, pauseReason, failure, failureMessage, replicas);
    connectionEvent(draft, observed.probe(), pauseReason);
    materializerEvents(draft, failure, failureMessage, pauseReason, observed.readyReplicas(), replicas);
    degraded(draft, observed.probe(), failure, failureMessage);
    // No Deployment is created only to run no pod.
    return observed.deploymentReplicas() == null && replicas == 0 ? List.of()
        : List.of(new MaterializerChange.Apply(replicas, count));
  }

  /** The count for the probe's partitions and lag, 0 while paused (see {@link ReplicaCount}). */
  private static ReplicaDecision replicaCount(Projection projection, ProjectionObservation observed,
      String pauseReason, Draft draft) {
    ProjectionProbe probe = observed.probe();
    String lastScale = draft.previous().getLastScaleTime();
    return ReplicaCount.decide(projection.getSpec().getScaling(), pauseReason != null,
        probe == null ? null : probe.partitions(),
        probe == null || probe.measurement() == null ? null : probe.measurement().consumerLag(),
        current(observed), lastScale == null ? null : Instant.parse(lastScale), draft.now());
  }

  /** The replicas in status, the scale time, and a ScaledUp or ScaledDown Event when a running projection scales. */
  private static void scale(Draft draft, ProjectionObservation observed, ReplicaDecision count, String pauseReason) {
    int current = current(observed);
    int replicas = count.replicas();
    draft.status().setReplicas(replicas);
    boolean scaled = observed.deploymentReplicas() != null && replicas != current;
    draft.scaleTime(scaled);
    if (scaled && pauseReason == null && !isTrue(draft.previous(), ConditionTypes.PAUSED)) {
      draft.events().add(PlannedEvent.normal(replicas > current ? EventReason.ScaledUp : EventReason.ScaledDown,
          "Scaled materializers from " + current + " to " + replicas + ": " + explain(count, observed.probe())));
    }
  }

  /** The Paused condition, and a Paused or Resumed Event when it turns. */
  private static void pause(Draft draft, ProjectionObservation observed, String pauseReason, int replicas) {
    boolean wasPaused = isTrue(draft.previous(), ConditionTypes.PAUSED);
    pausedCondition(draft, pauseReason, observed);
    if (pauseReason != null && !wasPaused) {
      draft.events().add(PlannedEvent.normal(EventReason.Paused, "Scaled materializers to 0: "
          + pauseMessage(pauseReason, observed)));
    } else if (pauseReason == null && wasPaused) {
      draft.events().add(PlannedEvent.normal(EventReason.Resumed, "Restored " + replicas + " materializers"));
    }
  }

  /** Ready and Reconciling: paused, pods failing, not measured, pods not ready yet, or ready. */
  private static void readiness(Draft draft, ProjectionObservation observed, String pauseReason,
      MaterializerFailure failure, String failureMessage, int replicas) {
    ProjectionProbe probe = observed.probe();
    KstatusConditions kstatus = draft.kstatus();
    if (pauseReason != null) {
      kstatus.ready(ConditionStatus.True, "Paused", pauseMessage(pauseReason, observed))
          .reconciling(current(observed) != 0 ? "ScalingToZero" : null, "Waiting for the materializers to stop");
    } else if (failure != null) {
      // Not converging: Kubernetes retries, but only a change (image, Secret, quota, configuration) ends it.
      kstatus.ready(ConditionStatus.False, failure.reason().name(), failureMessage).notReconciling();
    } else if (probe == null) {
      kstatus.ready(ConditionStatus.Unknown, "ProbePending", "The first health probe has not finished yet")
          .reconciling("ProbePending", "Waiting for the first health probe");
    } else if (unmeasured(probe)) {
      kstatus.ready(ConditionStatus.Unknown, probe.failureReason().name(), probe.failureMessage())
          .notReconciling();
    } else if (!podsReady(observed, replicas)) {
      String message = observed.readyReplicas() + " of " + replicas + " materializers ready";
      kstatus.ready(ConditionStatus.False, "MaterializersNotReady", message)
          .reconciling("MaterializersNotReady", message);
    } else {
      kstatus.ready(ConditionStatus.True, "MaterializersReady",
          replicas + " materializers ready for " + probe.partitions() + " partitions").notReconciling();
    }
  }

  /** A Warning when a running projection's probe first fails to measure, or fails another way. */
  private static void connectionEvent(Draft draft, ProjectionProbe probe, String pauseReason) {
    if (pauseReason == null && probe != null && unmeasured(probe)
        && !isTrueWithReason(draft.previous(), ConditionTypes.DEGRADED, probe.failureReason().name())) {
      draft.events().add(PlannedEvent.warning(EventReason.ConnectionFailed, probe.failureMessage()));
    }
  }

  /** Not measured: the broker or the database did not answer. Running pods alone do not make a projection Ready. */
  private static boolean unmeasured(ProjectionProbe probe) {
    return probe == null || probe.partitions() == null || probe.measurement() == null;
  }

  /** The Deployment has the wanted count, and at least that many pods are ready. */
  private static boolean podsReady(ProjectionObservation observed, int replicas) {
    return observed.deploymentReplicas() != null && observed.readyReplicas() >= replicas
        && current(observed) == replicas;
  }

  /** The Deployment's replicas now; 0 when there is none. */
  private static int current(ProjectionObservation observed) {
    return observed.deploymentReplicas() == null ? 0 : observed.deploymentReplicas();
  }

  private static String tableOwnedMessage(Projection projection, TableOwner owner) {
    String table = projection.getSpec().getTable();
    return "spec.table '" + table + "' belongs to " + owner.describe() + ": this projection's materializers refuse "
        + "it (exit 2), so its rows are never mixed into that read model and its rebuild never truncates it; nothing "
        + "is scaled up. Create this Projection with another spec.table, or, if that projection is gone for good, "
        + "release the table: DELETE FROM projection_tables WHERE table_name = '" + table + "' (in the pipeline's "
        + "schema)";
  }

  /**
   * "2 of 3 materializers ready, 1 failing; pod P: CrashLoopBackOff, last exit code 2: ...": the counts, then the
   * worst failure and the pod that shows it.
   */
  private static String failureMessage(MaterializerFailure failure, int ready, int replicas) {
    return ready + " of " + replicas + " materializers ready"
        + (failure.failingPods() > 0 ? ", " + failure.failingPods() + " failing" : "") + "; " + failure.describe();
  }

  /**
   * A Warning when the pods' failure first shows or changes; its message is the cause alone, so the same cause seen
   * again (another pod, other counts) raises the count of one Event. A Normal Event when the failure is gone.
   */
  private static void materializerEvents(Draft draft, MaterializerFailure failure, String failureMessage,
      String pauseReason, int ready, int replicas) {
    Condition before = draft.previous().condition(ConditionTypes.READY).orElse(null);
    if (failure != null) {
      if (before == null || !failure.reason().name().equals(before.getReason())
          || !failureMessage.equals(before.getMessage())) {
        draft.events().add(PlannedEvent.warning(EventReason.MaterializersFailing, failure.cause()));
      }
      return;
    }
    Optional<MaterializerFailure.Reason> was = before == null ? Optional.empty()
        : MaterializerFailure.Reason.of(before.getReason());
    if (was.isPresent() && pauseReason == null) {
      draft.events().add(PlannedEvent.normal(EventReason.MaterializersRecovered, "Materializer pods no longer fail "
          + "(was " + was.get() + "): " + ready + " of " + replicas + " ready"));
    }
  }

  /** Degraded: a failed probe, failing pods, nothing measured yet, or the health the figures show. */
  private static void degraded(Draft draft, ProjectionProbe probe, MaterializerFailure failure,
      String failureMessage) {
    ProjectionStatus status = draft.status();
    if (probe != null && probe.failed()) {
      // The broker or the database is the likelier root cause; Ready still says what the pods do.
      draft.setCondition(ConditionTypes.DEGRADED, ConditionStatus.True, probe.failureReason().name(),
          probe.failureMessage());
    } else if (failure != null) {
      draft.setCondition(ConditionTypes.DEGRADED, ConditionStatus.True, failure.reason().name(), failureMessage);
    } else if (probe == null) {
      draft.setCondition(ConditionTypes.DEGRADED, ConditionStatus.Unknown, "ProbePending", "Not measured yet");
    } else if (status.getHealth() == HealthLevel.Critical || status.getHealth() == HealthLevel.Warning) {
      draft.setCondition(ConditionTypes.DEGRADED, ConditionStatus.True, "Health" + status.getHealth(),
          healthMessage(status));
    } else if (status.getHealth() == HealthLevel.Unknown) {
      draft.setCondition(ConditionTypes.DEGRADED, ConditionStatus.Unknown, "NotMeasurable",
          "Watermark lag is unknown: a partition has records but the projection has not applied any yet");
    } else {
      draft.setCondition(ConditionTypes.DEGRADED, ConditionStatus.False, "Healthy",
          "Lag and watermark lag are within their thresholds");
    }
  }

  private static String healthMessage(ProjectionStatus status) {
    StringBuilder message = new StringBuilder("consumer lag " + status.getConsumerLag() + " records, watermark lag "
        + status.getWatermarkLagMs() + " ms");
    if (!status.getStalledPartitions().isEmpty()) {
      message.append(", stalled partitions ").append(status.getStalledPartitions());
    }
    if (status.getWatermarkRegressions() != null && status.getWatermarkRegressions() > 0) {
      message.append(", ").append(status.getWatermarkRegressions()).append(" watermark regressions");
    }
    return message.toString();
  }

  private static void pausedCondition(Draft draft, String pauseReason, ProjectionObservation observed) {
    if (pauseReason == null) {
      draft.setCondition(ConditionTypes.PAUSED, ConditionStatus.False, "Running", "Materializers run as scaled");
    } else {
      draft.setCondition(ConditionTypes.PAUSED, ConditionStatus.True, pauseReason,
          "Materializers are scaled to zero: " + pauseMessage(pauseReason, observed));
    }
  }

  /** ResetInProgress, SpecPaused, AnnotationPaused or PipelinePaused; null when the projection should run. */
  private static String pauseReason(Projection projection, ProjectionObservation observed) {
    if (observed.heldByReset() != null) {
      return "ResetInProgress";
    }
    EmergencyStop.Reason own = EmergencyStop.of(projection, projection.getSpec().isPaused());
    if (own != null) {
      return own.name();
    }
    return observed.pipelinePause() != null ? "PipelinePaused" : null;
  }

  private static String pauseMessage(String reason, ProjectionObservation observed) {
    switch (reason) {
      case "ResetInProgress":
        return "WatermarkReset " + observed.heldByReset() + " holds the projection";
      case "PipelinePaused":
        return "the pipeline is paused: its " + observed.pipelinePause().message();
      default:
        return EmergencyStop.Reason.valueOf(reason).message();
    }
  }

  private static String explain(ReplicaDecision decision, ProjectionProbe probe) {
    switch (decision.reason()) {
      case MatchPartitions:
        return "one per partition (" + probe.partitions() + " partitions, capped by maxReplicas)";
      case MatchLag:
        return "lag-based (" + probe.measurement().consumerLag() + " records behind)";
      default:
        return decision.reason().name();
    }
  }

  private static boolean isTrue(ProjectionStatus status, String type) {
    return status.condition(type).map(c -> c.getStatus() == ConditionStatus.True).orElse(false);
  }

  private static boolean isTrueWithReason(ProjectionStatus status, String type, String reason) {
    return status.condition(type).map(c -> c.getStatus() == ConditionStatus.True && reason.equals(c.getReason()))
        .orElse(false);
  }

  /** Copies the probe's figures; what could not be measured stays null, never zero. */
  private static void measure(ProjectionStatus status, ProjectionStatus previous, ProjectionProbe probe,
      Projection projection) {
    if (probe == null) {
      status.setHealth(HealthLevel.Unknown);
      return;
    }
    status.setPartitions(probe.partitions());
    status.setStaleRows(probe.staleRows());
    status.setWatermarkRegressions(probe.measurement() == null ? null : probe.regressionsTotal());
    ProjectionMeasurement measurement = probe.measurement();
    if (measurement != null) {
      status.setConsumerLag(measurement.consumerLag());
      status.setWatermarkLagMs(measurement.watermarkLagMs());
      status.setPartitionLag(new ArrayList<>(measurement.partitions()));
      status.setStalledPartitions(new ArrayList<>(measurement.stalledPartitions()));
      status.setEpoch(measurement.epoch());
      status.setHealth(ProjectionHealth.classify(measurement, projection.getSpec().getHealth()));
    } else {
      status.setHealth(HealthLevel.Unknown);
    }
    boolean sameFigures = Objects.equals(status.getPartitions(), previous.getPartitions())
        && Objects.equals(status.getConsumerLag(), previous.getConsumerLag())
        && Objects.equals(status.getWatermarkLagMs(), previous.getWatermarkLagMs())
        && Objects.equals(status.getPartitionLag(), previous.getPartitionLag())
        && Objects.equals(status.getStaleRows(), previous.getStaleRows())
        && Objects.equals(status.getWatermarkRegressions(), previous.getWatermarkRegressions())
        && Objects.equals(status.getStalledPartitions(), previous.getStalledPartitions())
        && Objects.equals(status.getEpoch(), previous.getEpoch())
        && status.getHealth() == previous.getHealth();
    // The probe time moves only with the figures, so an unchanged probe does not rewrite status.
    status.setLastProbeTime(sameFigures && previous.getLastProbeTime() != null ? previous.getLastProbeTime()
        : probe.probedAt().truncatedTo(ChronoUnit.SECONDS).toString());
  }

  /** Why the spec cannot be acted on: the reason of Stalled and Ready, and what to tell the user. */
  private record Refusal(String reason, String message) {
  }

  /**
   * The status being decided, and what every decision reads: the previous status, the generation it reflects and the
   * time. Each decision writes its fields and conditions into it and adds its Events, in the order it is made.
   */
  private record Draft(ProjectionStatus previous, ProjectionStatus status, KstatusConditions kstatus,
      List<PlannedEvent> events, long generation, Instant now) {

    /** The status before any decision: the probe's figures, the hold, and what other reconcilers wrote. */
    static Draft start(Projection projection, ProjectionObservation observed, Instant now) {
      ProjectionStatus previous = projection.getStatus() == null ? new ProjectionStatus() : projection.getStatus();
      Long observedGeneration = projection.getMetadata().getGeneration();
      long generation = observedGeneration == null ? 0 : observedGeneration;
      ProjectionStatus status = new ProjectionStatus();
      status.setObservedGeneration(generation);
      List<Condition> conditions = Conditions.copy(previous.getConditions());
      status.setConditions(conditions);
      measure(status, previous, observed.probe(), projection);
      status.setActiveReset(observed.heldByReset());
      // Written by the WatermarkReset reconciler; carried over so a status patch from here never drops it.
      status.setCompletedResets(previous.getCompletedResets());
      status.setReadyReplicas(observed.readyReplicas());
      return new Draft(previous, status, KstatusConditions.on(conditions, generation, now), new ArrayList<>(),
          generation, now);
    }

    void setCondition(String type, ConditionStatus conditionStatus, String reason, String message) {
      Conditions.set(status.getConditions(), type, conditionStatus, reason, message, generation, now);
    }

    /** The scale time moves only when the replica count changes. */
    void scaleTime(boolean scaled) {
      status.setLastScaleTime(scaled ? now.truncatedTo(ChronoUnit.SECONDS).toString() : previous.getLastScaleTime());
    }
  }
}
