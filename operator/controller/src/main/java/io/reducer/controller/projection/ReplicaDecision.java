package io.reducer.controller.projection;

/** How many materializer replicas to run, and why, in words a status condition or Event can carry. */
public final class ReplicaDecision {

  /** Why the count was chosen; used as the reason of Events and conditions. */
  public enum Reason {
    /** The projection or its pipeline is paused. */
    Paused,
    /** One replica per partition, capped by maxReplicas. */
    MatchPartitions,
    /** Lag mode: enough replicas for the lag, within minReplicas and the cap. */
    MatchLag,
    /** Lag mode wanted fewer replicas, but the last change is too recent. */
    ScaleDownCooldown,
    /** The partition count (or, in Lag mode, the lag) could not be measured; nothing is changed on a guess. */
    Unmeasured
  }

  private final int replicas;
  private final Reason reason;

  ReplicaDecision(int replicas, Reason reason) {
    this.replicas = replicas;
    this.reason = reason;
  }

  public int replicas() {
    return replicas;
  }

  public Reason reason() {
    return reason;
  }

  @Override
  public String toString() {
    return replicas + " (" + reason + ")";
  }
}
