package io.reducer.controller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.controller.events.EventReason;
import io.reducer.controller.events.PlannedEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionConditionsTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final ConnectionCheck OK = ConnectionCheck.ok("Connected", "answered");

  @Test
  void bothConnectionsUpMakeThePipelineReady() {
    ReducerPipelineStatus status = new ReducerPipelineStatus();
    List<PlannedEvent> events = ConnectionConditions.report(status, 1, OK, OK, NOW);

    assertThat(status.condition("Ready").get().getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(status.condition("KafkaReachable").get().getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(status.condition("Stalled")).isEmpty();
    assertThat(events).isEmpty();
  }

  @Test
  void aMissingSecretIsStalledAndAnUnreachableBrokerIsNot() {
    ReducerPipelineStatus missing = new ReducerPipelineStatus();
    ConnectionConditions.report(missing, 1, OK,
        ConnectionCheck.failed("SecretNotFound", "create Secret pg", true), NOW);
    assertThat(missing.condition("Stalled").get().getReason()).isEqualTo("SecretNotFound");
    assertThat(missing.condition("Ready").get().getReason()).isEqualTo("SecretNotFound");

    ReducerPipelineStatus unreachable = new ReducerPipelineStatus();
    ConnectionConditions.report(unreachable, 1,
        ConnectionCheck.failed("KafkaUnreachable", "no answer", false), OK, NOW);
    assertThat(unreachable.condition("Stalled")).isEmpty();
    assertThat(unreachable.condition("Ready").get().getStatus()).isEqualTo(ConditionStatus.False);
  }

  @Test
  void aRefusedTopicChangeMakesThePipelineStalledWhileTheConnectionsStayReachable() {
    ReducerPipelineStatus status = new ReducerPipelineStatus();
    ConnectionCheck refused = ConnectionCheck.failed("PartitionDecreaseRefused", "topic t has 6 partitions", true);
    ConnectionConditions.report(status, 1, OK, OK, List.of(refused,
        ConnectionCheck.ok("SchemaCurrent", "schema at version 1")), NOW);

    assertThat(status.condition("KafkaReachable").get().getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(status.condition("DatabaseReachable").get().getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(status.condition("Ready").get().getReason()).isEqualTo("PartitionDecreaseRefused");
    assertThat(status.condition("Stalled").get().getReason()).isEqualTo("PartitionDecreaseRefused");

    ConnectionConditions.report(status, 1, OK, OK, List.of(ConnectionCheck.ok("AllTopicsReady", "3/3 topics"),
        ConnectionCheck.ok("SchemaCurrent", "schema at version 1")), NOW);
    assertThat(status.condition("Ready").get().getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(status.condition("Ready").get().getMessage())
        .isEqualTo("Kafka and PostgreSQL answered; 3/3 topics; schema at version 1");
    assertThat(status.condition("Stalled")).isEmpty();
  }

  @Test
  void aFailureWarnsOnceAndTheRecoveryIsAnnounced() {
    ReducerPipelineStatus status = new ReducerPipelineStatus();
    ConnectionConditions.report(status, 1, OK, OK, NOW);
    ConnectionCheck down = ConnectionCheck.failed("DatabaseUnreachable", "cannot connect", false);

    assertThat(ConnectionConditions.report(status, 1, OK, down, NOW)).extracting(PlannedEvent::reason)
        .containsExactly(EventReason.ConnectionFailed);
    assertThat(ConnectionConditions.report(status, 1, OK, down, NOW)).isEmpty();
    assertThat(ConnectionConditions.report(status, 1, OK, OK, NOW)).extracting(PlannedEvent::reason)
        .containsExactly(EventReason.ConnectionRestored);
  }
}
