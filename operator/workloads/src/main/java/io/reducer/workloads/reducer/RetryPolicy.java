package io.reducer.workloads.reducer;

import java.util.random.RandomGenerator;

/**
 * Conflict retries: at most {@code maxAttempts} commit attempts per action, with exponential backoff between them
 * (base, 2 x base, 4 x base, ... capped) and "equal jitter": half the step fixed, half random, so two reducers that
 * collided do not collide again on the same tick, and nobody retries immediately.
 */
public record RetryPolicy(int maxAttempts, int backoffBaseMs, int backoffCapMs) {

  public static final RetryPolicy DEFAULT = new RetryPolicy(3, 10, 250);

  /** The pause before attempt {@code attempt + 1}, after {@code attempt} (1-based) conflicted. */
  public long backoffMs(int attempt, RandomGenerator random) {
    long step = Math.min(backoffCapMs, (long) backoffBaseMs << Math.min(attempt - 1, 20));
    long half = step / 2;
    return half + (step - half == 0 ? 0 : random.nextLong(step - half + 1));
  }

  @Override
  public String toString() {
    return maxAttempts + " attempts, backoff " + backoffBaseMs + "-" + backoffCapMs + " ms";
  }
}
