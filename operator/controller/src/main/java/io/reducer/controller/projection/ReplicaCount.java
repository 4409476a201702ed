package io.reducer.controller.projection;

import io.reducer.api.v1alpha1.projection.ScalingMode;
import io.reducer.api.v1alpha1.projection.ScalingPolicy;
import java.time.Duration;
import java.time.Instant;

/**
 * Chooses the materializer replica count. A replica beyond the partition count would sit idle in the
 * consumer group, so the cap is min(partitions, maxReplicas). In Lag mode, scale-up is immediate and
 * scale-down waits for the cooldown, so a draining backlog does not cause one rebalance per step.
 */
public final class ReplicaCount {

  private ReplicaCount() {
  }

  /**
   * @param policy the projection's scaling policy
   * @param paused the projection or its pipeline is paused
   * @param partitions partitions of the source topic; null when the broker could not be asked
   * @param consumerLag total lag in records; null when it could not be measured
   * @param currentReplicas replicas the Deployment has now
   * @param lastScaleTime when the replica count last changed; null if never
   * @param now the time of this decision
   */
  public static ReplicaDecision decide(ScalingPolicy policy, boolean paused, Integer partitions, Long consumerLag,
      int currentReplicas, Instant lastScaleTime, Instant now) {
    if (paused) {
      return new ReplicaDecision(0, ReplicaDecision.Reason.Paused);
    }
    if (partitions == null) {
      return new ReplicaDecision(currentReplicas, ReplicaDecision.Reason.Unmeasured);
    }
    int cap = policy.getMaxReplicas() == null ? partitions : Math.min(partitions, policy.getMaxReplicas());
    if (policy.getMode() != ScalingMode.Lag) {
      return new ReplicaDecision(cap, ReplicaDecision.Reason.MatchPartitions);
    }
    int floor = Math.min(policy.getMinReplicas(), cap);
    if (consumerLag == null) {
      return new ReplicaDecision(clamp(currentReplicas, floor, cap), ReplicaDecision.Reason.Unmeasured);
    }
    long forLag = (consumerLag + policy.getLagPerReplica() - 1) / policy.getLagPerReplica();
    int wanted = (int) clamp(forLag, floor, cap);
    // Only a lag-driven decrease waits; a lower cap (fewer partitions allowed) applies at once.
    int current = clamp(currentReplicas, floor, cap);
    if (wanted < current && lastScaleTime != null
        && Duration.between(lastScaleTime, now).getSeconds() < policy.getScaleDownCooldownSeconds()) {
      return new ReplicaDecision(current, ReplicaDecision.Reason.ScaleDownCooldown);
    }
    return new ReplicaDecision(wanted, ReplicaDecision.Reason.MatchLag);
  }

  private static int clamp(int value, int min, int max) {
    return Math.max(min, Math.min(max, value));
  }

  private static long clamp(long value, long min, long max) {
    return Math.max(min, Math.min(max, value));
  }
}
