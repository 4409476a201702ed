package io.reducer.workloads.reducer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

import io.reducer.workloads.materializer.TestCluster;

/**
 * A pipeline's topics and canonical store on a test cluster, the reducer's environment, actions to produce and
 * the queries the reducer tests assert with.
 */
final class ReducerTestKit {

  final TestCluster cluster;
  final String actions;
  final String stateCommitted;
  final String dlq;
  final String schema;

  ReducerTestKit(TestCluster cluster, String name, int partitions) {
    this.cluster = cluster;
    this.actions = name + ".actions";
    this.stateCommitted = name + ".state-committed";
    this.dlq = name + ".dlq";
    this.schema = name.replace('-', '_');
    cluster.broker.createTopic(actions, partitions);
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
      ReducerConfig config = ReducerConfig.parse(List.of(), env);
      process = ReduceCommand.prepare(config, config.pipeline() + "/" + name);
      exit = thread.submit(process::run);
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
}
