package io.reducer.workloads.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.tools.OffsetsUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.materializer.InProcessMaterializer;
import io.reducer.workloads.materializer.ProjectionSchema;
import io.reducer.workloads.materializer.TestCluster;
import io.reducer.workloads.materializer.TestEvents;

/**
 * Plans of every target against a real topic and group, checked against the rules of kafka-consumer-groups
 * --reset-offsets and against Kafka's own reset code run on the same group; refusals; a live group; a dry run.
 *
 * <p>Topic "plan", records with set timestamps (base = two days ago, whole hour):
 * partition 0: offsets 0-9 at base + i h, then records before 4 deleted (log 4..10);
 * partition 1: offsets 0-4 at base + 2j h (log 0..5); partition 2: empty.
 * Group "plan-group" committed 0 -> 7 and 1 -> 2. Projection "plan": a watermark for partition 0 only, at 6,
 * epoch 5. So the current positions are 6 (watermark wins), 2 (committed offset), none.
 */
class OffsetsResetPlanIT {

  private static final String TOPIC = "plan";
  private static final String GROUP = "plan-group";
  private static TestCluster cluster;
  private static Instant base;

  @TempDir
  static Path directory;

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster();
    cluster.broker.createTopic(TOPIC, 3);
    base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(2));
    try (KafkaProducer<String, String> producer = cluster.producer()) {
      for (int i = 0; i < 10; i++) {
        send(producer, 0, base.plus(Duration.ofHours(i)), "p0-" + i);
      }
      for (int j = 0; j < 5; j++) {
        send(producer, 1, base.plus(Duration.ofHours(2L * j)), "p1-" + j);
      }
      producer.flush();
    }
    try (Admin admin = cluster.broker.admin()) {
      admin.deleteRecords(Map.of(new TopicPartition(TOPIC, 0), RecordsToDelete.beforeOffset(4))).all()
          .get(30, TimeUnit.SECONDS);
    }
    commit(GROUP, Map.of(0, 7L, 1, 2L));
    try (Connection connection = cluster.postgres.connect()) {
      connection.setAutoCommit(false);
      ProjectionSchema.create(connection, "public", "plan_projection");
    }
    cluster.execute("INSERT INTO projection_watermarks (projection, partition, next_offset, epoch) "
        + "VALUES ('plan', 0, 6, 5)");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void eachTargetPlansByTheRulesOfKafkasResetTool() throws Exception {
    assertThat(dryRun("--target", "earliest").partitions()).containsExactly(
        new PlannedPartition(0, 6L, 4, 4, 10), new PlannedPartition(1, 2L, 0, 0, 5),
        new PlannedPartition(2, null, 0, 0, 0));
    assertThat(newOffsets("--target", "latest")).containsExactly(10L, 5L, 0L);
    // Clamped to the log at both ends; the empty partition has only one offset.
    assertThat(newOffsets("--target", "offset", "--offsets", "0=2,1=3,2=9")).containsExactly(4L, 3L, 0L);
    // The first record at or after the time; the log end when there is none.
    assertThat(newOffsets("--target", "timestamp", "--timestamp", at(5))).containsExactly(5L, 3L, 0L);
    assertThat(newOffsets("--target", "timestamp", "--timestamp", at(1))).containsExactly(4L, 1L, 0L);
    assertThat(newOffsets("--target", "timestamp", "--timestamp", at(100))).containsExactly(10L, 5L, 0L);
    // From the current position (watermark, else committed offset), clamped.
    assertThat(newOffsets("--target", "shift-by", "--shift-by", "-3", "--partitions", "0,1")).containsExactly(4L, 0L);
    assertThat(newOffsets("--target", "shift-by", "--shift-by", "2", "--partitions", "0,1")).containsExactly(8L, 4L);
    assertThat(newOffsets("--target", "shift-by", "--shift-by", "100", "--partitions", "0,1"))
        .containsExactly(10L, 5L);
    Clock tenHoursIn = Clock.fixed(base.plus(Duration.ofHours(10)), ZoneOffset.UTC);
    assertThat(cli().run(env("plan"), tenHoursIn, "--dry-run", "--target", "by-duration", "--duration", "PT4H")
        .result().partitions()).extracting(PlannedPartition::newOffset).containsExactly(6L, 3L, 0L);
    assertThat(dryRun("--target", "earliest", "--partitions", "1").partitions())
        .containsExactly(new PlannedPartition(1, 2L, 0, 0, 5));
  }

  @Test
  void thePlanIsTheOneKafkasOwnResetCodeComputesForTheSameGroup() throws Exception {
    // Projection "oracle" has no watermarks, so its current positions are the group's committed offsets, which is
    // what the tool shifts from.
    List<TopicPartition> all = List.of(tp(0), tp(1), tp(2));
    List<TopicPartition> committed = List.of(tp(0), tp(1));
    try (Admin admin = cluster.broker.admin()) {
      assertSame(tool(admin, null, null, null, null).resetToEarliest(all), "--target", "earliest");
      assertSame(tool(admin, null, null, null, null).resetToLatest(all), "--target", "latest");
      for (long offset : new long[] {0, 3, 8, 1000}) {
        assertSame(tool(admin, offset, null, null, null).resetToOffset(all),
            "--target", "offset", "--offsets", "0=" + offset + ",1=" + offset + ",2=" + offset);
      }
      for (int hours : new int[] {-5, 1, 5, 7, 100}) {
        assertSame(tool(admin, null, toolTime(hours), null, null).resetToDateTime(all),
            "--target", "timestamp", "--timestamp", at(hours));
      }
      Map<TopicPartition, OffsetAndMetadata> current = admin.listConsumerGroupOffsets(GROUP)
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      for (long shift : new long[] {-100, -3, 0, 2, 100}) {
        assertSame(tool(admin, null, null, null, shift).resetByShiftBy(committed, current),
            "--target", "shift-by", "--shift-by", String.valueOf(shift), "--partitions", "0,1");
      }
      // Records are hours apart, so the two "now"s milliseconds apart look up the same offsets.
      for (String duration : new String[] {"PT1H", "PT43H", "PT45H30M", "P10D"}) {
        assertSame(tool(admin, null, null, duration, null).resetByDuration(all),
            "--target", "by-duration", "--duration", duration);
      }
      // Neither shifts a partition that has no position.
      assertThatThrownBy(() -> tool(admin, null, null, null, -1L).resetByShiftBy(all, current))
          .hasMessageContaining("no current committed offset");
      ResetCli.Run ours = cli().run(env("oracle"), "--dry-run", "--target", "shift-by", "--shift-by", "-1");
      assertThat(ours.exitCode()).as(ours.toString()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    }
  }

  @Test
  void targetsThatCannotBePlannedAreRefusedWithTheFixAndChangeNothing() throws Exception {
    List<String> before = watermarkRows("plan");
    assertRefused("cannot shift partitions 2: they have no current position", "--target", "shift-by", "--shift-by", "-1");
    assertRefused("offsets are given for partitions 1 that are not in the partitions to reset 0",
        "--target", "offset", "--offsets", "0=5,1=1", "--partitions", "0");
    assertRefused("partitions name partitions 7 that the topic does not have (it has partitions 0-2)",
        "--target", "earliest", "--partitions", "1,7");
    assertRefused("every partition must be reset", "--target", "offset", "--offsets", "0=5", "--rebuild");
    Map<String, String> missingTopic = env("plan");
    missingTopic.put("RESET_TOPIC", "no-such-topic");
    ResetCli.Run run = cli().run(missingTopic, "--target", "earliest");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    assertThat(run.result().message()).contains("topic 'no-such-topic' does not exist");
    assertThat(watermarkRows("plan")).isEqualTo(before);
    assertThat(committed(GROUP)).isEqualTo(Map.of(0, 7L, 1, 2L));
  }

  @Test
  void aDryRunChangesNothing() throws Exception {
    cluster.execute("INSERT INTO plan_projection (workflow_key, version, state) VALUES ('kept', 3, 'S3')");
    List<String> watermarks = watermarkRows("plan");
    Map<String, String> table = cluster.projection("plan_projection");

    ResetCli.Run run = cli().run(env("plan"), "--dry-run", "--rebuild", "--target", "earliest");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.result()).isEqualTo(new ResetResult(ResetOutcome.DryRun, 5L, 6L, true, List.of(
        new PlannedPartition(0, 6L, 4, 4, 10), new PlannedPartition(1, 2L, 0, 0, 5),
        new PlannedPartition(2, null, 0, 0, 0)), "dry run: nothing changed"));
    assertThat(run.out()).contains("PARTITION", "epoch 5 -> 6", "plan_projection is truncated");
    assertThat(watermarkRows("plan")).isEqualTo(watermarks);
    assertThat(cluster.projection("plan_projection")).isEqualTo(table).containsKey("kept");
    assertThat(committed(GROUP)).isEqualTo(Map.of(0, 7L, 1, 2L));

    // Nor does it create the tables of a projection that has none yet.
    Map<String, String> fresh = env("fresh");
    fresh.put("RESET_TABLE", "fresh_projection");
    ResetCli.Run none = cli().run(fresh, "--dry-run", "--target", "latest");
    assertThat(none.exitCode()).as(none.toString()).isEqualTo(ExitCodes.OK);
    assertThat(none.result().currentEpoch()).isZero();
    cluster.query("SELECT to_regclass('public.fresh_projection') IS NULL",
        rows -> assertThat(rows.getBoolean(1)).isTrue());
  }

  @Test
  void aLiveMemberBlocksTheResetUntilItLeaves() throws Exception {
    String topic = "live";
    cluster.createTopics(topic, 2);
    try (KafkaProducer<String, String> producer = cluster.producer()) {
      for (int i = 0; i < 20; i++) {
        producer.send(TestEvents.event(topic, "wf-" + i % 5, i / 5 + 1));
      }
    }
    Map<String, String> env = env("live");
    env.put("RESET_TOPIC", topic);
    env.put("RESET_TABLE", "live_projection");
    env.remove("RESET_GROUP"); // the materializer's default group
    Map<Integer, Long> end = cluster.logEnd(topic, 2);
    try (InProcessMaterializer materializer = new InProcessMaterializer(
        cluster.env(topic, "live", "live_projection"), List.of())) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> assertThat(cluster.watermarks("live")).isEqualTo(end));
      await().atMost(Duration.ofSeconds(30)).until(() -> group("reducer.default.live").groupState() == GroupState.STABLE);
      List<String> before = watermarkRows("live");

      ResetCli.Run refused = cli().run(env, "--target", "earliest", "--rebuild");

      assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.GROUP_NOT_EMPTY);
      assertThat(refused.result().result()).isEqualTo(ResetOutcome.Failed);
      assertThat(refused.err()).contains("consumer group 'reducer.default.live' is Stable with 1 member(s)")
          .contains("client reducer-materializer-live").contains("live-0");
      assertThat(watermarkRows("live")).isEqualTo(before);
      assertThat(cluster.projection("live_projection")).hasSize(5);
    }
    // Closing the consumer leaves the group.
    ResetCli.Run done = cli().run(env, "--target", "earliest", "--rebuild");
    assertThat(done.exitCode()).as(done.toString()).isEqualTo(ExitCodes.OK);
    assertThat(done.result().result()).isEqualTo(ResetOutcome.Completed);
    assertThat(cluster.watermarks("live")).isEqualTo(Map.of(0, 0L, 1, 0L));
    assertThat(cluster.projection("live_projection")).isEmpty();
  }

  private static void send(KafkaProducer<String, String> producer, int partition, Instant timestamp, String key)
      throws Exception {
    ProducerRecord<String, String> event = TestEvents.event(TOPIC, key, 1);
    producer.send(new ProducerRecord<>(TOPIC, partition, timestamp.toEpochMilli(), key, event.value())).get();
  }

  private ResetCli cli() {
    return new ResetCli(cluster, directory);
  }

  private Map<String, String> env(String projection) {
    Map<String, String> env = cli().env(TOPIC, projection, "plan_projection");
    env.put("RESET_GROUP", GROUP);
    return env;
  }

  private ResetResult dryRun(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--dry-run"));
    all.addAll(List.of(args));
    ResetCli.Run run = cli().run(env("plan"), all.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    assertThat(run.result().result()).isEqualTo(ResetOutcome.DryRun);
    assertThat(run.result().currentEpoch()).isEqualTo(5L);
    assertThat(run.result().newEpoch()).isEqualTo(6L);
    return run.result();
  }

  private List<Long> newOffsets(String... args) throws Exception {
    return dryRun(args).partitions().stream().map(PlannedPartition::newOffset).toList();
  }

  private void assertRefused(String message, String... args) throws Exception {
    ResetCli.Run run = cli().run(env("plan"), args);
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    assertThat(run.result().result()).isEqualTo(ResetOutcome.Failed);
    assertThat(run.result().message()).contains(message);
  }

  private void assertSame(Map<TopicPartition, OffsetAndMetadata> tool, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--dry-run"));
    all.addAll(List.of(args));
    ResetCli.Run run = cli().run(env("oracle"), all.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
    Map<Integer, Long> ours = run.result().partitions().stream()
        .collect(Collectors.toMap(PlannedPartition::partition, PlannedPartition::newOffset, (a, b) -> a, TreeMap::new));
    Map<Integer, Long> theirs = new TreeMap<>();
    tool.forEach((partition, offset) -> theirs.put(partition.partition(), offset.offset()));
    assertThat(ours).as(String.join(" ", args)).isEqualTo(theirs);
  }

  private static OffsetsUtils tool(Admin admin, Long offset, String datetime, String duration, Long shift) {
    return new OffsetsUtils(admin, new joptsimple.OptionParser(), new OffsetsUtils.OffsetsUtilsOptions(
        List.of(GROUP), offset == null ? List.of() : List.of(offset), List.of(),
        datetime == null ? List.of() : List.of(datetime), duration, shift, 30_000));
  }

  private static TopicPartition tp(int partition) {
    return new TopicPartition(TOPIC, partition);
  }

  /** RFC 3339, as --timestamp takes it. */
  private static String at(int hours) {
    return base.plus(Duration.ofHours(hours)).toString();
  }

  /** The format kafka-consumer-groups --to-datetime takes. */
  private static String toolTime(int hours) {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC)
        .format(base.plus(Duration.ofHours(hours)));
  }

  private static void commit(String group, Map<Integer, Long> offsets) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> request = new HashMap<>();
    offsets.forEach((partition, offset) -> request.put(tp(partition), new OffsetAndMetadata(offset)));
    try (Admin admin = cluster.broker.admin()) {
      admin.alterConsumerGroupOffsets(group, request).all().get(30, TimeUnit.SECONDS);
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

  private static ConsumerGroupDescription group(String group) throws Exception {
    try (Admin admin = cluster.broker.admin()) {
      return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(30, TimeUnit.SECONDS);
    }
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
}
