package io.reducer.api.v1alpha1.projection;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Replica policy. Replicas never exceed the source topic's partition count (an idle consumer is useless)
 * nor maxReplicas.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.maxReplicas) || self.minReplicas <= self.maxReplicas",
    message = "minReplicas must not exceed maxReplicas")
public class ScalingPolicy {

  @Default("Partitions")
  @JsonPropertyDescription("Partitions: one replica per partition. Lag: between minReplicas and the cap by consumer lag.")
  private ScalingMode mode = ScalingMode.Partitions;

  @Min(1)
  @Max(1000)
  @Default("1")
  @JsonPropertyDescription("Fewest replicas in Lag mode.")
  private int minReplicas = 1;

  @Min(1)
  @Max(1000)
  @JsonPropertyDescription("Most replicas in either mode. Omit to cap only at the partition count.")
  private Integer maxReplicas;

  @Min(1)
  @Max(100000000)
  @Default("10000")
  @JsonPropertyDescription("In Lag mode, the consumer lag (records) one replica is expected to absorb.")
  private long lagPerReplica = 10000;

  @Min(0)
  @Max(86400)
  @Default("300")
  @JsonPropertyDescription("In Lag mode, seconds since the last scale change before scaling down, so a "
      + "draining backlog does not cause rebalance storms.")
  private int scaleDownCooldownSeconds = 300;

  public ScalingMode getMode() {
    return mode;
  }

  public void setMode(ScalingMode mode) {
    this.mode = mode;
  }

  public int getMinReplicas() {
    return minReplicas;
  }

  public void setMinReplicas(int minReplicas) {
    this.minReplicas = minReplicas;
  }

  public Integer getMaxReplicas() {
    return maxReplicas;
  }

  public void setMaxReplicas(Integer maxReplicas) {
    this.maxReplicas = maxReplicas;
  }

  public long getLagPerReplica() {
    return lagPerReplica;
  }

  public void setLagPerReplica(long lagPerReplica) {
    this.lagPerReplica = lagPerReplica;
  }

  public int getScaleDownCooldownSeconds() {
    return scaleDownCooldownSeconds;
  }

  public void setScaleDownCooldownSeconds(int scaleDownCooldownSeconds) {
    this.scaleDownCooldownSeconds = scaleDownCooldownSeconds;
  }
}
