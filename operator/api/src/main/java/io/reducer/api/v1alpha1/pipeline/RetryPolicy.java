package io.reducer.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * How a reducer retries an optimistic-concurrency conflict: jittered exponential backoff between
 * backoffBaseMs and backoffCapMs, then REDUCER_GAVE_UP after maxAttempts.
 */
@ValidationRule(value = "self.backoffCapMs >= self.backoffBaseMs", message = "backoffCapMs must be at least backoffBaseMs")
public class RetryPolicy {

  @Min(1)
  @Max(100)
  @Default("3")
  @JsonPropertyDescription("Attempts per action before the reducer gives up and records REDUCER_GAVE_UP.")
  private int maxAttempts = 3;

  @Min(1)
  @Max(60000)
  @Default("10")
  @JsonPropertyDescription("First backoff delay in milliseconds; doubled per attempt, with jitter.")
  private int backoffBaseMs = 10;

  @Min(1)
  @Max(600000)
  @Default("250")
  @JsonPropertyDescription("Largest backoff delay in milliseconds.")
  private int backoffCapMs = 250;

  public int getMaxAttempts() {
    return maxAttempts;
  }

  public void setMaxAttempts(int maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  public int getBackoffBaseMs() {
    return backoffBaseMs;
  }

  public void setBackoffBaseMs(int backoffBaseMs) {
    this.backoffBaseMs = backoffBaseMs;
  }

  public int getBackoffCapMs() {
    return backoffCapMs;
  }

  public void setBackoffCapMs(int backoffCapMs) {
    this.backoffCapMs = backoffCapMs;
  }
}
