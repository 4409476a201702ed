package io.reducer.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * How large the reducer's canonical-store transactions are: at most maxActions actions each, fewer while the p95 of
 * recent ones is above commitTargetMs. The runbooks' commit SLA (p95 < 10 ms) is what the default target keeps to.
 */
public class ReducerTransactions {

  @Min(1)
  @Max(50000)
  @Default("175")
  @JsonPropertyDescription("Most actions one canonical-store transaction writes. Larger transactions cost less per "
      + "action and take longer to commit; while a reducer works through a backlog it lowers this, down to half of "
      + "it, when its commits are slower than commitTargetMs.")
  private int maxActions = 175;

  @Min(0)
  @Max(60000)
  @Default("8")
  @JsonPropertyDescription("Commit latency p95, in milliseconds, the reducer keeps its transactions to while it "
      + "works through a backlog, by taking fewer actions per transaction (the runbooks' SLA is 10 ms; keep the "
      + "target below spec.health.commitLatencyP95Ms.warning). 0 always writes maxActions per transaction.")
  private int commitTargetMs = 8;

  public int getMaxActions() {
    return maxActions;
  }

  public void setMaxActions(int maxActions) {
    this.maxActions = maxActions;
  }

  public int getCommitTargetMs() {
    return commitTargetMs;
  }

  public void setCommitTargetMs(int commitTargetMs) {
    this.commitTargetMs = commitTargetMs;
  }
}
