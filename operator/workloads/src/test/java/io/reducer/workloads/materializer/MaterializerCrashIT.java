package io.reducer.workloads.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reducer.workloads.ExitCodes;

/**
 * kill -9 of a materializer process mid-stream, then a new process: nothing lost, nothing applied twice. The
 * second case also rewinds the group's Kafka offsets, as if every Kafka commit after a database commit was lost.
 */
class MaterializerCrashIT {

  private static final int PARTITIONS = 3;
  private static final int KEYS = 30;
  private static final int RECORDS = 8000;
  private static TestCluster cluster;

  @TempDir
  Path logs;

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
  void aKilledMaterializerIsReplacedWithoutLossOrDoubleApplication() throws Exception {
    String topic = "crash";
    cluster.createTopics(topic, PARTITIONS);
    Map<String, String> env = cluster.env(topic, "crash", "crash_projection");
    env.put("MATERIALIZER_HTTP_PORT", "0");
    env.put("MATERIALIZER_MAX_RECORDS", "50");

    ChildMaterializer first = new ChildMaterializer(logs, "first", env);
    first.httpPort(); // started: configuration checked, tables created
    // Each key's versions go up by one per record, so a record applied twice shows as a skipped duplicate.
    PacedProducer producer = new PacedProducer(cluster, topic, KEYS, RECORDS, RECORDS / 2);
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
          .until(() -> applied("crash") >= RECORDS / 8);
      assertThat(producer.isDone()).as("still producing when killed").isFalse();
      first.kill();
    } finally {
      first.close();
      producer.release();
    }
    long appliedAtKill = applied("crash");
    Map<String, String> model = producer.awaitModel();
    assertThat(appliedAtKill).isLessThan(RECORDS);

    try (ChildMaterializer second = new ChildMaterializer(logs, "second", env)) {
      Map<Integer, Long> end = cluster.logEnd(topic, PARTITIONS);
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> assertThat(cluster.watermarks("crash")).isEqualTo(end));

      assertThat(cluster.projection("crash_projection")).isEqualTo(model);

      String metrics = second.get("/metrics").body();
      assertThat(counter(metrics, "projection_materializer_duplicate_events_skipped_total")).isZero();
      // The second process read exactly the records after the first one's last commit.
      assertThat(counter(metrics, "projection_materializer_batch_size_sum")).isEqualTo(RECORDS - appliedAtKill);
      assertThat(second.get("/health").statusCode()).isEqualTo(200);
      assertThat(second.get("/ready").statusCode()).isEqualTo(200);

      assertThat(second.terminate(Duration.ofSeconds(30))).as(second.log()).isEqualTo(ExitCodes.OK);
    }
  }

  @Test
  void lostKafkaCommitsAfterTheDatabaseCommitDoNotCauseReapplication() throws Exception {
    String topic = "rewind";
    String group = "rewind-group";
    cluster.createTopics(topic, PARTITIONS);
    Map<String, String> env = cluster.env(topic, "rewind", "rewind_projection");
    env.put("MATERIALIZER_HTTP_PORT", "0");
    env.put("MATERIALIZER_MAX_RECORDS", "50");
    env.put("MATERIALIZER_GROUP", group);

    ChildMaterializer first = new ChildMaterializer(logs, "rewind-first", env);
    first.httpPort();
    PacedProducer producer = new PacedProducer(cluster, topic, KEYS, RECORDS, RECORDS / 2);
    try (Admin admin = cluster.broker.admin()) {
      // Offsets go to Kafka once a second: the kill comes after one such commit, so rewinding them moves them back.
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
          .until(() -> applied("rewind") >= RECORDS / 8
              && committed(admin, group).values().stream().mapToLong(Long::longValue).sum() > 0);
      assertThat(producer.isDone()).as("still producing when killed").isFalse();
      first.kill();
    } finally {
      first.close();
      producer.release();
    }
    long appliedAtKill = applied("rewind");
    Map<String, String> model = producer.awaitModel();
    assertThat(appliedAtKill).isLessThan(RECORDS);

    try (Admin admin = cluster.broker.admin()) {
      assertThat(committed(admin, group).values().stream().mapToLong(Long::longValue).sum())
          .as("the killed process committed Kafka offsets, so rewinding them moves them back").isPositive();
      Map<TopicPartition, OffsetAndMetadata> earliest = earliest(admin, topic);
      // The dead member holds the group until its session times out; only an empty group accepts new offsets.
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
          .until(() -> {
            admin.alterConsumerGroupOffsets(group, earliest).all().get(10, TimeUnit.SECONDS);
            return true;
          });
      Map<Integer, Long> rewound = committed(admin, group);
      earliest.forEach((tp, offset) -> assertThat(rewound.get(tp.partition())).isEqualTo(offset.offset()));
    }

    try (ChildMaterializer second = new ChildMaterializer(logs, "rewind-second", env)) {
      Map<Integer, Long> end = cluster.logEnd(topic, PARTITIONS);
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> assertThat(cluster.watermarks("rewind")).isEqualTo(end));

      assertThat(cluster.projection("rewind_projection")).isEqualTo(model);

      String metrics = second.get("/metrics").body();
      assertThat(counter(metrics, "projection_materializer_duplicate_events_skipped_total")).isZero();
      // Resumed from the watermarks, not from the rewound offsets: only the records the database lacked.
      assertThat(counter(metrics, "projection_materializer_batch_size_sum")).isEqualTo(RECORDS - appliedAtKill);
      assertThat(second.terminate(Duration.ofSeconds(30))).as(second.log()).isEqualTo(ExitCodes.OK);
    }
  }

  /** Committed Kafka offset per partition of a consumer group. */
  private static Map<Integer, Long> committed(Admin admin, String group) throws Exception {
    Map<Integer, Long> result = new HashMap<>();
    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
        .forEach((tp, offset) -> {
          if (offset != null) {
            result.put(tp.partition(), offset.offset());
          }
        });
    return result;
  }

  /** The log-start offset of every partition of a topic, as offsets to commit. */
  private static Map<TopicPartition, OffsetAndMetadata> earliest(Admin admin, String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      specs.put(new TopicPartition(topic, p), OffsetSpec.earliest());
    }
    Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
    admin.listOffsets(specs).all().get(10, TimeUnit.SECONDS)
        .forEach((tp, info) -> result.put(tp, new OffsetAndMetadata(info.offset())));
    return result;
  }

  /** Records the watermarks account for: the sum of next offsets (one record per offset, no transactions). */
  private static long applied(String projection) {
    return cluster.watermarks(projection).values().stream().mapToLong(Long::longValue).sum();
  }

  private static double counter(String metrics, String name) {
    Matcher matcher = Pattern.compile("(?m)^" + name + "\\{[^}]*\\} (\\S+)$").matcher(metrics);
    assertThat(matcher.find()).as(name + " in\n" + metrics).isTrue();
    return Double.parseDouble(matcher.group(1));
  }
}
