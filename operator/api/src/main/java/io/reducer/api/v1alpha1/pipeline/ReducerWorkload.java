package io.reducer.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.reducer.api.v1alpha1.common.Patterns;
import io.reducer.api.v1alpha1.common.WorkloadResources;

/** The reducer Deployment the operator owns. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReducerWorkload {

  @Pattern(Patterns.IMAGE)
  @Size(max = 512)
  @JsonPropertyDescription("Reducer image. Omit for the operator's workloads image (the built-in state-machine "
      + "reducer); other images are only accepted from registries the operator's configuration allows.")
  private String image;

  @Min(0)
  @Max(1000)
  @Default("1")
  @JsonPropertyDescription("Number of reducer pods (ignored while the pipeline is paused).")
  private int replicas = 1;

  @JsonPropertyDescription("CPU and memory for each reducer pod.")
  private WorkloadResources resources;

  @JsonPropertyDescription("Conflict retry policy; defaults follow the runbooks (3 attempts, 10-250 ms backoff).")
  private RetryPolicy retry = new RetryPolicy();

  @Min(60)
  @Max(2592000)
  @Default("86400")
  @JsonPropertyDescription("How long processed action ids are kept for deduplication, in seconds (default one day).")
  private int dedupTtlSeconds = 86400;

  @JsonPropertyDescription("Size of the reducer's canonical-store transactions: at most maxActions actions, fewer "
      + "while commits are slower than commitTargetMs (defaults 175 and 8 ms).")
  private ReducerTransactions transactions = new ReducerTransactions();

  @Min(0)
  @Max(10000000)
  @Default("100000")
  @JsonPropertyDescription("How many workflow rows each reducer remembers after committing them, so the next "
      + "transaction of the same workflow need not read its row (least recently used out; a remembered row that "
      + "another writer moved is read again, never written over). About 280 bytes of heap each with short keys. "
      + "0 turns it off.")
  private int stateCacheKeys = 100000;

  @JsonPropertyDescription("The workflow state machine the reducers apply. Omit for the runbooks' workflow: "
      + "PENDING -> PROCESSING -> COMPLETED or FAILED, PENDING -> FAILED, each triggered by its target state's name.")
  private StateMachineSpec stateMachine;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public int getReplicas() {
    return replicas;
  }

  public void setReplicas(int replicas) {
    this.replicas = replicas;
  }

  public WorkloadResources getResources() {
    return resources;
  }

  public void setResources(WorkloadResources resources) {
    this.resources = resources;
  }

  public int getStateCacheKeys() {
    return stateCacheKeys;
  }

  public void setStateCacheKeys(int stateCacheKeys) {
    this.stateCacheKeys = stateCacheKeys;
  }

  public RetryPolicy getRetry() {
    return retry;
  }

  public void setRetry(RetryPolicy retry) {
    this.retry = retry;
  }

  public ReducerTransactions getTransactions() {
    return transactions;
  }

  public void setTransactions(ReducerTransactions transactions) {
    this.transactions = transactions;
  }

  public int getDedupTtlSeconds() {
    return dedupTtlSeconds;
  }

  public void setDedupTtlSeconds(int dedupTtlSeconds) {
    this.dedupTtlSeconds = dedupTtlSeconds;
  }

  public StateMachineSpec getStateMachine() {
    return stateMachine;
  }

  public void setStateMachine(StateMachineSpec stateMachine) {
    this.stateMachine = stateMachine;
  }
}
