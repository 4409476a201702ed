package io.reducer.workloads.reducer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.reducer.workloads.deadletter.DeadLetterPublisher;
import io.reducer.workloads.materializer.TestCluster;

/**
 * A pipeline's topics and canonical store on a test cluster, the reducer's environment, actions to produce and
 * the queries the reducer tests assert with.
 */
final class ReducerTestKit {

  /** One state that loops on itself: a new workflow takes "OPEN" or "touch", every later one "touch", in any order. */
  static final String LOOP_MACHINE =
      "{\"states\":[\"OPEN\"],\"transitions\":[{\"from\":\"OPEN\",\"to\":\"OPEN\",\"trigger\":\"touch\"}]}";
  private static final ObjectMapper JSON = new ObjectMapper();

  final TestCluster cluster;
  final String actions;
  final String stateCommitted;
  final String dlq;
  final String schema;

  ReducerTestKit(TestCluster cluster, String name, int partitions) {
    this(cluster, name, partitions, Map.of());
  }

  /** @param actionsTopicConfig topic configs of the actions topic (e.g. its timestamp type) */
  ReducerTestKit(TestCluster cluster, String name, int partitions, Map<String, String> actionsTopicConfig) {
    this.cluster = cluster;
    this.actions = name + ".actions";
    this.stateCommitted = name + ".state-committed";
    this.dlq = name + ".dlq";
    this.schema = name.replace('-', '_');
    cluster.broker.createTopic(actions, partitions, actionsTopicConfig);
    cluster.broker.createTopic(stateCommitted, partitions);
    cluster.broker.createTopic(dlq, 1);
    cluster.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
  }

  /** The environment of a reducer of this pipeline (HTTP off, short session timeout). */
  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", cluster.broker.bootstrapServers());
    env.put("REDUCER_ACTIONS_TOPIC", actions);
    env.put("REDUCER_STATE_COMMITTED_TOPIC", stateCommitted);
    env.put("REDUCER_DLQ_TOPIC", dlq);
    env.put("REDUCER_JDBC_URL", cluster.postgres.jdbcUrl());
    env.put("PGUSER", cluster.postgres.user());
    env.put("PGPASSWORD", cluster.postgres.password());
    env.put("REDUCER_SCHEMA", schema);
    env.put("REDUCER_PIPELINE", schema.replace('_', '-'));
    env.put("REDUCER_HTTP_PORT", "-1");
    env.put("REDUCER_SESSION_TIMEOUT_MS", "6000");
    return env;
  }

  static String action(String actionId, String key, String trigger, String correlationId) {
    return "{\"action_id\":\"" + actionId + "\",\"workflow_key\":\"" + key + "\",\"action\":\"" + trigger
        + "\",\"payload\":{},\"correlation_id\":\"" + correlationId + "\"}";
  }

  /** Sends and waits for every acknowledgement; the Kafka key is {@code kafkaKey}. */
  void send(List<String[]> keyAndValue) throws Exception {
    try (KafkaProducer<String, String> producer = cluster.producer()) {
      List<Future<?>> acks = new ArrayList<>();
      for (String[] record : keyAndValue) {
        acks.add(producer.send(new ProducerRecord<>(actions, record[0], record[1])));
      }
      for (Future<?> ack : acks) {
        ack.get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** workflow_state as key -> version:state. */
  Map<String, String> states() {
    Map<String, String> result = new HashMap<>();
    cluster.query("SELECT workflow_key, version, state FROM " + schema + ".workflow_state",
        rows -> result.put(rows.getString(1), rows.getLong(2) + ":" + rows.getString(3)));
    return result;
  }

  long count(String sql) {
    long[] count = new long[1];
    cluster.query(sql.replace("{schema}", schema), rows -> count[0] = rows.getLong(1));
    return count[0];
  }

  /** Versions per key that are not 1..max without holes or repeats, in the history; empty when all are. */
  List<String> historyHoles() {
    List<String> holes = new ArrayList<>();
    cluster.query("SELECT workflow_key, count(*), count(DISTINCT version), min(version), max(version) FROM " + schema
        + ".workflow_state_history WHERE event_type = 'STATE_COMMITTED' GROUP BY workflow_key", rows -> {
          if (rows.getLong(2) != rows.getLong(3) || rows.getLong(4) != 1 || rows.getLong(5) != rows.getLong(2)) {
            holes.add(rows.getString(1) + ": " + rows.getLong(2) + " rows, versions " + rows.getLong(4) + ".."
                + rows.getLong(5));
          }
        });
    return holes;
  }

  /** Outbox rows not yet published. */
  long backlog() {
    return count("SELECT h.last_sequence - c.next_sequence + 1 FROM {schema}.reducer_outbox_head h, "
        + "{schema}.reducer_outbox_cursor c");
  }

  /** {@link #env()} with {@link #LOOP_MACHINE} as the state machine. */
  Map<String, String> loopEnv() {
    Map<String, String> env = env();
    env.put("REDUCER_STATE_MACHINE", LOOP_MACHINE);
    return env;
  }

  /** workflow_state as key -> version. */
  Map<String, Long> versions() {
    Map<String, Long> result = new HashMap<>();
    cluster.query("SELECT workflow_key, version FROM " + schema + ".workflow_state",
        rows -> result.put(rows.getString(1), rows.getLong(2)));
    return result;
  }

  /** The sum of workflow_state versions: how many actions were applied, while nobody else moves versions. */
  long applied() {
    return count("SELECT COALESCE(sum(version), 0) FROM {schema}.workflow_state");
  }

  /** The first column of a query ({schema} replaced), as a set. */
  Set<String> strings(String sql) {
    Set<String> result = new HashSet<>();
    cluster.query(sql.replace("{schema}", schema), rows -> result.add(rows.getString(1)));
    return result;
  }

  /**
   * The state-committed topic as key -> versions, in the order of the key's partition; fails when a key's events
   * are on two partitions (their order would be lost).
   */
  Map<String, List<Long>> published(int partitions) throws Exception {
    Map<String, List<Long>> versions = new LinkedHashMap<>();
    Map<String, Integer> partitionOf = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : cluster.readAll(stateCommitted, partitions)) {
      String key = new String(record.key(), StandardCharsets.UTF_8);
      Integer before = partitionOf.putIfAbsent(key, record.partition());
      if (before != null && before != record.partition()) {
        throw new AssertionError("state-committed events of " + key + " on partitions " + before + " and "
            + record.partition());
      }
      versions.computeIfAbsent(key, k -> new ArrayList<>()).add(JSON.readTree(record.value()).get("version").asLong());
    }
    return versions;
  }

  /** {@link #published} as key -> the set of its versions: what at-least-once publishing must cover. */
  Map<String, Set<Long>> publishedSets(int partitions) throws Exception {
    Map<String, Set<Long>> sets = new HashMap<>();
    published(partitions).forEach((key, versions) -> sets.put(key, new HashSet<>(versions)));
    return sets;
  }

  /** key -> {1, .., n} for a model of key -> n. */
  static Map<String, Set<Long>> oneToNSets(Map<String, Long> model) {
    Map<String, Set<Long>> sets = new HashMap<>();
    oneToN(model).forEach((key, versions) -> sets.put(key, new HashSet<>(versions)));
    return sets;
  }

  /** The DLQ as action_id -> x-error-type of each of its records, in order. */
  Map<String, List<String>> deadLetters() throws Exception {
    Map<String, List<String>> letters = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : cluster.readAll(dlq, 1)) {
      String id = JSON.readTree(record.value()).get("action_id").asText();
      letters.computeIfAbsent(id, k -> new ArrayList<>()).add(header(record, DeadLetterPublisher.ERROR_TYPE));
    }
    return letters;
  }

  /** key -> [1, 2, .., n] for a model of key -> n. */
  static Map<String, List<Long>> oneToN(Map<String, Long> model) {
    Map<String, List<Long>> result = new HashMap<>();
    model.forEach((key, n) -> {
      List<Long> versions = new ArrayList<>();
      for (long v = 1; v <= n; v++) {
        versions.add(v);
      }
      result.put(key, versions);
    });
    return result;
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** A reducer in this JVM, on its own thread. */
  static final class InProcessReducer implements AutoCloseable {

    final ReducerProcess process;
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final Future<Integer> exit;

    InProcessReducer(Map<String, String> env, String name) throws ReducerConfigException {
      this(env, name, null);
    }

    /** With a probe that sees where each action's time goes (the benchmark's latency breakdown). */
    InProcessReducer(Map<String, String> env, String name, ReducerProbe probe) throws ReducerConfigException {
      ReducerConfig config = ReducerConfig.parse(List.of(), env);
      process = ReduceCommand.prepare(config, config.pipeline() + "/" + name, probe);
      exit = thread.submit(process::run);
    }

    /** Whether its loop still runs (it has not exited on its own). */
    boolean running() {
      return !exit.isDone();
    }

    int stop() throws Exception {
      process.stop();
      return exit.get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
      process.stop();
      process.awaitStopped(Duration.ofSeconds(30));
      thread.shutdownNow();
    }
  }

  /**
   * Sends {@code total} "touch" actions ({@link #LOOP_MACHINE}) for {@code keys} workflows on a thread of its own,
   * about {@code perSecond} a second, each with its own action id (also its correlation id). The model is each key's
   * action count: the version the key must end at.
   */
  static final class ActionStream {

    private final Map<String, Long> counts = new ConcurrentHashMap<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final CountDownLatch released = new CountDownLatch(1);

    ActionStream(ReducerTestKit kit, String prefix, int keys, int total, int perSecond) {
      this(kit, prefix, keys, total, perSecond, total);
    }

    /**
     * Stops after {@code holdAt} actions, all acknowledged, until {@link #release}: a test that acts "while
     * producing" then does not depend on how fast the machine is.
     */
    ActionStream(ReducerTestKit kit, String prefix, int keys, int total, int perSecond, int holdAt) {
      Thread thread = new Thread(() -> {
        try (KafkaProducer<String, String> producer = kit.cluster.producer()) {
          long start = System.nanoTime();
          for (int i = 0; i < total; i++) {
            if (i == holdAt) {
              producer.flush();
              released.await();
              start = System.nanoTime() - i * 1_000_000_000L / perSecond;
            }
            String key = prefix + "-" + (i % keys);
            String id = key + "-" + counts.merge(key, 1L, Long::sum);
            producer.send(new ProducerRecord<>(kit.actions, key, action(id, key, "touch", id)), (metadata, e) -> {
              if (e == null) {
                acknowledged.incrementAndGet();
              } else {
                failure.compareAndSet(null, e);
              }
            });
            if (i % 10 == 9) {
              long due = start + (i + 1) * 1_000_000_000L / perSecond;
              long wait = due - System.nanoTime();
              if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
              }
            }
          }
          producer.flush();
          done.complete(null);
        } catch (Throwable t) {
          done.completeExceptionally(t);
        }
      }, "action-stream-" + prefix);
      thread.setDaemon(true);
      thread.start();
    }

    boolean isDone() {
      return done.isDone();
    }

    /** Lets a holding stream go on. */
    void release() {
      released.countDown();
    }

    /** Actions the broker acknowledged so far. */
    long acknowledged() {
      return acknowledged.get();
    }

    /** Waits for the last acknowledgement; key -> action count. Fails when the broker refused an action. */
    Map<String, Long> awaitModel() throws Exception {
      done.get(120, TimeUnit.SECONDS);
      if (failure.get() != null) {
        throw new AssertionError("the broker refused an action", failure.get());
      }
      return new HashMap<>(counts);
    }
  }
}
