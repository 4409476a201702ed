package io.reducer.controller.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.api.v1alpha1.projection.ScalingMode;
import io.reducer.api.v1alpha1.projection.ScalingPolicy;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplicaCountTest {

  private static final Instant NOW = Instant.parse("2025-10-21T12:00:00Z");

  @Test
  void partitionsModeRunsOneReplicaPerPartition() {
    ReplicaDecision decision = ReplicaCount.decide(partitions(null), false, 12, 0L, 3, null, NOW);

    assertThat(decision.replicas()).isEqualTo(12);
    assertThat(decision.reason()).isEqualTo(ReplicaDecision.Reason.MatchPartitions);
  }

  @Test
  void maxReplicasCapsAndPartitionsCapMaxReplicas() {
    assertThat(ReplicaCount.decide(partitions(6), false, 12, null, 0, null, NOW).replicas()).isEqualTo(6);
    assertThat(ReplicaCount.decide(partitions(20), false, 12, null, 0, null, NOW).replicas()).isEqualTo(12);
  }

  @Test
  void partitionIncreaseIsFollowed() {
    assertThat(ReplicaCount.decide(partitions(null), false, 3, null, 3, null, NOW).replicas()).isEqualTo(3);
    assertThat(ReplicaCount.decide(partitions(null), false, 6, null, 3, null, NOW).replicas()).isEqualTo(6);
  }

  @Test
  void pausedGoesToZeroAndUnpausingRestoresTheComputedCount() {
    ReplicaDecision paused = ReplicaCount.decide(partitions(null), true, 12, 500L, 12, null, NOW);
    assertThat(paused.replicas()).isZero();
    assertThat(paused.reason()).isEqualTo(ReplicaDecision.Reason.Paused);

    assertThat(ReplicaCount.decide(partitions(null), false, 12, 500L, 0, NOW, NOW).replicas()).isEqualTo(12);
  }

  @Test
  void unknownPartitionCountKeepsTheCurrentReplicas() {
    ReplicaDecision decision = ReplicaCount.decide(partitions(null), false, null, null, 4, null, NOW);

    assertThat(decision.replicas()).isEqualTo(4);
    assertThat(decision.reason()).isEqualTo(ReplicaDecision.Reason.Unmeasured);
  }

  @Test
  void lagModeScalesUpAtOnceByLagPerReplicaWithinMinAndCap() {
    ScalingPolicy policy = lag(2, 8, 10_000, 300);

    assertThat(ReplicaCount.decide(policy, false, 12, 0L, 2, null, NOW).replicas()).isEqualTo(2);
    assertThat(ReplicaCount.decide(policy, false, 12, 35_000L, 2, NOW, NOW).replicas()).isEqualTo(4);
    assertThat(ReplicaCount.decide(policy, false, 12, 10_000_000L, 2, NOW, NOW).replicas()).isEqualTo(8);
    assertThat(ReplicaCount.decide(policy, false, 3, 10_000_000L, 2, NOW, NOW).replicas()).isEqualTo(3);
  }

  @Test
  void lagModeWaitsForTheCooldownBeforeScalingDown() {
    ScalingPolicy policy = lag(1, null, 10_000, 300);
    Instant scaledRecently = NOW.minusSeconds(60);
    Instant scaledLongAgo = NOW.minusSeconds(301);

    ReplicaDecision held = ReplicaCount.decide(policy, false, 12, 0L, 6, scaledRecently, NOW);
    ReplicaDecision released = ReplicaCount.decide(policy, false, 12, 0L, 6, scaledLongAgo, NOW);

    assertThat(held.replicas()).isEqualTo(6);
    assertThat(held.reason()).isEqualTo(ReplicaDecision.Reason.ScaleDownCooldown);
    assertThat(released.replicas()).isEqualTo(1);
    assertThat(released.reason()).isEqualTo(ReplicaDecision.Reason.MatchLag);
  }

  @Test
  void lagModeAppliesALowerCapAtOnceEvenDuringCooldown() {
    ScalingPolicy policy = lag(1, 4, 10_000, 300);

    ReplicaDecision decision = ReplicaCount.decide(policy, false, 12, 1_000_000L, 8, NOW.minusSeconds(10), NOW);

    assertThat(decision.replicas()).isEqualTo(4);
  }

  @Test
  void lagModeWithUnknownLagChangesNothingButTheBounds() {
    ScalingPolicy policy = lag(2, 6, 10_000, 300);

    assertThat(ReplicaCount.decide(policy, false, 12, null, 3, null, NOW).replicas()).isEqualTo(3);
    assertThat(ReplicaCount.decide(policy, false, 12, null, 0, null, NOW).replicas()).isEqualTo(2);
    assertThat(ReplicaCount.decide(policy, false, 12, null, 3, null, NOW).reason())
        .isEqualTo(ReplicaDecision.Reason.Unmeasured);
  }

  @Test
  void minReplicasAboveThePartitionCountIsCappedByIt() {
    assertThat(ReplicaCount.decide(lag(5, null, 10_000, 0), false, 2, 0L, 0, null, NOW).replicas()).isEqualTo(2);
  }

  private static ScalingPolicy partitions(Integer maxReplicas) {
    ScalingPolicy policy = new ScalingPolicy();
    policy.setMaxReplicas(maxReplicas);
    return policy;
  }

  private static ScalingPolicy lag(int min, Integer max, long lagPerReplica, int cooldownSeconds) {
    ScalingPolicy policy = new ScalingPolicy();
    policy.setMode(ScalingMode.Lag);
    policy.setMinReplicas(min);
    policy.setMaxReplicas(max);
    policy.setLagPerReplica(lagPerReplica);
    policy.setScaleDownCooldownSeconds(cooldownSeconds);
    return policy;
  }
}
