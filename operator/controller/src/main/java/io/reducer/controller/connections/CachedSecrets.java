package io.reducer.controller.connections;

import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Keeps each Secret read (or found missing) for a short while. Every Projection of a pipeline reads the same
 * Secrets on every reconcile; without this, an operator with 1,000 Projections sent the API server about 80 Secret
 * reads a second at rest. A rotated or newly created Secret is seen at most {@code ttl} later.
 */
public final class CachedSecrets implements SecretSource {

  /** Well below the probe interval, so a rotation still rolls the pods at the next reconcile or the one after. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(2);

  private final SecretSource source;
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  public CachedSecrets(SecretSource source) {
    this(source, DEFAULT_TTL, System::nanoTime);
  }

  CachedSecrets(SecretSource source, Duration ttl, LongSupplier nanoTime) {
    this.source = source;
    this.ttlNanos = ttl.toNanos();
    this.nanoTime = nanoTime;
  }

  @Override
  public Optional<Secret> get(String namespace, String name) {
    String key = namespace + "/" + name;
    long now = nanoTime.getAsLong();
    Entry entry = entries.get(key);
    if (entry != null && now - entry.readAt < ttlNanos) {
      return entry.secret;
    }
    Optional<Secret> secret = source.get(namespace, name);
    entries.put(key, new Entry(secret, now));
    return secret;
  }

  private record Entry(Optional<Secret> secret, long readAt) {
  }
}
