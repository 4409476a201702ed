package io.reducer.controller.connections;

import io.reducer.controller.kafka.KafkaAdminGateway;
import io.reducer.controller.postgres.DatabaseLogin;
import io.reducer.controller.postgres.DatabasePool;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Long-lived clients per pipeline: one Kafka admin client and one small database pool for each distinct
 * connection. A pipeline whose settings or credentials change gets new clients and the old ones are closed;
 * pipelines that share a cluster with identical settings share its client.
 */
public final class PipelineClients implements AutoCloseable {

  private static final int POOL_SIZE = 2;

  private final Duration timeout;
  private final Map<Map<String, Object>, KafkaAdminGateway> kafka = new ConcurrentHashMap<>();
  private final Map<DatabaseKey, DatabasePool> databases = new ConcurrentHashMap<>();
  /** Which settings each pipeline (namespace/name) uses now, so stale clients can be closed. */
  private final Map<String, Map<String, Object>> kafkaInUse = new ConcurrentHashMap<>();
  private final Map<String, DatabaseKey> databaseInUse = new ConcurrentHashMap<>();
  /** What closed clients had counted, so the totals never go backwards when a pipeline's clients are replaced. */
  private long retiredKafkaRequests;
  private long retiredDatabaseRuns;

  public PipelineClients(Duration timeout) {
    this.timeout = timeout;
  }

  public Duration timeout() {
    return timeout;
  }

  /** The admin client for these resolved Kafka settings, created on first use. */
  public synchronized KafkaAdminGateway kafka(String pipeline, Map<String, Object> properties) {
    Map<String, Object> key = new TreeMap<>(properties);
    Map<String, Object> previous = kafkaInUse.put(pipeline, key);
    if (previous != null && !previous.equals(key) && !kafkaInUse.containsValue(previous)) {
      retire(kafka.remove(previous));
    }
    return kafka.computeIfAbsent(key, k -> new KafkaAdminGateway(k, timeout));
  }

  /** The pool for this database login, created on first use. */
  public synchronized DatabasePool database(String pipeline, DatabaseLogin login) {
    DatabaseKey key = new DatabaseKey(login.jdbcUrl(), login.user(), login.password());
    DatabaseKey previous = databaseInUse.put(pipeline, key);
    if (previous != null && !previous.equals(key) && !databaseInUse.containsValue(previous)) {
      retire(databases.remove(previous));
    }
    return databases.computeIfAbsent(key, k -> new DatabasePool(login, POOL_SIZE, timeout));
  }

  /** Releases the clients of a deleted pipeline unless another pipeline still uses them. */
  public synchronized void forget(String pipeline) {
    Map<String, Object> kafkaKey = kafkaInUse.remove(pipeline);
    if (kafkaKey != null && !kafkaInUse.containsValue(kafkaKey)) {
      retire(kafka.remove(kafkaKey));
    }
    DatabaseKey databaseKey = databaseInUse.remove(pipeline);
    if (databaseKey != null && !databaseInUse.containsValue(databaseKey)) {
      retire(databases.remove(databaseKey));
    }
  }

  /** Releases the clients of every pipeline not in {@code present} (namespace/name keys). */
  public synchronized void retain(Set<String> present) {
    Set.copyOf(kafkaInUse.keySet()).stream().filter(p -> !present.contains(p)).forEach(this::forget);
    Set.copyOf(databaseInUse.keySet()).stream().filter(p -> !present.contains(p)).forEach(this::forget);
  }

  /** Pipelines with clients, for tests and metrics. */
  public Set<String> pipelines() {
    return Set.copyOf(kafkaInUse.keySet());
  }

  /** Requests sent by every Kafka admin client so far, closed ones included. */
  public synchronized long kafkaAdminRequests() {
    return retiredKafkaRequests + kafka.values().stream().mapToLong(KafkaAdminGateway::requestsSent).sum();
  }

  /** Units of database work (each one connection's round trips) run so far, closed pools included. */
  public synchronized long databaseRuns() {
    return retiredDatabaseRuns + databases.values().stream().mapToLong(DatabasePool::runs).sum();
  }

  private void retire(KafkaAdminGateway gateway) {
    if (gateway != null) {
      retiredKafkaRequests += gateway.requestsSent();
      gateway.close();
    }
  }

  private void retire(DatabasePool pool) {
    if (pool != null) {
      retiredDatabaseRuns += pool.runs();
      pool.close();
    }
  }

  @Override
  public synchronized void close() {
    kafka.values().forEach(KafkaAdminGateway::close);
    databases.values().forEach(DatabasePool::close);
    kafka.clear();
    databases.clear();
    kafkaInUse.clear();
    databaseInUse.clear();
  }

  private static final class DatabaseKey {
    private final String url;
    private final String user;
    private final String password;

    DatabaseKey(String url, String user, String password) {
      this.url = url;
      this.user = user;
      this.password = password;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof DatabaseKey && ((DatabaseKey) o).url.equals(url) && ((DatabaseKey) o).user.equals(user)
          && ((DatabaseKey) o).password.equals(password);
    }

    @Override
    public int hashCode() {
      return Objects.hash(url, user, password);
    }
  }
}
