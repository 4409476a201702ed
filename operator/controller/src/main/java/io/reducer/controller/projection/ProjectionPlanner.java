package io.reducer.controller.projection;

import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ProjectionStatus;
import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.api.v1alpha1.common.HealthLevel;
import io.reducer.controller.events.EventReason;
import io.reducer.controller.events.PlannedEvent;
import io.reducer.controller.probe.ProjectionMeasurement;
import io.reducer.controller.probe.ProjectionProbe;
import io.reducer.controller.status.ConditionTypes;
import io.reducer.controller.status.Conditions;
import io.reducer.controller.status.KstatusConditions;
import io.reducer.controller.workload.EmergencyStop;
import io.reducer.workloads.materializer.TableOwner;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides a projection's replicas, status and Events from what was observed. A plain function: no cluster,
 * broker or database, so every transition is unit-tested.
 *
 * <p>Conditions: {@code Ready} (materializers running as wanted and measured), {@code Reconciling} (only while
 * converging), {@code Stalled} (only while a spec problem blocks progress), {@code Degraded} (health is Warning or
 * Critical, could not be measured, or materializer pods fail) and {@code Paused}. Materializer pods that cannot start
 * or keep crashing ({@link MaterializerFailure}) set {@code Ready=False} with a reason of their own.
 */
public final class ProjectionPlanner {

  /**
   * Reason of a projection whose spec.table belongs to another Projection (projection_tables): its materializers
   * refuse to start, so the operator shows it and creates or scales nothing.
   */
  public static final String TABLE_OWNED_BY_OTHER_PROJECTION = "TableOwnedByOtherProjection";

  private ProjectionPlanner() {
  }

  public static ProjectionPlan plan(Projection projection, ProjectionObservation observed, Instant now) {
    ProjectionStatus previous = projection.getStatus() == null ? new ProjectionStatus() : projection.getStatus();
    long generation = projection.getMetadata().getGeneration() == null ? 0 : projection.getMetadata().getGeneration();
    ProjectionStatus status = new ProjectionStatus();
    status.setObservedGeneration(generation);
    List<Condition> conditions = Conditions.copy(previous.getConditions());
    status.setConditions(conditions);
    KstatusConditions kstatus = KstatusConditions.on(conditions, generation, now);
    List<PlannedEvent> events = new ArrayList<>();
    ProjectionProbe probe = observed.probe();

    measure(status, previous, probe, projection);
    status.setActiveReset(observed.heldByReset());
    // Written by the WatermarkReset reconciler; carried over so a status patch from here never drops it.
    status.setCompletedResets(previous.getCompletedResets());

    int current = observed.deploymentReplicas() == null ? 0 : observed.deploymentReplicas();
    status.setReadyReplicas(observed.readyReplicas());
    String pauseReason = pauseReason(projection, observed);

    String refusalReason = observed.refusalReason();
    String refusalMessage = observed.refusalMessage();
    // A probe failure only the user can fix: the projection is Stalled, not just Degraded.
    if (refusalReason == null && probe != null && probe.failed() && probe.failureReason().needsUser()) {
      // Pods would only fail the same way (a missing Secret, a missing topic): leave the Deployment as it is.
      refusalReason = probe.failureReason().name();
      refusalMessage = probe.failureMessage();
    }
    TableOwner owner = probe == null ? null : probe.tableOwner();
    if (refusalReason == null && owner != null
        && !owner.sameProjection(projection.getMetadata().getNamespace(), projection.getMetadata().getName())) {
      refusalReason = TABLE_OWNED_BY_OTHER_PROJECTION;
      refusalMessage = tableOwnedMessage(projection, owner);
    }
    if (refusalReason != null) {
      // Nothing is created or reconfigured from a refused spec. A projection that must stop still stops: a reset
      // waits for the consumer group to empty, and pause is the emergency brake. So an existing Deployment is
      // scaled to zero, and only its replica count changes.
      boolean stop = pauseReason != null && observed.deploymentReplicas() != null;
      boolean scaled = stop && current != 0;
      status.setReplicas(stop ? Integer.valueOf(0) : observed.deploymentReplicas());
      status.setLastScaleTime(scaled ? now.truncatedTo(ChronoUnit.SECONDS).toString() : previous.getLastScaleTime());
      kstatus.stuck(refusalReason, refusalMessage);
      degraded(conditions, status, probe, null, null, generation, now);
      boolean wasPaused = isTrue(previous, ConditionTypes.PAUSED);
      pausedCondition(conditions, pauseReason, observed, generation, now);
      if (!isTrueWithReason(previous, ConditionTypes.STALLED, refusalReason)) {
        events.add(PlannedEvent.warning(EventReason.Refused, refusalMessage));
      }
      if (pauseReason != null && (!wasPaused || scaled)) {
        events.add(PlannedEvent.normal(EventReason.Paused, (scaled ? "Scaled materializers from " + current
            + " to 0: " : "No materializer runs: ") + pauseMessage(pauseReason, observed)
            + "; the spec stays refused (" + refusalReason + "), so nothing else is changed"));
      }
      return stop ? ProjectionPlan.scaleOnly(0, status, events) : new ProjectionPlan(null, null, status, events);
    }
    kstatus.notStalled();

    Instant lastScale = previous.getLastScaleTime() == null ? null : Instant.parse(previous.getLastScaleTime());
    ReplicaDecision decision = ReplicaPlanner.decide(projection.getSpec().getScaling(), pauseReason != null,
        probe == null ? null : probe.partitions(),
        probe == null || probe.measurement() == null ? null : probe.measurement().consumerLag(),
        current, lastScale, now);
    int replicas = decision.replicas();
    status.setReplicas(replicas);
    boolean scaled = observed.deploymentReplicas() != null && replicas != current;
    status.setLastScaleTime(scaled ? now.truncatedTo(ChronoUnit.SECONDS).toString() : previous.getLastScaleTime());
    if (scaled && pauseReason == null && !isTrue(previous, ConditionTypes.PAUSED)) {
      events.add(PlannedEvent.normal(replicas > current ? EventReason.ScaledUp : EventReason.ScaledDown,
          "Scaled materializers from " + current + " to " + replicas + ": " + explain(decision, probe)));
    }

    boolean wasPaused = isTrue(previous, ConditionTypes.PAUSED);
    pausedCondition(conditions, pauseReason, observed, generation, now);
    if (pauseReason != null && !wasPaused) {
      events.add(PlannedEvent.normal(EventReason.Paused, "Scaled materializers to 0: " + pauseMessage(pauseReason,
          observed)));
    } else if (pauseReason == null && wasPaused) {
      events.add(PlannedEvent.normal(EventReason.Resumed, "Restored " + replicas + " materializers"));
    }

    // Not measured: the broker or the database did not answer. Running pods alone do not make a projection Ready.
    boolean measuring = probe == null || probe.partitions() == null || probe.measurement() == null;
    boolean podsReady = observed.deploymentReplicas() != null && observed.readyReplicas() >= replicas
        && current == replicas;
    // Pods that cannot start or keep crashing say why, whatever the probe found; ready pods have nothing to say.
    MaterializerFailure failure = pauseReason == null && !podsReady ? observed.materializerFailure() : null;
    String failureMessage = failure == null ? null : failureMessage(failure, observed.readyReplicas(), replicas);
    if (pauseReason != null) {
      kstatus.ready(ConditionStatus.True, "Paused", pauseMessage(pauseReason, observed))
          .reconciling(current != 0 ? "ScalingToZero" : null, "Waiting for the materializers to stop");
    } else if (failure != null) {
      // Not converging: Kubernetes retries, but only a change (image, Secret, quota, configuration) ends it.
      kstatus.ready(ConditionStatus.False, failure.reason().name(), failureMessage).notReconciling();
    } else if (probe == null) {
      kstatus.ready(ConditionStatus.Unknown, "ProbePending", "The first health probe has not finished yet")
          .reconciling("ProbePending", "Waiting for the first health probe");
    } else if (measuring) {
      kstatus.ready(ConditionStatus.Unknown, probe.failureReason().name(), probe.failureMessage())
          .notReconciling();
    } else if (!podsReady) {
      String message = observed.readyReplicas() + " of " + replicas + " materializers ready";
      kstatus.ready(ConditionStatus.False, "MaterializersNotReady", message)
          .reconciling("MaterializersNotReady", message);
    } else {
      kstatus.ready(ConditionStatus.True, "MaterializersReady",
          replicas + " materializers ready for " + probe.partitions() + " partitions").notReconciling();
    }
    if (pauseReason == null && probe != null && measuring
        && !isTrueWithReason(previous, ConditionTypes.DEGRADED, probe.failureReason().name())) {
      events.add(PlannedEvent.warning(EventReason.ConnectionFailed, probe.failureMessage()));
    }
    materializerEvents(events, previous, failure, failureMessage, pauseReason, observed.readyReplicas(), replicas);
    degraded(conditions, status, probe, failure, failureMessage, generation, now);
    return new ProjectionPlan(replicas, decision, status, events);
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
  private static void materializerEvents(List<PlannedEvent> events, ProjectionStatus previous,
      MaterializerFailure failure, String failureMessage, String pauseReason, int ready, int replicas) {
    Condition before = previous.condition(ConditionTypes.READY).orElse(null);
    if (failure != null) {
      if (before == null || !failure.reason().name().equals(before.getReason())
          || !failureMessage.equals(before.getMessage())) {
        events.add(PlannedEvent.warning(EventReason.MaterializersFailing, failure.cause()));
      }
      return;
    }
    Optional<MaterializerFailure.Reason> was = before == null ? Optional.empty()
        : MaterializerFailure.Reason.of(before.getReason());
    if (was.isPresent() && pauseReason == null) {
      events.add(PlannedEvent.normal(EventReason.MaterializersRecovered, "Materializer pods no longer fail (was "
          + was.get() + "): " + ready + " of " + replicas + " ready"));
    }
  }

  private static void degraded(List<Condition> conditions, ProjectionStatus status, ProjectionProbe probe,
      MaterializerFailure failure, String failureMessage, long generation, Instant now) {
    if (probe != null && probe.failed()) {
      // The broker or the database is the likelier root cause; Ready still says what the pods do.
      Conditions.set(conditions, ConditionTypes.DEGRADED, ConditionStatus.True, probe.failureReason().name(),
          probe.failureMessage(), generation, now);
    } else if (failure != null) {
      Conditions.set(conditions, ConditionTypes.DEGRADED, ConditionStatus.True, failure.reason().name(),
          failureMessage, generation, now);
    } else if (probe == null) {
      Conditions.set(conditions, ConditionTypes.DEGRADED, ConditionStatus.Unknown, "ProbePending",
          "Not measured yet", generation, now);
    } else if (status.getHealth() == HealthLevel.Critical || status.getHealth() == HealthLevel.Warning) {
      Conditions.set(conditions, ConditionTypes.DEGRADED, ConditionStatus.True, "Health" + status.getHealth(),
          healthMessage(status), generation, now);
    } else if (status.getHealth() == HealthLevel.Unknown) {
      Conditions.set(conditions, ConditionTypes.DEGRADED, ConditionStatus.Unknown, "NotMeasurable",
          "Watermark lag is unknown: a partition has records but the projection has not applied any yet",
          generation, now);
    } else {
      Conditions.set(conditions, ConditionTypes.DEGRADED, ConditionStatus.False, "Healthy",
          "Lag and watermark lag are within their thresholds", generation, now);
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

  private static void pausedCondition(List<Condition> conditions, String pauseReason,
      ProjectionObservation observed, long generation, Instant now) {
    if (pauseReason == null) {
      Conditions.set(conditions, ConditionTypes.PAUSED, ConditionStatus.False, "Running",
          "Materializers run as scaled", generation, now);
    } else {
      Conditions.set(conditions, ConditionTypes.PAUSED, ConditionStatus.True, pauseReason,
          "Materializers are scaled to zero: " + pauseMessage(pauseReason, observed), generation, now);
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
}
