package io.reducer.workloads.reducer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

/** The conflict backoff of the reducer: exponential, capped, with equal jitter. */
class RetryPolicyTest {

  private static final int SAMPLES = 2_000;

  @Test
  void firstBackoffIsBetweenHalfTheBaseAndTheBase() {
    RetryPolicy policy = new RetryPolicy(3, 10, 250);
    RandomGenerator random = new Random(1);
    for (int i = 0; i < SAMPLES; i++) {
      assertThat(policy.backoffMs(1, random)).isBetween(5L, 10L);
    }
  }

  @Test
  void backoffDoublesWithEachAttempt() {
    RetryPolicy policy = new RetryPolicy(10, 10, 1_000_000);
    RandomGenerator random = new Random(2);
    for (int attempt = 1; attempt <= 10; attempt++) {
      long step = 10L << (attempt - 1);
      for (int i = 0; i < 200; i++) {
        assertThat(policy.backoffMs(attempt, random)).as("attempt %d", attempt).isBetween(step / 2, step);
      }
    }
    assertThat(minimum(policy, 4, new Random(3))).isGreaterThan(maximum(policy, 2, new Random(4)));
  }

  @Test
  void backoffNeverExceedsTheCap() {
    RetryPolicy policy = new RetryPolicy(100, 10, 250);
    RandomGenerator random = new Random(5);
    for (int attempt = 1; attempt <= 100; attempt++) {
      for (int i = 0; i < 100; i++) {
        assertThat(policy.backoffMs(attempt, random)).as("attempt %d", attempt).isBetween(0L, 250L);
      }
    }
    assertThat(minimum(policy, 30, new Random(6))).as("once capped, still at least half the cap").isEqualTo(125);
    assertThat(maximum(policy, 30, new Random(7))).isEqualTo(250);
    RetryPolicy largest = new RetryPolicy(100, 60_000, 60_000);
    assertThat(largest.backoffMs(100, new Random(8))).isBetween(30_000L, 60_000L);
  }

  @Test
  void jitterVariesButIsReproducibleWithASeed() {
    RetryPolicy policy = RetryPolicy.DEFAULT;
    Set<Long> seen = new HashSet<>();
    RandomGenerator random = new Random(9);
    for (int i = 0; i < SAMPLES; i++) {
      seen.add(policy.backoffMs(3, random));
    }
    assertThat(seen).as("attempt 3 of the default policy: 20..40 ms").hasSizeGreaterThan(10)
        .allSatisfy(ms -> assertThat(ms).isBetween(20L, 40L));
    RandomGenerator first = new Random(42);
    RandomGenerator second = new Random(42);
    for (int attempt = 1; attempt <= 5; attempt++) {
      assertThat(policy.backoffMs(attempt, first)).isEqualTo(policy.backoffMs(attempt, second));
    }
  }

  @Test
  void zeroBaseMeansNoPause() {
    RetryPolicy policy = new RetryPolicy(3, 0, 0);
    RandomGenerator random = new Random(10);
    for (int attempt = 1; attempt <= 50; attempt++) {
      assertThat(policy.backoffMs(attempt, random)).isZero();
    }
    assertThat(new RetryPolicy(3, 0, 250).backoffMs(5, random)).isZero();
  }

  @Test
  void defaultIsThreeAttemptsFromTenToTwoHundredFiftyMs() {
    assertThat(RetryPolicy.DEFAULT).isEqualTo(new RetryPolicy(3, 10, 250));
    assertThat(RetryPolicy.DEFAULT.toString()).isEqualTo("3 attempts, backoff 10-250 ms");
  }

  private static long minimum(RetryPolicy policy, int attempt, RandomGenerator random) {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < SAMPLES; i++) {
      min = Math.min(min, policy.backoffMs(attempt, random));
    }
    return min;
  }

  private static long maximum(RetryPolicy policy, int attempt, RandomGenerator random) {
    long max = Long.MIN_VALUE;
    for (int i = 0; i < SAMPLES; i++) {
      max = Math.max(max, policy.backoffMs(attempt, random));
    }
    return max;
  }
}
