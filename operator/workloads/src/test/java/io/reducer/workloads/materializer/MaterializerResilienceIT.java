package io.reducer.workloads.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rebalances, a watermark moved by someone else, and a PostgreSQL restart, each under load. */
class MaterializerResilienceIT {

  private static final Duration CATCH_UP = Duration.ofSeconds(90);
  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = new TestCluster();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aWatermarkMovedByAnotherWriterIsFollowedFromTheDatabase() throws Exception {
    String topic = "moved";
    cluster.createTopics(topic, 1);
    try (KafkaProducer<String, String> producer = cluster.producer();
        InProcessMaterializer materializer = new InProcessMaterializer(
            cluster.env(topic, "moved", "moved_projection"), List.of())) {
      for (int version = 1; version <= 10; version++) {
        producer.send(TestEvents.event(topic, "k", version));
      }
      producer.flush();
      awaitWatermarksAtLogEnd(topic, 1, "moved");

      // Same epoch, other position: what a second owner of the partition would leave behind.
      cluster.execute("UPDATE projection_watermarks SET next_offset = 5 WHERE projection = 'moved'");
      producer.send(TestEvents.event(topic, "k", 11)).get();
      awaitWatermarksAtLogEnd(topic, 1, "moved");

      assertThat(cluster.projection("moved_projection")).isEqualTo(Map.of("k", "11:S11"));
      assertThat(materializer.metrics().regressions()).isEqualTo(1);
      assertThat(materializer.exitCode).isNotDone();
    }
  }

  @Test
  void partitionsMovingBetweenTwoInstancesLoseNothingAndApplyNothingTwice() throws Exception {
    String topic = "rebalance";
    cluster.createTopics(topic, 3);
    Map<String, String> env = cluster.env(topic, "rebalance", "rebalance_projection");
    InProcessMaterializer first = new InProcessMaterializer(env, List.of("--max-records", "50"));
    PacedProducer producer = new PacedProducer(cluster, topic, 30, 8000, 4000);
    InProcessMaterializer second;
    try {
      awaitApplied("rebalance", 1000);
      second = new InProcessMaterializer(env, List.of("--max-records", "50"));
      awaitApplied("rebalance", 2500);
      assertThat(producer.isDone()).as("still producing during the rebalances").isFalse();
      producer.release();
    } finally {
      first.close();
    }
    try (InProcessMaterializer survivor = second) {
      Map<String, String> model = producer.awaitModel();
      awaitWatermarksAtLogEnd(topic, 3, "rebalance");

      assertThat(cluster.projection("rebalance_projection")).isEqualTo(model);
      assertThat(first.metrics().duplicates() + survivor.metrics().duplicates()).isZero();
      assertThat(first.metrics().failed() + survivor.metrics().failed()).isZero();
    }
  }

  @Test
  void aPostgresRestartUnderLoadIsRiddenOut() throws Exception {
    String topic = "pgrestart";
    cluster.createTopics(topic, 3);
    try (InProcessMaterializer materializer = new InProcessMaterializer(
        cluster.env(topic, "pgrestart", "pgrestart_projection"), List.of("--max-records", "50"))) {
      PacedProducer producer = new PacedProducer(cluster, topic, 30, 8000, 4000);
      awaitApplied("pgrestart", 1000);
      assertThat(producer.isDone()).as("still producing when PostgreSQL goes down").isFalse();
      cluster.postgres.stop();
      // The second half arrives while the database is down and while it comes back.
      producer.release();
      Thread.sleep(1000);
      cluster.postgres.restart();

      Map<String, String> model = producer.awaitModel();
      awaitWatermarksAtLogEnd(topic, 3, "pgrestart");
      assertThat(cluster.projection("pgrestart_projection")).isEqualTo(model);
      assertThat(materializer.metrics().duplicates()).isZero();
      assertThat(materializer.exitCode).as("kept running").isNotDone();
    }
  }

  private static void awaitApplied(String projection, long records) {
    await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
        .until(() -> cluster.watermarks(projection).values().stream().mapToLong(Long::longValue).sum() >= records);
  }

  private static void awaitWatermarksAtLogEnd(String topic, int partitions, String projection) {
    Map<Integer, Long> end = cluster.logEnd(topic, partitions);
    await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .untilAsserted(() -> assertThat(cluster.watermarks(projection)).isEqualTo(end));
  }
}
