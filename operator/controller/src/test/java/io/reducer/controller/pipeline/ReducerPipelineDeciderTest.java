package io.reducer.controller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.ReducerPipelineSpec;
import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.api.v1alpha1.common.HealthLevel;
import io.reducer.api.v1alpha1.pipeline.TopicStatus.Role;
import io.reducer.api.v1alpha1.pipeline.TopicStatus.State;
import io.reducer.controller.decision.Decision;
import io.reducer.controller.events.EventReason;
import io.reducer.controller.events.PlannedEvent;
import io.reducer.controller.postgres.CanonicalStoreHealth;
import io.reducer.controller.workload.EmergencyStop;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReducerPipelineDeciderTest {

  private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
  private static final ConnectionCheck CONNECTED = ConnectionCheck.ok("Connected", "answered");
  private static final List<TopicOutcome> TOPICS = List.of(ready(Role.actions, "cmd"),
      ready(Role.stateCommitted, "evt"), ready(Role.dlq, "evt.dlq"));
  private static final SchemaReadiness.Outcome SCHEMA = new SchemaReadiness.Outcome(ConditionStatus.True,
      SchemaReadiness.CURRENT, "the canonical store in schema public is at version 1", false, null);
  private static final PipelineHealthObservation HEALTHY = new PipelineHealthObservation(
      new CanonicalStoreHealth.Figures(2, 1.0, 99.0, 4.0, 0L, 0L, 10L, 0L, 0L, 10L, null, null), null, 0L, null, NOW);

  private final ReducerPipeline pipeline = pipeline();

  @Test
  void aHealthyObservationAppliesTheReducersAndASecondIdenticalDecisionHasNoNews() {
    PipelineObservation observed = observation(new ReducerObservation(null, null, null, 4, 2, 2, false, null));

    Decision<ReducerPipelineStatus, ReducerChange> first = ReducerPipelineDecider.decide(pipeline, observed, NOW);
    assertThat(first.effect()).isEqualTo(new ReducerChange.Apply(2));
    assertThat(first.status().condition("Ready").orElseThrow().getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(first.status().condition("ReducersReady").orElseThrow().getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(first.status().getHealth()).isEqualTo(HealthLevel.Healthy);
    assertThat(first.status().getTopicsReady()).isEqualTo("3/3");
    assertThat(first.status().getObservedGeneration()).isEqualTo(3L);
    assertThat(pipeline.getStatus()).as("the pipeline's own status is not touched").isNull();

    pipeline.setStatus(first.status());
    Decision<ReducerPipelineStatus, ReducerChange> second = ReducerPipelineDecider.decide(pipeline, observed, NOW);
    assertThat(second.effect()).isEqualTo(new ReducerChange.Apply(2));
    assertThat(second.events()).isEmpty();
    assertThat(second.status().getConditions()).isEqualTo(first.status().getConditions());
  }

  @Test
  void aRefusedReducerSpecWhilePausedOnlyScalesToZeroAndStalls() {
    pipeline.getSpec().setPaused(true);
    Decision<ReducerPipelineStatus, ReducerChange> decision = ReducerPipelineDecider.decide(pipeline,
        observation(new ReducerObservation(EmergencyStop.Reason.SpecPaused, ReducerScaling.INVALID_STATE_MACHINE,
            "spec.reducer.stateMachine does not hold together: x", 4, 2, 2, false, null)), NOW);

    assertThat(decision.effect()).isEqualTo(new ReducerChange.ScaleOnly(0));
    assertThat(decision.status().condition("Stalled").orElseThrow().getReason())
        .isEqualTo(ReducerScaling.INVALID_STATE_MACHINE);
    assertThat(decision.events()).extracting(PlannedEvent::reason)
        .containsExactly(EventReason.Paused, EventReason.Refused);
  }

  @Test
  void eventsFollowThePartsOrderConnectionsFirst() {
    PipelineObservation observed = new PipelineObservation(CONNECTED,
        ConnectionCheck.failed("DatabaseUnreachable", "cannot connect", false), TOPICS,
        SchemaReadiness.unknown("DatabaseUnreachable", "not checked"),
        new ReducerObservation(null, null, null, 4, null, 0, false, null), HEALTHY, ProjectionRollup.none(),
        Duration.ofSeconds(5));

    Decision<ReducerPipelineStatus, ReducerChange> decision = ReducerPipelineDecider.decide(pipeline, observed, NOW);
    assertThat(decision.events()).extracting(PlannedEvent::reason)
        .containsExactly(EventReason.ConnectionFailed, EventReason.DeploymentCreated);
    assertThat(decision.effect()).isEqualTo(new ReducerChange.Apply(2));
  }

  @Test
  void looksAgainWithinThreeProbeIntervalsOrTheHealthIntervalWhenShorter() {
    PipelineObservation observed = observation(new ReducerObservation(null, null, null, 4, 2, 2, false, null));
    assertThat(ReducerPipelineDecider.decide(pipeline, observed, NOW).next())
        .isEqualTo(Decision.Next.after(Duration.ofSeconds(15)));

    pipeline.getSpec().getHealth().setProbeIntervalSeconds(10);
    assertThat(ReducerPipelineDecider.decide(pipeline, observed, NOW).next())
        .isEqualTo(Decision.Next.after(Duration.ofSeconds(10)));
  }

  private static PipelineObservation observation(ReducerObservation reducers) {
    return new PipelineObservation(CONNECTED, CONNECTED, TOPICS, SCHEMA, reducers, HEALTHY, ProjectionRollup.none(),
        Duration.ofSeconds(5));
  }

  private static TopicOutcome ready(Role role, String name) {
    return new TopicOutcome(role, name, 4, State.Ready, null, null, false, List.of());
  }

  private static ReducerPipeline pipeline() {
    ReducerPipeline pipeline = new ReducerPipeline();
    pipeline.setMetadata(new ObjectMetaBuilder().withName("orders").withNamespace("shop").withGeneration(3L).build());
    ReducerPipelineSpec spec = new ReducerPipelineSpec();
    spec.getReducer().setReplicas(2);
    pipeline.setSpec(spec);
    return pipeline;
  }
}
