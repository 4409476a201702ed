package io.reducer.workloads.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reducer.testsupport.kafka.KafkaBroker;
import io.reducer.workloads.ExitCodes;

/**
 * Exactly once under the two faults the operator cannot rule out: the replay process killed mid-way and run
 * again, and two processes of the same replay at once. In both, a read_committed consumer of the target sees each
 * DLQ record exactly once. 200,000 records at a limited rate, so the fault lands mid-way, which is asserted.
 */
class DlqExactlyOnceIT {

  private static final int PARTITIONS = 3;
  private static final int RECORDS = 200_000;
  private static final String RATE = "40000";
  private static final String SLOW_RATE = "5000";
  private static KafkaBroker broker;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void aReplayKilledMidWayAndRunAgainReplaysEveryRecordOnce() throws Exception {
    fill("crash.dlq", "crash-target");
    List<String> args = List.of("--bootstrap-servers", broker.bootstrapServers(), "--dlq-topic", "crash.dlq",
        "--replay-name", "crash", "--rate-per-second", RATE, "--batch-records", "5000");

    ChildReplay first = new ChildReplay(dir, "first", args);
    long committedAtKill;
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
          .until(() -> DlqTestKafka.committedSum(broker, "reducer-dlq-replay.crash") >= RECORDS / 5);
      assertThat(first.isAlive()).as("still replaying when killed:\n" + first.log()).isTrue();
      first.kill();
      committedAtKill = DlqTestKafka.committedSum(broker, "reducer-dlq-replay.crash");
    } finally {
      first.close();
    }
    assertThat(committedAtKill).as("the kill landed mid-way").isBetween((long) RECORDS / 5, (long) RECORDS - 1);
    int sentBeforeKill = DlqTestKafka.readAll(broker, "crash-target", false).size();

    try (ChildReplay second = new ChildReplay(dir, "second", args)) {
      assertThat(second.awaitExit(Duration.ofSeconds(120))).as(second.log()).isEqualTo(ExitCodes.OK);
      assertThat(second.log()).contains("resuming at");
      // Counters are the replay's; this run's share is told apart, so its time and rate are not overstated.
      Matcher thisRun = Pattern.compile("^replayed " + RECORDS + " of " + RECORDS
          + " matching records \\((\\d+) in this run, after resuming\\)").matcher(second.result().message());
      assertThat(thisRun.find()).as(second.result().message()).isTrue();
      assertThat(Long.parseLong(thisRun.group(1))).isEqualTo(RECORDS - committedAtKill);
      assertThat(second.result().progress()).isEqualTo(new DlqReplayResult.Progress(RECORDS, RECORDS, 0, Map.of(), 0));
    }
    assertEachDlqRecordOnce("crash.dlq", "crash-target");
    System.out.printf("kill -9 after %,d committed; %,d records were in the target (committed or not) at the kill%n",
        committedAtKill, sentBeforeKill);
  }

  @Test
  void aSecondProcessOfTheSameReplayFencesTheFirstAndFinishesIt() throws Exception {
    fill("twice.dlq", "twice-target");
    List<String> common = List.of("--bootstrap-servers", broker.bootstrapServers(), "--dlq-topic", "twice.dlq",
        "--replay-name", "twice", "--batch-records", "5000");
    // The older process is slow enough that it is still sending when the newer one's JVM has started and fenced
    // it, however long that start takes on a loaded machine (the rate is not part of the replay's identity).
    List<String> slow = concat(common, List.of("--rate-per-second", SLOW_RATE));
    List<String> fast = concat(common, List.of("--rate-per-second", RATE));

    try (ChildReplay first = new ChildReplay(dir, "older", slow)) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
          .until(() -> DlqTestKafka.committedSum(broker, "reducer-dlq-replay.twice") >= RECORDS / 5);
      try (ChildReplay second = new ChildReplay(dir, "newer", fast)) {
        assertThat(first.awaitExit(Duration.ofSeconds(60))).as(first.log()).isEqualTo(ExitCodes.FENCED);
        assertThat(first.result().result()).isEqualTo(DlqReplayResult.FAILED);
        assertThat(first.result().message()).startsWith("fenced");
        assertThat(first.result().progress().replayed()).as("fenced mid-way").isBetween((long) RECORDS / 5,
            (long) RECORDS - 1);

        assertThat(second.awaitExit(Duration.ofSeconds(120))).as(second.log()).isEqualTo(ExitCodes.OK);
        assertThat(second.result().progress().replayed()).isEqualTo(RECORDS);
      }
    }
    assertEachDlqRecordOnce("twice.dlq", "twice-target");
  }

  @Test
  void sigtermCommitsWhatWasSentAndARetryFinishes() throws Exception {
    int records = 20_000;
    fill("stopped.dlq", "stopped-target", records);
    Path progress = dir.resolve("progress.json");
    List<String> args = List.of("--bootstrap-servers", broker.bootstrapServers(), "--dlq-topic", "stopped.dlq",
        "--replay-name", "stopped", "--rate-per-second", "4000", "--progress-file", progress.toString(),
        "--progress-interval-ms", "200");

    try (ChildReplay first = new ChildReplay(dir, "stopped-first", args)) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
          .until(() -> DlqReplayResult.parse(Files.readString(progress)).progress().replayed() > 0);
      assertThat(DlqReplayResult.parse(Files.readString(progress)).result()).isEqualTo(DlqReplayResult.RUNNING);
      assertThat(first.terminate(Duration.ofSeconds(30))).as(first.log()).isEqualTo(ExitCodes.FAILURE);
      DlqReplayResult stopped = first.result();
      assertThat(stopped.message()).startsWith("stopped by a signal");
      // The open transaction was committed, not aborted: nothing failed, and the position moved with it.
      assertThat(stopped.progress().failed()).isZero();
      assertThat(stopped.progress().replayed()).isBetween(1L, records - 1L)
          .isEqualTo(DlqTestKafka.committedSum(broker, "reducer-dlq-replay.stopped"));
      assertThat(DlqReplayResult.parse(Files.readString(progress))).isEqualTo(stopped);
    }
    try (ChildReplay second = new ChildReplay(dir, "stopped-second", args)) {
      assertThat(second.awaitExit(Duration.ofSeconds(60))).as(second.log()).isEqualTo(ExitCodes.OK);
      assertThat(second.result().progress().replayed()).isEqualTo(records);
    }
    assertEachDlqRecordOnce("stopped.dlq", "stopped-target", records);
  }

  private static List<String> concat(List<String> first, List<String> second) {
    return Stream.concat(first.stream(), second.stream()).toList();
  }

  private static void fill(String dlq, String target) {
    fill(dlq, target, RECORDS);
  }

  private static void fill(String dlq, String target, int records) {
    broker.createTopic(dlq, PARTITIONS);
    broker.createTopic(target, PARTITIONS);
    try (KafkaProducer<byte[], byte[]> producer = DlqTestKafka.producer(broker)) {
      for (int i = 0; i < records; i++) {
        producer.send(DlqTestRecords.materializer(dlq, i % PARTITIONS, null, "wf-" + i, "{\"n\":" + i + "}", target,
            "DESERIALIZATION_ERROR", "c-" + i, DlqTestRecords.headers("correlation-id", "c-" + i)));
      }
      producer.flush();
    }
  }

  private static void assertEachDlqRecordOnce(String dlq, String target) {
    assertEachDlqRecordOnce(dlq, target, RECORDS);
  }

  /** Every DLQ record is in the target once, with its own key and value, and nothing else is. */
  private static void assertEachDlqRecordOnce(String dlq, String target, int records) {
    List<ConsumerRecord<byte[], byte[]>> replayed = DlqTestKafka.readAll(broker, target, true);
    Set<String> sources = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> record : replayed) {
      String source = DlqTestKafka.header(record, "x-replay-source");
      assertThat(sources.add(source)).as("replayed twice: " + source).isTrue();
      String[] parts = source.split(":");
      long offset = Long.parseLong(parts[2]);
      long i = offset * PARTITIONS + Integer.parseInt(parts[1]);
      assertThat(DlqTestRecords.text(record.key())).isEqualTo("wf-" + i);
      assertThat(DlqTestRecords.text(record.value())).isEqualTo("{\"n\":" + i + "}");
      assertThat(parts[0]).isEqualTo(dlq);
    }
    assertThat(sources).hasSize(records);
  }
}
