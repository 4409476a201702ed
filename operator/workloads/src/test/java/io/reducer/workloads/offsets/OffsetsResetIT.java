package io.reducer.workloads.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.materializer.InProcessMaterializer;
import io.reducer.workloads.materializer.TestCluster;
import io.reducer.workloads.materializer.TestEvents;

/**
 * The reset end to end with the real materializer: rebuild from earlier offsets, the idempotent re-run of a reset
 * whose Kafka step was lost, and a zombie materializer that keeps running across a reset.
 */
class OffsetsResetIT {

  private static final Duration CATCH_UP = Duration.ofSeconds(90);
  private static TestCluster cluster;

  @TempDir
  static Path directory;

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
  void aRebuildFromEarlierOffsetsEndsEqualToTheTopicFromThereWithTheEpochBumpedOnce() throws Exception {
    String topic = "rebuild";
    int partitions = 12;
    cluster.createTopics(topic, partitions);
    produce(topic, 0, 40, 1, 5);
    Map<Integer, Long> middle = cluster.logEnd(topic, partitions);
    produce(topic, 20, 60, 6, 9);
    Map<Integer, Long> end = cluster.logEnd(topic, partitions);
    materializeToTheEnd(topic, partitions, "rebuild", "rebuild_projection");
    assertThat(epochs("rebuild")).containsOnly(0L);

    // Back to a little before the second batch of each partition.
    Map<Integer, Long> plan = new TreeMap<>();
    middle.forEach((partition, offset) -> plan.put(partition, Math.max(0, offset - 2)));
    String offsets = plan.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
    Map<String, String> env = new ResetCli(cluster, directory).env(topic, "rebuild", "rebuild_projection");
    long started = System.nanoTime();
    ResetCli.Run reset = cli().run(env, "--target", "offset", "--offsets", offsets, "--rebuild",
        "--expected-epoch", "0");
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    System.out.println("offsets reset of " + partitions + " partitions with rebuild took " + elapsedMs + " ms");

    assertThat(reset.exitCode()).as(reset.toString()).isEqualTo(ExitCodes.OK);
    ResetResult result = reset.result();
    assertThat(result.result()).isEqualTo(ResetOutcome.Completed);
    assertThat(result.currentEpoch()).isZero();
    assertThat(result.newEpoch()).isEqualTo(1L);
    assertThat(result.truncated()).isTrue();
    assertThat(result.partitions()).hasSize(partitions).allSatisfy(p -> {
      assertThat(p.currentOffset()).isEqualTo(end.get(p.partition()));
      assertThat(p.newOffset()).isEqualTo(plan.get(p.partition()));
      assertThat(p.logStartOffset()).isZero();
      assertThat(p.logEndOffset()).isEqualTo(end.get(p.partition()));
    });
    assertThat(reset.out()).contains("epoch 0 -> 1").contains("Completed: moved 12 partition(s), epoch 0 -> 1");
    assertThat(cluster.watermarks("rebuild")).isEqualTo(plan);
    assertThat(epochs("rebuild")).containsOnly(1L);
    assertThat(cluster.projection("rebuild_projection")).isEmpty();
    assertThat(committed("reducer.default.rebuild")).isEqualTo(plan);

    // The Job is retried after its Kafka step was lost: the same plan, with the epochs it was planned with.
    cluster.execute("INSERT INTO rebuild_projection (workflow_key, version, state) VALUES ('marker', 1, 'M')");
    commit("reducer.default.rebuild", topic, partitions, 0L);
    List<String> rows = watermarkRows("rebuild");
    // As a Job runs it: its own JVM, settings from the environment, the result in the termination log.
    Map<String, String> jobEnv = new HashMap<>(env);
    jobEnv.putAll(Map.of("RESET_TARGET", "offset", "RESET_OFFSETS", offsets, "RESET_REBUILD", "true",
        "RESET_EXPECTED_EPOCH", "0", "RESET_NEW_EPOCH", "1"));
    started = System.nanoTime();
    ResetCli.Run rerun = ChildReset.run(directory, "rerun", jobEnv);
    System.out.println("offsets reset re-run in its own JVM took "
        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
    assertThat(rerun.exitCode()).as(rerun.toString()).isEqualTo(ExitCodes.OK);
    assertThat(rerun.result().result()).isEqualTo(ResetOutcome.Completed);
    assertThat(rerun.result().message()).contains("already showed this reset (epoch 1)");
    assertThat(rerun.result().currentEpoch()).isZero();
    assertThat(rerun.result().newEpoch()).isEqualTo(1L);
    assertThat(watermarkRows("rebuild")).isEqualTo(rows);
    assertThat(cluster.projection("rebuild_projection")).containsOnlyKeys("marker");
    assertThat(committed("reducer.default.rebuild")).isEqualTo(plan);

    // Without --new-epoch the same retry cannot tell its own reset from someone else's: refused, nothing changed.
    ResetCli.Run blind = cli().run(env, "--target", "offset", "--offsets", offsets, "--expected-epoch", "0");
    assertThat(blind.exitCode()).as(blind.toString()).isEqualTo(ExitCodes.FAILURE);
    assertThat(blind.result().message()).contains("the projection's epoch is 1, not the expected 0");
    assertThat(watermarkRows("rebuild")).isEqualTo(rows);
    cluster.execute("DELETE FROM rebuild_projection WHERE workflow_key = 'marker'");

    materializeToTheEnd(topic, partitions, "rebuild", "rebuild_projection");
    assertThat(cluster.projection("rebuild_projection")).isEqualTo(TopicModel.from(cluster, topic, partitions, plan))
        .isNotEqualTo(TopicModel.from(cluster, topic, partitions, zeros(partitions)));
    assertThat(epochs("rebuild")).containsOnly(1L);

    // Once the materializers moved on, the retry no longer matches the database: refused, nothing changed.
    List<String> after = watermarkRows("rebuild");
    ResetCli.Run late = cli().run(env, "--target", "offset", "--offsets", offsets, "--rebuild",
        "--expected-epoch", "0", "--new-epoch", "1");
    assertThat(late.exitCode()).as(late.toString()).isEqualTo(ExitCodes.FAILURE);
    assertThat(late.result().message()).contains("not the planned offsets");
    assertThat(watermarkRows("rebuild")).isEqualTo(after);
    assertThat(cluster.projection("rebuild_projection")).isNotEmpty();
  }

  @Test
  void aZombieMaterializerWithTheOldEpochWritesNothingAfterTheResetAndExitsFenced() throws Exception {
    String topic = "zombie";
    cluster.createTopics(topic, 2);
    produce(topic, 0, 10, 1, 4);
    Map<String, String> zombieEnv = cluster.env(topic, "zombie", "zombie_projection");
    // Outside the reset's consumer group, so the group check cannot see it: only the epoch stops it.
    zombieEnv.put("MATERIALIZER_GROUP", "somewhere-else");
    try (InProcessMaterializer zombie = new InProcessMaterializer(zombieEnv, List.of())) {
      Map<Integer, Long> end = cluster.logEnd(topic, 2);
      await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> assertThat(cluster.watermarks("zombie")).isEqualTo(end));

      ResetCli.Run reset = cli().run(new ResetCli(cluster, directory).env(topic, "zombie", "zombie_projection"),
          "--target", "earliest", "--rebuild");
      assertThat(reset.exitCode()).as(reset.toString()).isEqualTo(ExitCodes.OK);
      assertThat(reset.result().newEpoch()).isEqualTo(1L);

      produce(topic, 0, 12, 5, 6);
      assertThat(zombie.awaitExit(Duration.ofSeconds(60))).isEqualTo(ExitCodes.FENCED);
      assertThat(zombie.metrics().epochMismatchDropped()).isPositive();
      assertThat(cluster.projection("zombie_projection")).isEmpty();
      assertThat(cluster.watermarks("zombie")).isEqualTo(Map.of(0, 0L, 1, 0L));
      assertThat(epochs("zombie")).containsOnly(1L);
    }
    // A materializer started after the reset has the new epoch and rebuilds everything.
    materializeToTheEnd(topic, 2, "zombie", "zombie_projection");
    assertThat(cluster.projection("zombie_projection")).isEqualTo(TopicModel.from(cluster, topic, 2, zeros(2)));
    assertThat(epochs("zombie")).containsOnly(1L);
  }

  @Test
  void aRebuildOfATableAnotherProjectionOwnsTruncatesNothing() throws Exception {
    String topic = "owned";
    cluster.createTopics(topic, 2);
    produce(topic, 0, 10, 1, 3);
    materializeToTheEnd(topic, 2, "owner", "owned_projection");
    Map<String, String> rows = cluster.projection("owned_projection");
    List<String> watermarks = watermarkRows("owner");
    assertThat(rows).hasSize(10);

    // Another projection's reset names the owner's table: as a dry run, and for real.
    Map<String, String> env = cli().env(topic, "intruder", "owned_projection");
    for (List<String> args : List.of(List.of("--target", "earliest", "--rebuild", "--dry-run"),
        List.of("--target", "earliest", "--rebuild"))) {
      ResetCli.Run refused = cli().run(env, args.toArray(String[]::new));

      assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
      assertThat(refused.result().result()).isEqualTo(ResetOutcome.Failed);
      assertThat(refused.result().message()).contains("table public.owned_projection belongs to Projection "
          + "default/owner").contains("a rebuild would truncate another projection's rows")
          .contains("Nothing was truncated");
      assertThat(refused.err()).doesNotContain("Exception");
      assertThat(cluster.projection("owned_projection")).isEqualTo(rows);
      assertThat(watermarkRows("owner")).isEqualTo(watermarks);
      assertThat(watermarkRows("intruder")).isEmpty();
    }
  }

  private ResetCli cli() {
    return new ResetCli(cluster, directory);
  }

  /** Versions {@code from..to} of keys wf-{first}..wf-{first+keys-1}, shuffled, so versions arrive out of order. */
  private static void produce(String topic, int first, int keys, int from, int to) {
    List<long[]> events = new ArrayList<>();
    for (int key = first; key < first + keys; key++) {
      for (int version = from; version <= to; version++) {
        events.add(new long[] {key, version});
      }
    }
    Collections.shuffle(events, new Random(first * 31L + from));
    try (KafkaProducer<String, String> producer = cluster.producer()) {
      for (long[] event : events) {
        producer.send(TestEvents.event(topic, "wf-" + event[0], event[1]));
      }
    }
  }

  private static void materializeToTheEnd(String topic, int partitions, String projection, String table)
      throws Exception {
    Map<Integer, Long> end = cluster.logEnd(topic, partitions);
    try (InProcessMaterializer materializer = new InProcessMaterializer(cluster.env(topic, projection, table),
        List.of())) {
      await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> assertThat(cluster.watermarks(projection)).isEqualTo(end));
    }
  }

  private static Map<Integer, Long> zeros(int partitions) {
    Map<Integer, Long> zeros = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      zeros.put(p, 0L);
    }
    return zeros;
  }

  private static List<Long> epochs(String projection) {
    List<Long> epochs = new ArrayList<>();
    cluster.query("SELECT epoch FROM projection_watermarks WHERE projection = '" + projection + "'",
        rows -> epochs.add(rows.getLong(1)));
    return epochs;
  }

  /** Every column of the projection's watermark rows, updated_at included. */
  private static List<String> watermarkRows(String projection) {
    List<String> rows = new ArrayList<>();
    cluster.query("SELECT partition, next_offset, epoch, last_event_time, updated_at FROM projection_watermarks "
        + "WHERE projection = '" + projection + "' ORDER BY partition",
        result -> rows.add(result.getInt(1) + "@" + result.getLong(2) + " epoch " + result.getLong(3) + " "
            + result.getString(4) + " " + result.getString(5)));
    return rows;
  }

  private static void commit(String group, String topic, int partitions, long offset) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      offsets.put(new TopicPartition(topic, p), new OffsetAndMetadata(offset));
    }
    try (Admin admin = cluster.broker.admin()) {
      admin.alterConsumerGroupOffsets(group, offsets).all().get(30, TimeUnit.SECONDS);
    }
  }

  private static Map<Integer, Long> committed(String group) throws Exception {
    try (Admin admin = cluster.broker.admin()) {
      Map<Integer, Long> result = new TreeMap<>();
      admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
          .forEach((partition, offset) -> result.put(partition.partition(), offset.offset()));
      return result;
    }
  }
}
