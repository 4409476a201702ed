package io.reducer.controller.connections;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachedSecretsTest {

  private final Map<String, Secret> stored = new HashMap<>();
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicLong now = new AtomicLong();
  private final CachedSecrets secrets = new CachedSecrets((namespace, name) -> {
    reads.incrementAndGet();
    return Optional.ofNullable(stored.get(namespace + "/" + name));
  }, Duration.ofSeconds(2), now::get);

  @Test
  void manyReadsWithinTheTtlReachTheApiServerOnce() {
    stored.put("orders/pg", secret("pg", "1"));

    for (int i = 0; i < 1000; i++) {
      assertThat(secrets.get("orders", "pg")).isPresent();
    }

    assertThat(reads).hasValue(1);
  }

  @Test
  void aRotatedOrNewlyCreatedSecretIsSeenOnceTheTtlHasPassed() {
    stored.put("orders/pg", secret("pg", "1"));
    assertThat(secrets.get("orders", "pg")).map(s -> s.getMetadata().getResourceVersion()).hasValue("1");
    assertThat(secrets.get("orders", "late")).isEmpty();

    stored.put("orders/pg", secret("pg", "2"));
    stored.put("orders/late", secret("late", "1"));
    now.addAndGet(Duration.ofMillis(1999).toNanos());
    assertThat(secrets.get("orders", "pg")).map(s -> s.getMetadata().getResourceVersion()).hasValue("1");
    assertThat(secrets.get("orders", "late")).isEmpty();

    now.addAndGet(Duration.ofMillis(1).toNanos());
    assertThat(secrets.get("orders", "pg")).map(s -> s.getMetadata().getResourceVersion()).hasValue("2");
    assertThat(secrets.get("orders", "late")).isPresent();
  }

  @Test
  void secretsOfTheSameNameInTwoNamespacesAreKeptApart() {
    stored.put("orders/pg", secret("pg", "1"));
    stored.put("billing/pg", secret("pg", "7"));

    assertThat(secrets.get("orders", "pg")).map(s -> s.getMetadata().getResourceVersion()).hasValue("1");
    assertThat(secrets.get("billing", "pg")).map(s -> s.getMetadata().getResourceVersion()).hasValue("7");
  }

  private static Secret secret(String name, String resourceVersion) {
    return new SecretBuilder().withNewMetadata().withName(name).withResourceVersion(resourceVersion).endMetadata()
        .build();
  }
}
