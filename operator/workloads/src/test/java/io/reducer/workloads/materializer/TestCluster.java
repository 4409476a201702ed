package io.reducer.workloads.materializer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.reducer.testsupport.kafka.KafkaBroker;
import io.reducer.testsupport.postgres.PostgresServer;

/** The broker and database of an integration test, with the queries the assertions need. */
public final class TestCluster implements AutoCloseable {

  public final KafkaBroker broker = KafkaBroker.start();
  public final PostgresServer postgres = PostgresServer.start();

  /** The environment a materializer gets for a topic, projection and table of this cluster. */
  public Map<String, String> env(String topic, String projection, String table) {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    env.put("MATERIALIZER_TOPIC", topic);
    env.put("MATERIALIZER_DLQ_TOPIC", topic + ".dlq");
    env.put("MATERIALIZER_JDBC_URL", postgres.jdbcUrl());
    env.put("PGUSER", postgres.user());
    env.put("PGPASSWORD", postgres.password());
    env.put("MATERIALIZER_TABLE", table);
    env.put("MATERIALIZER_PROJECTION", projection);
    env.put("MATERIALIZER_HTTP_PORT", "-1");
    env.put("MATERIALIZER_SESSION_TIMEOUT_MS", "6000");
    return env;
  }

  public void createTopics(String topic, int partitions) {
    broker.createTopic(topic, partitions);
    broker.createTopic(topic + ".dlq", 1);
  }

  public KafkaProducer<String, String> producer() {
    Map<String, Object> properties = broker.clientProperties();
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
  }

  /** Log-end offset per partition. */
  public Map<Integer, Long> logEnd(String topic, int partitions) {
    try (KafkaConsumer<byte[], byte[]> consumer = rawConsumer()) {
      List<TopicPartition> all = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
      return consumer.endOffsets(all).entrySet().stream()
          .collect(Collectors.toMap(e -> e.getKey().partition(), Map.Entry::getValue));
    }
  }

  /** Every record of a topic, from the beginning. */
  public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int partitions) {
    Map<Integer, Long> end = logEnd(topic, partitions);
    try (KafkaConsumer<byte[], byte[]> consumer = rawConsumer()) {
      List<TopicPartition> all = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
      consumer.assign(all);
      consumer.seekToBeginning(all);
      List<ConsumerRecord<byte[], byte[]>> records = new java.util.ArrayList<>();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (all.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp.partition()))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end");
        }
        consumer.poll(java.time.Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  /** Watermark next_offset per partition of a projection. */
  public Map<Integer, Long> watermarks(String projection) {
    Map<Integer, Long> result = new HashMap<>();
    query("SELECT partition, next_offset FROM projection_watermarks WHERE projection = '" + projection + "'",
        rows -> result.put(rows.getInt(1), rows.getLong(2)));
    return result;
  }

  /** Watermark next_offset per partition of a projection in one namespace (of the watermarks in {@code schema}). */
  public Map<Integer, Long> watermarks(String schema, String namespace, String projection) {
    Map<Integer, Long> result = new HashMap<>();
    query("SELECT partition, next_offset FROM " + schema + ".projection_watermarks WHERE namespace = '" + namespace
        + "' AND projection = '" + projection + "'", rows -> result.put(rows.getInt(1), rows.getLong(2)));
    return result;
  }

  /** The owner of a projection table as namespace/projection uid, or null when unclaimed. */
  public String owner(String schema, String table) {
    String[] owner = new String[1];
    query("SELECT namespace, projection, uid FROM " + schema + ".projection_tables WHERE table_name = '" + table + "'",
        rows -> owner[0] = rows.getString(1) + "/" + rows.getString(2) + " " + rows.getString(3));
    return owner[0];
  }

  /** The projection table as key -> version:state. */
  public Map<String, String> projection(String table) {
    Map<String, String> result = new HashMap<>();
    query("SELECT workflow_key, version, state FROM " + table,
        rows -> result.put(rows.getString(1), rows.getLong(2) + ":" + rows.getString(3)));
    return result;
  }

  public void execute(String sql) {
    try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** Test-only SQL over constant names; the code under test binds every value. */
  public void query(String sql, RowConsumer consumer) {
    try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        consumer.accept(rows);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  public interface RowConsumer {
    void accept(ResultSet rows) throws SQLException;
  }

  private KafkaConsumer<byte[], byte[]> rawConsumer() {
    Properties properties = new Properties();
    properties.putAll(broker.clientProperties());
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public void close() {
    try {
      broker.close();
    } finally {
      postgres.close();
    }
  }
}
