package io.reducer.controller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.ReducerPipelineSpec;
import io.reducer.api.v1alpha1.pipeline.PipelineTopics;
import io.reducer.api.v1alpha1.pipeline.PostgresConnection;
import io.reducer.api.v1alpha1.pipeline.TopicSpec;
import io.reducer.controller.kafka.KafkaAdminGateway;
import io.reducer.controller.postgres.DatabaseLogin;
import io.reducer.controller.postgres.DatabasePool;
import io.reducer.testsupport.kafka.KafkaBroker;
import io.reducer.testsupport.postgres.PostgresServer;
import io.reducer.workloads.reducer.CanonicalSchema;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pipeline health probe against a real broker and a real PostgreSQL. */
class PipelineHealthProbeIT {

  private static KafkaBroker broker;
  private static PostgresServer postgres;
  private static DatabasePool pool;
  private static KafkaAdminGateway kafka;

  @BeforeAll
  static void start() throws Exception {
    broker = KafkaBroker.start();
    postgres = PostgresServer.start();
    pool = new DatabasePool(new DatabaseLogin(postgres.jdbcUrl(), postgres.user(), postgres.password(), "test"), 2,
        Duration.ofSeconds(10));
    kafka = new KafkaAdminGateway(broker.clientProperties(), Duration.ofSeconds(10));
    try (Connection connection = postgres.connect()) {
      connection.createStatement().execute("CREATE SCHEMA orders_store");
      connection.setAutoCommit(false);
      CanonicalSchema.create(connection, "orders_store");
      connection.createStatement().execute("INSERT INTO orders_store.reducer_stats (process, pipeline, started_at, "
          + "updated_at, actions_applied, actions_rejected, actions_duplicate, conflicts, gave_up, window_seconds, "
          + "window_applied, window_conflicts, window_gave_up, commit_p95_ms, outbox_leader) VALUES "
          + "('orders-0', 'orders', now(), now(), 100, 0, 0, 1, 0, 5, 99, 1, 0, 3.5, true)");
      connection.commit();
    }
  }

  @AfterAll
  static void stop() {
    kafka.close();
    pool.close();
    postgres.close();
    broker.close();
  }

  @Test
  void measuresTheStoreAndTheDlqDepthAsEndMinusStartOffsetsOverPartitions() throws Exception {
    broker.createTopic("orders.dlq", 3);
    produce("orders.dlq", 0, 4);
    produce("orders.dlq", 2, 3);
    try (var admin = broker.admin()) {
      // Records below the log start (deleted by retention) are no longer in the DLQ.
      admin.deleteRecords(Map.of(new TopicPartition("orders.dlq", 0), RecordsToDelete.beforeOffset(1))).all().get();
    }

    PipelineHealthObservation observed = PipelineHealthProbe.observe(pipeline("orders.dlq"), kafka, pool,
        Instant.now());

    assertThat(observed.kafka()).isNull();
    assertThat(observed.dlqDepth()).isEqualTo(6);
    assertThat(observed.database()).isNull();
    assertThat(observed.reducersReporting()).isEqualTo(1);
    assertThat(observed.conflictRatePercent()).isEqualTo(1.0);
    assertThat(observed.successRatePercent()).isEqualTo(100.0);
    assertThat(observed.commitP95Ms()).isEqualTo(3.5);
    assertThat(observed.outboxBacklog()).isZero();
  }

  @Test
  void aMissingDlqTopicOrSchemaAndUnreachableSourcesLeaveTheirFiguresAbsentWithAReason() {
    ReducerPipeline pipeline = pipeline("no.such.dlq");
    pipeline.getSpec().getPostgres().setSchema("no_store");

    PipelineHealthObservation missing = PipelineHealthProbe.observe(pipeline, kafka, pool, Instant.now());

    assertThat(missing.dlqDepth()).isNull();
    assertThat(missing.kafka().reason()).isEqualTo("TopicNotFound");
    assertThat(missing.store()).isNull();
    assertThat(missing.database().reason()).isEqualTo("CanonicalStoreMissing");

    PipelineHealthObservation unreachable = PipelineHealthProbe.observe(pipeline("orders.dlq"), null, null,
        Instant.now());
    assertThat(unreachable.kafka().reason()).isEqualTo("KafkaUnreachable");
    assertThat(unreachable.database().reason()).isEqualTo("DatabaseUnreachable");
    assertThat(unreachable.conflictRatePercent()).isNull();
  }

  private static ReducerPipeline pipeline(String dlq) {
    ReducerPipeline pipeline = new ReducerPipeline();
    pipeline.setMetadata(new ObjectMetaBuilder().withName("orders").withNamespace("shop").build());
    ReducerPipelineSpec spec = new ReducerPipelineSpec();
    PipelineTopics topics = new PipelineTopics();
    topics.setActions(new TopicSpec("orders.actions", 1));
    topics.setStateCommitted(new TopicSpec("orders.state", 1));
    topics.setDlq(new TopicSpec(dlq, 1));
    spec.setTopics(topics);
    PostgresConnection postgresSpec = new PostgresConnection();
    postgresSpec.setSchema("orders_store");
    spec.setPostgres(postgresSpec);
    pipeline.setSpec(spec);
    return pipeline;
  }

  private static void produce(String topic, int partition, int count) throws Exception {
    Properties props = new Properties();
    props.putAll(broker.clientProperties());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, partition, "k" + i, "v" + i)).get();
      }
    }
  }
}
