package io.reducer.controller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.api.v1alpha1.common.HealthLevel;
import io.reducer.api.v1alpha1.pipeline.PipelineHealthThresholds;
import io.reducer.controller.events.EventReason;
import io.reducer.controller.events.PlannedEvent;
import io.reducer.controller.postgres.CanonicalStoreHealth;
import io.reducer.controller.status.ConditionTypes;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineHealthRatingTest {

  private static final Instant NOW = Instant.parse("2025-10-21T10:00:00.250Z");
  private static final PipelineHealthThresholds DEFAULTS = new PipelineHealthThresholds();

  @Test
  void figuresWithinTheRunbooksSlaAreHealthyAndFillTheMetrics() {
    ReducerPipelineStatus status = new ReducerPipelineStatus();

    List<PlannedEvent> events = report(status, observation(store(1.5, 99.0, 4.0, 3L, 20L, 0L), 2L));

    assertThat(status.getHealth()).isEqualTo(HealthLevel.Healthy);
    assertThat(status.getMetrics().getConflictRatePercent()).isEqualTo(1.5);
    assertThat(status.getMetrics().getSuccessRatePercent()).isEqualTo(99.0);
    assertThat(status.getMetrics().getCommitLatencyP95Ms()).isEqualTo(4.0);
    assertThat(status.getMetrics().getOutboxBacklog()).isEqualTo(3);
    assertThat(status.getMetrics().getOutboxLagMs()).isEqualTo(20);
    assertThat(status.getMetrics().getOutboxSequenceGaps()).isZero();
    assertThat(status.getMetrics().getDlqDepth()).isEqualTo(2);
    assertThat(status.getMetrics().getGaveUpCount()).isEqualTo(1);
    assertThat(status.getMetrics().getDedupEntries()).isEqualTo(1000);
    assertThat(status.getMetrics().getDedupLastCleanupTime()).isEqualTo("2025-10-21T09:59:30Z");
    assertThat(status.getMetrics().getDedupLastCleanupDeleted()).isEqualTo(50);
    assertThat(status.getLastProbeTime()).isEqualTo("2025-10-21T10:00:00Z");
    assertThat(status.getObservedGeneration()).isEqualTo(4L);
    assertThat(degraded(status).getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(degraded(status).getReason()).isEqualTo("Healthy");
    // The first probe finding it healthy is no news.
    assertThat(events).isEmpty();
  }

  @Test
  void eachThresholdOfSpecHealthTurnsHealthWarningOrCritical() {
    assertThat(level(store(5.0, 99.0, 4.0, 0L, 0L, 0L), 0L)).isEqualTo(HealthLevel.Warning);
    assertThat(level(store(10.0, 99.0, 4.0, 0L, 0L, 0L), 0L)).isEqualTo(HealthLevel.Critical);
    assertThat(level(store(0.0, 94.0, 4.0, 0L, 0L, 0L), 0L)).isEqualTo(HealthLevel.Warning);
    assertThat(level(store(0.0, 89.9, 4.0, 0L, 0L, 0L), 0L)).isEqualTo(HealthLevel.Critical);
    assertThat(level(store(0.0, 100.0, 10.0, 0L, 0L, 0L), 0L)).isEqualTo(HealthLevel.Warning);
    assertThat(level(store(0.0, 100.0, 50.0, 0L, 0L, 0L), 0L)).isEqualTo(HealthLevel.Critical);
    assertThat(level(store(0.0, 100.0, 1.0, 100L, 0L, 0L), 0L)).isEqualTo(HealthLevel.Warning);
    assertThat(level(store(0.0, 100.0, 1.0, 1000L, 0L, 0L), 0L)).isEqualTo(HealthLevel.Critical);
    assertThat(level(store(0.0, 100.0, 1.0, 1L, 100L, 0L), 0L)).isEqualTo(HealthLevel.Warning);
    assertThat(level(store(0.0, 100.0, 1.0, 1L, 500L, 0L), 0L)).isEqualTo(HealthLevel.Critical);
    assertThat(level(store(0.0, 100.0, 1.0, 0L, 0L, 0L), 10L)).isEqualTo(HealthLevel.Warning);
    assertThat(level(store(0.0, 100.0, 1.0, 0L, 0L, 0L), 1000L)).isEqualTo(HealthLevel.Critical);
  }

  @Test
  void overriddenThresholdsApply() {
    PipelineHealthThresholds strict = new PipelineHealthThresholds();
    strict.setConflictRatePercent(new io.reducer.api.v1alpha1.common.UpperThreshold(0.5, 1));
    ReducerPipelineStatus status = new ReducerPipelineStatus();

    PipelineHealthRating.report(status, observation(store(0.75, 100.0, 1.0, 0L, 0L, 0L), 0L), strict,
        ProjectionRollup.none(), 4, NOW);

    assertThat(status.getHealth()).isEqualTo(HealthLevel.Warning);
    assertThat(degraded(status).getReason()).isEqualTo("ConflictRateWarning");
    assertThat(degraded(status).getMessage()).isEqualTo("conflict rate 0.75% is at or above the warning threshold 0.5%");
  }

  @Test
  void degradedNamesTheWorstMeasurementWithItsValueAndThresholdAndListsTheOtherProblems() {
    ReducerPipelineStatus status = new ReducerPipelineStatus();

    report(status, observation(store(12.5, 99.0, 4.0, 0L, 0L, 0L), 20L));

    assertThat(status.getHealth()).isEqualTo(HealthLevel.Critical);
    assertThat(degraded(status).getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(degraded(status).getReason()).isEqualTo("ConflictRateCritical");
    assertThat(degraded(status).getMessage()).isEqualTo("conflict rate 12.5% is at or above the critical threshold "
        + "10%; also DLQ depth 20 records is at or above the warning threshold 10 records");
  }

  @Test
  void anOutboxSequenceGapIsCritical() {
    ReducerPipelineStatus status = new ReducerPipelineStatus();

    report(status, observation(store(0.0, 100.0, 1.0, 5L, 30L, 1L), 0L));

    assertThat(status.getHealth()).isEqualTo(HealthLevel.Critical);
    assertThat(degraded(status).getReason()).isEqualTo("OutboxSequenceGap");
    assertThat(status.getMetrics().getOutboxSequenceGaps()).isEqualTo(1);
  }

  @Test
  void withoutAReducerReportingTheReducerFiguresAreAbsentAndHealthIsUnknownNeverHealthy() {
    ReducerPipelineStatus status = new ReducerPipelineStatus();

    List<PlannedEvent> events = report(status, observation(store(0, null, null, null, 0L, 0L, 0L), 0L));

    assertThat(status.getHealth()).isEqualTo(HealthLevel.Unknown);
    assertThat(status.getMetrics().getConflictRatePercent()).isNull();
    assertThat(status.getMetrics().getSuccessRatePercent()).isNull();
    assertThat(status.getMetrics().getCommitLatencyP95Ms()).isNull();
    assertThat(status.getMetrics().getOutboxBacklog()).isZero();
    assertThat(degraded(status).getStatus()).isEqualTo(ConditionStatus.Unknown);
    assertThat(degraded(status).getReason()).isEqualTo(PipelineHealthRating.NO_REDUCER_REPORTING);
    assertThat(events).isEmpty();
  }

  @Test
  void anUnreadableStoreOrDlqLeavesItsFiguresAbsentAndSaysWhy() {
    ReducerPipelineStatus status = new ReducerPipelineStatus();
    PipelineHealthObservation observed = new PipelineHealthObservation(null,
        new PipelineHealthObservation.Failure("CanonicalStoreMissing", "the tables do not exist"), null,
        new PipelineHealthObservation.Failure("TopicNotFound", "no DLQ topic"), NOW);

    report(status, observed);

    assertThat(status.getHealth()).isEqualTo(HealthLevel.Unknown);
    assertThat(status.getMetrics().getConflictRatePercent()).isNull();
    assertThat(status.getMetrics().getOutboxBacklog()).isNull();
    assertThat(status.getMetrics().getDedupEntries()).isNull();
    assertThat(status.getMetrics().getDlqDepth()).isNull();
    assertThat(degraded(status).getStatus()).isEqualTo(ConditionStatus.Unknown);
    assertThat(degraded(status).getReason()).isEqualTo("CanonicalStoreMissing");
    assertThat(degraded(status).getMessage()).contains("the tables do not exist").contains("no DLQ topic");
  }

  @Test
  void aCriticalFigureWinsOverAnUnmeasurableOne() {
    ReducerPipelineStatus status = new ReducerPipelineStatus();
    PipelineHealthObservation observed = new PipelineHealthObservation(store(0.0, 100.0, 1.0, 0L, 0L, 2L), null,
        null, new PipelineHealthObservation.Failure("KafkaUnreachable", "no broker"), NOW);

    report(status, observed);

    assertThat(status.getHealth()).isEqualTo(HealthLevel.Critical);
    assertThat(degraded(status).getReason()).isEqualTo("OutboxSequenceGap");
    assertThat(degraded(status).getMessage()).contains("also the DLQ depth could not be measured: no broker");
  }

  @Test
  void anUnmeasurableFigureWinsOverAWarning() {
    ReducerPipelineStatus status = new ReducerPipelineStatus();
    PipelineHealthObservation observed = new PipelineHealthObservation(store(6.0, 100.0, 1.0, 0L, 0L, 0L), null,
        null, new PipelineHealthObservation.Failure("KafkaUnreachable", "no broker"), NOW);

    report(status, observed);

    assertThat(status.getHealth()).isEqualTo(HealthLevel.Unknown);
    assertThat(degraded(status).getReason()).isEqualTo("KafkaUnreachable");
  }

  @Test
  void anIdlePipelineWithFreshStatsRowsIsHealthyEvenBeforeItsFirstCommit() {
    ReducerPipelineStatus status = new ReducerPipelineStatus();

    // What CanonicalStoreHealth reads for reducers that report but processed nothing: 0 %, 100 %, no p95 yet.
    report(status, observation(store(2, 0.0, 100.0, null, 0L, 0L, 0L), 0L));

    assertThat(status.getHealth()).isEqualTo(HealthLevel.Healthy);
    assertThat(status.getMetrics().getConflictRatePercent()).isZero();
    assertThat(status.getMetrics().getSuccessRatePercent()).isEqualTo(100.0);
    assertThat(status.getMetrics().getCommitLatencyP95Ms()).isNull();
  }

  @Test
  void theWorstProjectionCountsAndTheRollupIsInStatus() {
    ReducerPipelineStatus status = new ReducerPipelineStatus();

    report(status, observation(store(0.0, 100.0, 1.0, 0L, 0L, 0L), 0L), new ProjectionRollup(2, 3,
        HealthLevel.Warning));

    assertThat(status.getHealth()).isEqualTo(HealthLevel.Warning);
    assertThat(status.getProjectionsHealthy()).isEqualTo("2/3");
    assertThat(degraded(status).getReason()).isEqualTo("ProjectionsWarning");

    report(status, observation(store(0.0, 100.0, 1.0, 0L, 0L, 0L), 0L), ProjectionRollup.none());
    assertThat(status.getHealth()).isEqualTo(HealthLevel.Healthy);
    assertThat(status.getProjectionsHealthy()).isNull();
  }

  @Test
  void eventsAreRecordedOnlyWhenTheLevelChanges() {
    ReducerPipelineStatus status = new ReducerPipelineStatus();
    PipelineHealthObservation healthy = observation(store(0.0, 100.0, 1.0, 0L, 0L, 0L), 0L);
    PipelineHealthObservation warning = observation(store(6.0, 100.0, 1.0, 0L, 0L, 0L), 0L);
    PipelineHealthObservation critical = observation(store(0.0, 100.0, 1.0, 0L, 0L, 1L), 0L);
    PipelineHealthObservation unknown = observation(store(0, null, null, null, 0L, 0L, 0L), 0L);

    assertThat(report(status, healthy)).isEmpty();
    assertThat(report(status, healthy)).isEmpty();
    assertThat(report(status, warning)).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo(EventReason.HealthDegraded);
      assertThat(e.type()).isEqualTo("Warning");
      assertThat(e.message()).startsWith("Health is Warning (was Healthy): conflict rate 6%");
    });
    assertThat(report(status, observation(store(7.0, 100.0, 1.0, 0L, 0L, 0L), 0L))).isEmpty();
    assertThat(report(status, critical)).singleElement()
        .satisfies(e -> assertThat(e.reason()).isEqualTo(EventReason.HealthDegraded));
    assertThat(report(status, warning)).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo(EventReason.HealthRecovered);
      assertThat(e.type()).isEqualTo("Normal");
    });
    assertThat(report(status, unknown)).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo(EventReason.HealthUnknown);
      assertThat(e.type()).isEqualTo("Warning");
    });
    assertThat(report(status, unknown)).isEmpty();
    assertThat(report(status, healthy)).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo(EventReason.HealthRecovered);
      assertThat(e.message()).startsWith("Health is Healthy (was Unknown)");
    });
  }

  @Test
  void aFirstProbeThatFindsTroubleIsAnEvent() {
    assertThat(report(new ReducerPipelineStatus(), observation(store(0.0, 100.0, 1.0, 0L, 0L, 1L), 0L)))
        .singleElement().satisfies(e -> assertThat(e.message()).startsWith("Health is Critical: 1 outbox sequence"));
  }

  private static HealthLevel level(CanonicalStoreHealth.Figures store, long dlqDepth) {
    ReducerPipelineStatus status = new ReducerPipelineStatus();
    report(status, observation(store, dlqDepth));
    return status.getHealth();
  }

  private static List<PlannedEvent> report(ReducerPipelineStatus status, PipelineHealthObservation observed) {
    return report(status, observed, ProjectionRollup.none());
  }

  private static List<PlannedEvent> report(ReducerPipelineStatus status, PipelineHealthObservation observed,
      ProjectionRollup projections) {
    return PipelineHealthRating.report(status, observed, DEFAULTS, projections, 4, NOW);
  }

  private static Condition degraded(ReducerPipelineStatus status) {
    return status.condition(ConditionTypes.DEGRADED).orElseThrow();
  }

  private static PipelineHealthObservation observation(CanonicalStoreHealth.Figures store, long dlqDepth) {
    return new PipelineHealthObservation(store, null, dlqDepth, null, NOW);
  }

  private static CanonicalStoreHealth.Figures store(Double conflictRate, Double successRate, Double p95, Long backlog,
      Long lagMs, Long gaps) {
    return store(2, conflictRate, successRate, p95, backlog, lagMs, gaps);
  }

  private static CanonicalStoreHealth.Figures store(int reducers, Double conflictRate, Double successRate, Double p95,
      Long backlog, Long lagMs, Long gaps) {
    return new CanonicalStoreHealth.Figures(reducers, conflictRate, successRate, p95, reducers == 0 ? null : 0L,
        backlog, lagMs, gaps, 1L, 1000L, Instant.parse("2025-10-21T09:59:30.5Z"), 50L);
  }
}
