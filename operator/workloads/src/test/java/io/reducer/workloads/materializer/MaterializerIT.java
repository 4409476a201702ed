package io.reducer.workloads.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.reducer.workloads.ExitCodes;

/** The materializer in the test JVM against a real broker and a real PostgreSQL. */
class MaterializerIT {

  private static final Duration CATCH_UP = Duration.ofSeconds(60);
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
  void projectionEqualsTheNewestVersionPerKeyOfTheTopic() throws Exception {
    String topic = "normal";
    cluster.createTopics(topic, 3);
    // Versions 1..8 of 25 keys in shuffled order, so a newer version often arrives before an older one.
    produceShuffled(topic, 25, 8, 7);
    try (InProcessMaterializer materializer = new InProcessMaterializer(
        cluster.env(topic, "normal", "normal_projection"), List.of("--max-records", "37"))) {
      awaitWatermarksAtLogEnd(topic, 3, "normal");

      assertThat(cluster.projection("normal_projection")).isEqualTo(modelOf(topic, 3));
      assertThat(cluster.projection("normal_projection")).hasSize(25).containsEntry("wf-0", "8:S8");
      MaterializerMetrics metrics = materializer.metrics();
      assertThat(metrics.failed()).isZero();
      // Every event is either applied or counted as skipped; none vanishes from the books.
      assertThat(metrics.materialized() + metrics.duplicates()).isGreaterThanOrEqualTo(25);
      assertThat(metrics.scrape())
          .contains("projection_materializer_projections_materialized_total")
          .contains("projection_materializer_duplicate_events_skipped_total")
          .contains("projection_materializer_wm_lag_ms")
          .contains("projection_materializer_wm_regressions_total")
          .contains("epoch_mismatch_dropped_total")
          .contains("projection_materializer_batch_size_count")
          .contains("projection_materializer_batch_duration_seconds_count");
      // Caught up: each partition's watermark gauge is its log end, and no partition lags in time.
      Map<Integer, Long> end = cluster.logEnd(topic, 3);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        String scrape = metrics.scrape();
        for (int partition = 0; partition < 3; partition++) {
          assertThat(scrape).contains("projection_materializer_watermark_offset{partition=\"" + partition
              + "\",projection=\"normal\"} " + end.get(partition) + ".0");
          assertThat(scrape).contains("projection_materializer_consumer_lag_ms{partition=\"" + partition
              + "\",projection=\"normal\"} 0.0");
        }
        assertThat(scrape).contains("projection_materializer_max_lag_ms{projection=\"normal\"} 0.0");
      });
    }
    cluster.query("SELECT count(*) FROM pg_indexes WHERE tablename = 'projection_watermarks' "
        + "AND indexdef LIKE '%(updated_at)%'", rows -> assertThat(rows.getInt(1)).isEqualTo(1));
    cluster.query("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'normal_projection'",
        rows -> assertThat(rows.getString(1)).isEqualTo("fillfactor=50"));
  }

  /**
   * Caught up, the materializer's fetch waits on the broker until a record arrives (Kafka's long poll, up to 500 ms):
   * a couple of fetches a second, not one every few ms. Then a new record is still materialized.
   */
  @Test
  void anIdleMaterializerWaitsOnTheBrokerInsteadOfFetchingEveryFewMs() throws Exception {
    String topic = "idle";
    cluster.createTopics(topic, 3);
    produceShuffled(topic, 10, 2, 3);
    try (InProcessMaterializer materializer = new InProcessMaterializer(
        cluster.env(topic, "idle", "idle_projection"), List.of())) {
      awaitWatermarksAtLogEnd(topic, 3, "idle");
      Thread.sleep(500);
      double before = ConsumerFetches.total("reducer-materializer-idle");
      Thread.sleep(2000);
      assertThat(ConsumerFetches.total("reducer-materializer-idle") - before).isBetween(1.0, 12.0);

      produceShuffled(topic, 11, 3, 5);
      awaitWatermarksAtLogEnd(topic, 3, "idle");
      assertThat(cluster.projection("idle_projection")).isEqualTo(modelOf(topic, 3)).hasSize(11);
    }
  }

  /** A backlog read in large polls is shared between three writers' transactions; every partition ends whole. */
  @Test
  void aBacklogSharedBetweenWritersEndsEqualToTheTopic() throws Exception {
    String topic = "shared";
    cluster.createTopics(topic, 4);
    produceShuffled(topic, 2000, 3, 11);
    try (InProcessMaterializer materializer = new InProcessMaterializer(
        cluster.env(topic, "shared", "shared_projection"), List.of("--max-records", "3000", "--writers", "3"))) {
      awaitWatermarksAtLogEnd(topic, 4, "shared");

      assertThat(cluster.projection("shared_projection")).isEqualTo(modelOf(topic, 4)).hasSize(2000);
      assertThat(materializer.metrics().failed()).isZero();
    }
  }

  @Test
  void olderAndRepeatedVersionsNeverOverwriteANewerRow() throws Exception {
    String topic = "reorder";
    cluster.createTopics(topic, 1);
    try (KafkaProducer<String, String> producer = cluster.producer();
        InProcessMaterializer materializer = new InProcessMaterializer(
            cluster.env(topic, "reorder", "reorder_projection"), List.of())) {
      producer.send(TestEvents.event(topic, "k1", 5)).get();
      awaitWatermarksAtLogEnd(topic, 1, "reorder");
      assertThat(cluster.projection("reorder_projection")).containsEntry("k1", "5:S5");

      producer.send(TestEvents.event(topic, "k1", 3, "OLD"));
      producer.send(TestEvents.event(topic, "k1", 5, "REPLAYED"));
      producer.send(TestEvents.event(topic, "k2", 2));
      producer.send(TestEvents.event(topic, "k2", 1, "OLD")).get();
      awaitWatermarksAtLogEnd(topic, 1, "reorder");

      assertThat(cluster.projection("reorder_projection")).isEqualTo(Map.of("k1", "5:S5", "k2", "2:S2"));
      assertThat(materializer.metrics().duplicates()).isEqualTo(3);
      assertThat(materializer.metrics().materialized()).isEqualTo(2);
    }
  }

  @Test
  void aZombieWithAStaleEpochWritesNothingAndExitsWithTheFencingCode() throws Exception {
    String topic = "zombie";
    cluster.createTopics(topic, 3);
    try (KafkaProducer<String, String> producer = cluster.producer();
        InProcessMaterializer materializer = new InProcessMaterializer(
            cluster.env(topic, "zombie", "zombie_projection"), List.of())) {
      for (int i = 0; i < 30; i++) {
        producer.send(TestEvents.event(topic, "wf-" + (i % 10), i / 10 + 1));
      }
      producer.flush();
      awaitWatermarksAtLogEnd(topic, 3, "zombie");
      Map<String, String> before = cluster.projection("zombie_projection");
      Map<Integer, Long> watermarksBefore = cluster.watermarks("zombie");

      // What a WatermarkReset does while this process still runs: a new epoch.
      cluster.execute("UPDATE projection_watermarks SET epoch = epoch + 1 WHERE projection = 'zombie'");
      for (int i = 0; i < 30; i++) {
        producer.send(TestEvents.event(topic, "wf-" + (i % 12), 100 + i));
      }
      producer.flush();

      assertThat(materializer.awaitExit(Duration.ofSeconds(30))).isEqualTo(ExitCodes.FENCED);
      assertThat(materializer.metrics().epochMismatchDropped()).isPositive();
      assertThat(cluster.projection("zombie_projection")).isEqualTo(before);
      assertThat(cluster.watermarks("zombie")).isEqualTo(watermarksBefore);
    }
  }

  @Test
  void poisonRecordsGoToTheDlqWithTheirOriginAndThePartitionKeepsFlowing() throws Exception {
    String topic = "poison";
    cluster.createTopics(topic, 1);
    try (KafkaProducer<String, String> producer = cluster.producer()) {
      producer.send(TestEvents.event(topic, "good-1", 1));
      producer.send(TestEvents.raw(topic, "bad-json", "{not json", "corr-json"));
      producer.send(TestEvents.raw(topic, "no-version", "{\"workflow_key\":\"no-version\",\"state\":\"X\"}", null));
      producer.send(TestEvents.raw(topic, "nul-state",
          "{\"workflow_key\":\"nul-state\",\"version\":1,\"state\":\"a\\u0000b\"}", "corr-nul"));
      producer.send(TestEvents.event(topic, "good-2", 1)).get();
    }
    try (InProcessMaterializer materializer = new InProcessMaterializer(
        cluster.env(topic, "poison", "poison_projection"), List.of())) {
      awaitWatermarksAtLogEnd(topic, 1, "poison");

      assertThat(cluster.projection("poison_projection")).isEqualTo(Map.of("good-1", "1:S1", "good-2", "1:S1"));
      assertThat(materializer.metrics().failed()).isEqualTo(3);
    }
    List<ConsumerRecord<byte[], byte[]>> dead = cluster.readAll(topic + ".dlq", 1);
    assertThat(dead).hasSize(3);
    Map<String, ConsumerRecord<byte[], byte[]>> byKey = new HashMap<>();
    dead.forEach(record -> byKey.put(new String(record.key(), StandardCharsets.UTF_8), record));

    ConsumerRecord<byte[], byte[]> badJson = byKey.get("bad-json");
    assertThat(new String(badJson.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
    assertThat(header(badJson, "x-error-type")).isEqualTo("DESERIALIZATION_ERROR");
    assertThat(header(badJson, "x-exception-class")).contains("Json");
    assertThat(header(badJson, "x-original-topic")).isEqualTo(topic);
    assertThat(header(badJson, "x-original-partition")).isEqualTo("0");
    assertThat(header(badJson, "x-original-offset")).isEqualTo("1");
    assertThat(header(badJson, "x-correlation-id")).isEqualTo("corr-json");
    assertThat(header(badJson, "correlation-id")).isEqualTo("corr-json");

    ConsumerRecord<byte[], byte[]> noVersion = byKey.get("no-version");
    assertThat(header(noVersion, "x-error-type")).isEqualTo("VALIDATION_ERROR");
    assertThat(header(noVersion, "x-error-message")).contains("version");
    assertThat(header(noVersion, "x-original-offset")).isEqualTo("2");
    assertThat(noVersion.headers().lastHeader("x-correlation-id")).isNull();

    ConsumerRecord<byte[], byte[]> rejected = byKey.get("nul-state");
    assertThat(header(rejected, "x-error-type")).isEqualTo("DATABASE_REJECTED");
    assertThat(header(rejected, "x-exception-class")).contains("SQLException");
    assertThat(header(rejected, "x-original-offset")).isEqualTo("3");
    assertThat(header(rejected, "x-correlation-id")).isEqualTo("corr-nul");
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    assertThat(header).as(name).isNotNull();
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  /** Versions 1 to {@code versions} of keys {@code wf-0} on, all of them shuffled with {@code seed}. */
  private static void produceShuffled(String topic, int keys, int versions, long seed) {
    List<long[]> plan = new ArrayList<>();
    for (int key = 0; key < keys; key++) {
      for (int version = 1; version <= versions; version++) {
        plan.add(new long[] {key, version});
      }
    }
    Collections.shuffle(plan, new Random(seed));
    try (KafkaProducer<String, String> producer = cluster.producer()) {
      for (long[] event : plan) {
        producer.send(TestEvents.event(topic, "wf-" + event[0], event[1]));
      }
    }
  }

  private static void awaitWatermarksAtLogEnd(String topic, int partitions, String projection) {
    Map<Integer, Long> end = cluster.logEnd(topic, partitions);
    await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(cluster.watermarks(projection)).isEqualTo(end));
  }

  /** Per key, the value of the record with the highest version: what the projection must hold. */
  private static Map<String, String> modelOf(String topic, int partitions) throws Exception {
    Map<String, Long> newest = new HashMap<>();
    Map<String, String> model = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : cluster.readAll(topic, partitions)) {
      StateCommitted event = new StateCommittedDecoder().decode(record.offset(), record.key(), record.value());
      if (event.version() > newest.getOrDefault(event.workflowKey(), -1L)) {
        newest.put(event.workflowKey(), event.version());
        model.put(event.workflowKey(), event.version() + ":" + event.state());
      }
    }
    return model;
  }
}
