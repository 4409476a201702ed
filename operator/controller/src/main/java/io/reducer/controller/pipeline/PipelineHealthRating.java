package io.reducer.controller.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.api.v1alpha1.common.HealthLevel;
import io.reducer.api.v1alpha1.common.LowerThreshold;
import io.reducer.api.v1alpha1.common.UpperThreshold;
import io.reducer.api.v1alpha1.pipeline.PipelineHealthThresholds;
import io.reducer.api.v1alpha1.pipeline.PipelineMetrics;
import io.reducer.controller.events.EventReason;
import io.reducer.controller.events.PlannedEvent;
import io.reducer.controller.postgres.CanonicalStoreHealth;
import io.reducer.controller.status.ConditionTypes;
import io.reducer.controller.status.Conditions;
import io.reducer.controller.status.HealthClassifier;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Turns a health probe of a pipeline into status.metrics, status.health, status.projectionsHealthy, lastProbeTime, the
 * Degraded condition and the Events of health changes. A plain function: no cluster, no clock.
 *
 * <p>Rules: each figure against its threshold of spec.health (conflict rate, success rate, commit p95, outbox lag,
 * outbox backlog, DLQ depth); an outbox sequence gap is Critical; the worst projection's level counts; a figure that
 * could not be measured makes health Unknown unless something is Critical (the order of {@link HealthClassifier}).
 * The commit p95 only counts once the reducers export it: reducers that report but have not committed yet leave it
 * out rather than make health Unknown.
 */
public final class PipelineHealthRating {

  /** Degraded reason when no reducer of the pipeline wrote its stats row recently. */
  public static final String NO_REDUCER_REPORTING = "NoReducerReporting";

  private static final ObjectMapper TREES = new ObjectMapper();

  private PipelineHealthRating() {
  }

  /**
   * Sets the health fields and the Degraded condition on {@code status} (in place).
   *
   * @param status the status to write, holding the previous health (for the Events)
   * @param thresholds spec.health
   * @param projections the pipeline's projections summed up ({@link ProjectionRollup#of})
   * @return a Warning Event when health got worse or Unknown, a Normal one when it improved; none when unchanged
   */
  public static List<PlannedEvent> report(ReducerPipelineStatus status, PipelineHealthObservation observed,
      PipelineHealthThresholds thresholds, ProjectionRollup projections, long generation, Instant now) {
    HealthLevel previous = status.getHealth();
    boolean sameFigures = TREES.valueToTree(metrics(observed)).equals(TREES.valueToTree(status.getMetrics()));
    status.setMetrics(metrics(observed));
    status.setProjectionsHealthy(projections.summary());
    // The probe time moves only with the figures, so an unchanged probe does not rewrite status.
    if (!sameFigures || status.getLastProbeTime() == null) {
      status.setLastProbeTime(observed.probedAt().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    List<Finding> findings = findings(observed, thresholds, projections);
    HealthClassifier classifier = new HealthClassifier();
    findings.forEach(f -> classifier.finding(true, f.level()));
    HealthLevel level = classifier.level();
    status.setHealth(level);

    List<Finding> worst = findings.stream().filter(f -> f.level() == level).collect(Collectors.toList());
    switch (level) {
      case Healthy:
        Conditions.set(status.getConditions(), ConditionTypes.DEGRADED, ConditionStatus.False, "Healthy",
            "Every measurement is within its thresholds", generation, now);
        break;
      case Unknown:
        Conditions.set(status.getConditions(), ConditionTypes.DEGRADED, ConditionStatus.Unknown,
            worst.get(0).reason(), messages(worst), generation, now);
        break;
      default:
        List<Finding> warnings = findings.stream().filter(f -> f.level() != HealthLevel.Healthy && f.level() != level)
            .collect(Collectors.toList());
        Conditions.set(status.getConditions(), ConditionTypes.DEGRADED, ConditionStatus.True, worst.get(0).reason(),
            messages(worst) + (warnings.isEmpty() ? "" : "; also " + messages(warnings)), generation, now);
    }
    status.setObservedGeneration(generation);
    return events(previous, level, worst);
  }

  private static PipelineMetrics metrics(PipelineHealthObservation observed) {
    PipelineMetrics metrics = new PipelineMetrics();
    CanonicalStoreHealth.Figures store = observed.store();
    if (store != null) {
      metrics.setConflictRatePercent(round(store.conflictRatePercent()));
      metrics.setSuccessRatePercent(round(store.successRatePercent()));
      metrics.setCommitLatencyP95Ms(round(store.commitP95Ms()));
      metrics.setGaveUpCount(store.gaveUpLogged());
      metrics.setOutboxBacklog(store.outboxBacklog());
      metrics.setOutboxLagMs(store.outboxLagMs());
      metrics.setOutboxSequenceGaps(store.outboxGaps());
      metrics.setDedupEntries(store.dedupEntries());
      metrics.setDedupLastCleanupTime(store.dedupLastCleanup() == null ? null
          : store.dedupLastCleanup().truncatedTo(ChronoUnit.SECONDS).toString());
      metrics.setDedupLastCleanupDeleted(store.dedupLastCleanupDeleted());
    }
    metrics.setDlqDepth(observed.dlqDepth());
    return metrics;
  }

  /** Every figure's level, in the order the message names them. */
  private static List<Finding> findings(PipelineHealthObservation observed, PipelineHealthThresholds thresholds,
      ProjectionRollup projections) {
    List<Finding> findings = new ArrayList<>();
    PipelineHealthObservation.Failure database = observed.database();
    if (database != null) {
      findings.add(new Finding(HealthLevel.Unknown, database.reason(),
          "the canonical store could not be read: " + database.message()));
    } else if (observed.reducersReporting() == 0) {
      findings.add(new Finding(HealthLevel.Unknown, NO_REDUCER_REPORTING, "no reducer of the pipeline wrote its "
          + "reducer_stats row in the last " + PipelineHealthProbe.STATS_FRESHNESS.toSeconds() + " s, so conflict "
          + "rate, success rate and commit p95 are unknown"));
    } else {
      findings.add(upper("ConflictRate", "conflict rate", observed.conflictRatePercent(), "%",
          thresholds.getConflictRatePercent()));
      findings.add(lower("SuccessRate", "success rate", observed.successRatePercent(), "%",
          thresholds.getSuccessRatePercent()));
      if (observed.commitP95Ms() != null) {
        findings.add(upper("CommitLatency", "commit p95", observed.commitP95Ms(), " ms",
            thresholds.getCommitLatencyP95Ms()));
      }
    }
    if (database == null) {
      Long gaps = observed.outboxGaps();
      findings.add(gaps != null && gaps > 0
          ? new Finding(HealthLevel.Critical, "OutboxSequenceGap", gaps + " outbox sequence gap(s) stop the relay; "
              + "see reducer_outbox_gaps (reported, never repaired automatically)")
          : gaps == null ? unmeasured("OutboxNotMeasured", "outbox sequence gaps") : healthy());
      findings.add(upper("OutboxLag", "outbox lag", observed.outboxLagMs(), " ms", thresholds.getOutboxLagMs()));
      findings.add(upper("OutboxBacklog", "outbox backlog", observed.outboxBacklog(), " rows",
          thresholds.getOutboxBacklog()));
    }
    PipelineHealthObservation.Failure kafka = observed.kafka();
    if (kafka != null) {
      findings.add(new Finding(HealthLevel.Unknown, kafka.reason(), "the DLQ depth could not be measured: "
          + kafka.message()));
    } else {
      findings.add(upper("DlqDepth", "DLQ depth", observed.dlqDepth(), " records", thresholds.getDlqDepth()));
    }
    if (projections.worst() != null && projections.worst() != HealthLevel.Healthy) {
      findings.add(new Finding(projections.worst(), "Projections" + projections.worst(),
          projections.summary() + " projections healthy, the worst is " + projections.worst()));
    }
    return findings;
  }

  private static Finding upper(String name, String label, Number value, String unit, UpperThreshold threshold) {
    if (value == null) {
      return unmeasured(name + "NotMeasured", label);
    }
    HealthLevel level = new HealthClassifier().upper(value, threshold).level();
    double limit = level == HealthLevel.Critical ? threshold.getCritical() : threshold.getWarning();
    return level == HealthLevel.Healthy ? healthy() : new Finding(level, name + level, label + " "
        + format(value) + unit + " is at or above the " + level.name().toLowerCase(Locale.ROOT) + " threshold "
        + format(limit) + unit);
  }

  private static Finding lower(String name, String label, Number value, String unit, LowerThreshold threshold) {
    if (value == null) {
      return unmeasured(name + "NotMeasured", label);
    }
    HealthLevel level = new HealthClassifier().lower(value, threshold).level();
    double limit = level == HealthLevel.Critical ? threshold.getCritical() : threshold.getWarning();
    return level == HealthLevel.Healthy ? healthy() : new Finding(level, name + level, label + " "
        + format(value) + unit + " is below the " + level.name().toLowerCase(Locale.ROOT) + " threshold "
        + format(limit) + unit);
  }

  private static Finding unmeasured(String reason, String label) {
    return new Finding(HealthLevel.Unknown, reason, label + " could not be measured");
  }

  private static Finding healthy() {
    return new Finding(HealthLevel.Healthy, "Healthy", "");
  }

  private static List<PlannedEvent> events(HealthLevel previous, HealthLevel level, List<Finding> worst) {
    if (previous == level || previous == null && (level == HealthLevel.Healthy || level == HealthLevel.Unknown)) {
      return List.of();
    }
    String was = previous == null ? "" : " (was " + previous + ")";
    switch (level) {
      case Healthy:
        return List.of(PlannedEvent.normal(EventReason.HealthRecovered, "Health is Healthy" + was
            + ": every measurement is within its thresholds"));
      case Unknown:
        return List.of(PlannedEvent.warning(EventReason.HealthUnknown, "Health is Unknown" + was + ": "
            + messages(worst)));
      default:
        boolean better = previous == HealthLevel.Critical && level == HealthLevel.Warning;
        String message = "Health is " + level + was + ": " + messages(worst);
        return List.of(better ? PlannedEvent.normal(EventReason.HealthRecovered, message)
            : PlannedEvent.warning(EventReason.HealthDegraded, message));
    }
  }

  private static String messages(List<Finding> findings) {
    return findings.stream().map(Finding::message).collect(Collectors.joining("; "));
  }

  private static String format(Number value) {
    double v = value.doubleValue();
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(round(v));
  }

  /** Two decimals are enough for a status and keep it from changing with noise. */
  private static Double round(Double value) {
    return value == null ? null : Math.round(value * 100) / 100.0;
  }

  /** One figure's level, the Degraded reason it would give, and what to say about it. */
  private record Finding(HealthLevel level, String reason, String message) {
  }
}
