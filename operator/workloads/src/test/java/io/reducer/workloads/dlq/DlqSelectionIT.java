package io.reducer.workloads.dlq;

import static io.reducer.workloads.dlq.DlqTestRecords.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reducer.testsupport.kafka.KafkaBroker;
import io.reducer.workloads.ExitCodes;

/** Filters, limit, the snapshot bound and the loop guard, for inspect and replay alike; a real broker. */
class DlqSelectionIT {

  private static final Instant T0 = Instant.parse("2025-10-21T12:00:00Z");
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

  /**
   * 3 partitions x 20 records; record i of partition p: error type E(i % 3), correlation id c(i % 4), timestamp
   * T0 + i minutes, replayed i % 5 times before (so i % 5 >= 3 reaches --max-replays 3).
   */
  private static void fill(String dlq, String target) {
    broker.createTopic(dlq, 3);
    broker.createTopic(target, 3);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      for (int i = 0; i < 20; i++) {
        records.add(DlqTestRecords.materializer(dlq, p, T0.plusSeconds(60L * i).toEpochMilli(), "k-" + p + "-" + i,
            "{}", target, "E" + (i % 3), "c" + (i % 4), headers("x-replay-count", Integer.toString(i % 5))));
      }
    }
    DlqTestKafka.produce(broker, records);
  }

  @Test
  void inspectAndReplaySelectTheSameRecords() throws Exception {
    fill("filters.dlq", "filters-target");
    String[] filters = {"--bootstrap-servers", broker.bootstrapServers(), "--dlq-topic", "filters.dlq",
        "--partitions", "0,2", "--correlation-ids", "c0,c1", "--exclude-error-types", "E1,E2", "--from", T0.plusSeconds(60).toString(), "--to", T0.plusSeconds(60 * 17).toString()};
    // Expected per partition 0 and 2: i in [1, 17), i % 3 == 0, i % 4 in {0, 1} -> i = 9, 12; 9 % 5 = 4 >= 3.
    DlqCli inspect = DlqCli.run(dir, Map.of(), concat(new String[] {"inspect"}, filters));

    assertThat(inspect.exitCode()).as(inspect.toString()).isEqualTo(ExitCodes.OK);
    DlqInspectResult preview = inspect.inspectResult();
    assertThat(preview.snapshot()).containsExactly(new DlqInspectResult.Range(0, 0, 20),
        new DlqInspectResult.Range(2, 0, 20));
    assertThat(preview.preview().matched()).isEqualTo(4);
    assertThat(preview.preview().byErrorType()).isEqualTo(Map.of("E0", 4L));
    assertThat(preview.preview().byOriginalTopic()).isEqualTo(Map.of("filters-target", 4L));
    assertThat(preview.preview().byPartition()).isEqualTo(Map.of("0", 2L, "2", 2L));
    assertThat(preview.preview().unroutable()).isZero();
    assertThat(preview.preview().oldestRecordTime()).isEqualTo(T0.plusSeconds(60 * 9).toString());
    assertThat(preview.preview().newestRecordTime()).isEqualTo(T0.plusSeconds(60 * 12).toString());
    // Without a limit partitions are read together: each partition's records in order, the partitions interleaved.
    assertThat(preview.preview().samples()).extracting(s -> s.partition() + "@" + s.offset())
        .containsExactlyInAnyOrder("0@9", "0@12", "2@9", "2@12");
    assertThat(preview.preview().samples()).contains(
        new DlqInspectResult.Sample(0, 9, "k-0-9", "c1", "E0", "filters-target"));
    assertThat(preview.message()).contains("2 as having reached --max-replays 3");
    assertThat(inspect.out()).contains("snapshot 0=20,2=20").contains("pass --snapshot 0=20,2=20");
    assertThat(inspect.terminationLog().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);

    DlqCli replay = DlqCli.run(dir, Map.of(), concat(new String[] {"replay", "--replay-name", "filters",
        "--snapshot", "0=20,2=20"}, filters));

    assertThat(replay.exitCode()).as(replay.toString()).isEqualTo(ExitCodes.OK);
    assertThat(replay.replayResult().progress()).isEqualTo(new DlqReplayResult.Progress(4, 2, 2,
        Map.of("maxReplays", 2L), 0));
    assertThat(sources("filters-target")).containsExactlyInAnyOrder("filters.dlq:0:12", "filters.dlq:2:12");
  }

  /** The operator's inspect: per-partition figures in the result group's offsets, a summary in the message. */
  @Test
  void inspectWithAResultGroupCommitsEveryPartitionsFiguresAndWritesASummary() throws Exception {
    fill("grouped.dlq", "grouped-target");
    DlqCli inspect = DlqCli.run(dir, Map.of(), "inspect", "--bootstrap-servers", broker.bootstrapServers(),
        "--dlq-topic", "grouped.dlq", "--include-error-types", "E0", "--result-group", "reducer-dlq-inspect.t.uid");

    assertThat(inspect.exitCode()).as(inspect.toString()).isEqualTo(ExitCodes.OK);
    DlqInspectResult summary = inspect.inspectResult();
    assertThat(summary.snapshot()).isNull();
    assertThat(summary.preview().byPartition()).isNull();
    assertThat(summary.preview().matched()).isEqualTo(21);
    assertThat(summary.partitions()).isEqualTo(3);
    assertThat(summary.resultGroup().group()).isEqualTo("reducer-dlq-inspect.t.uid");
    assertThat(summary.resultGroup().topic()).isEqualTo("grouped.dlq");
    assertThat(inspect.out()).contains("per-partition result: committed offsets of consumer group "
        + "reducer-dlq-inspect.t.uid");
    try (Admin admin = broker.admin()) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("reducer-dlq-inspect.t.uid")
          .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      assertThat(committed).hasSize(3);
      for (int p = 0; p < 3; p++) {
        OffsetAndMetadata offset = committed.get(new TopicPartition("grouped.dlq", p));
        assertThat(offset.offset()).isEqualTo(20);
        // i % 3 == 0 for i in [0, 20): 7 records per partition.
        assertThat(InspectPartition.fromMetadata(offset.metadata()))
            .isEqualTo(new InspectPartition(summary.resultGroup().run(), 0, 7));
      }
    }
  }

  /** The operator passes every id as its own --correlation-id: an id with a comma is not split into two. */
  @Test
  void aCorrelationIdWithACommaSelectsExactlyThatRecord() throws Exception {
    String dlq = "comma.dlq";
    broker.createTopic(dlq, 1);
    broker.createTopic("comma-target", 1);
    DlqTestKafka.produce(broker, List.of(
        DlqTestRecords.materializer(dlq, null, null, "k0", "v", "comma-target", "E", "a", Map.of()),
        DlqTestRecords.materializer(dlq, null, null, "k1", "v", "comma-target", "E", "a,b", Map.of()),
        DlqTestRecords.materializer(dlq, null, null, "k2", "v", "comma-target", "E", "b", Map.of())));

    DlqCli replay = DlqCli.run(dir, Map.of(), "replay", "--bootstrap-servers", broker.bootstrapServers(),
        "--dlq-topic", dlq, "--replay-name", "comma", "--correlation-id", "a,b");

    assertThat(replay.exitCode()).as(replay.toString()).isEqualTo(ExitCodes.OK);
    assertThat(replay.replayResult().progress().matched()).isEqualTo(1);
    assertThat(sources("comma-target")).containsExactly("comma.dlq:0:1");
  }

  @Test
  void theLimitKeepsTheFirstMatchesInDlqOrderAndARetryReplaysNothingMore() throws Exception {
    fill("limit.dlq", "limit-target");
    String[] args = {"replay", "--bootstrap-servers", broker.bootstrapServers(), "--dlq-topic", "limit.dlq",
        "--replay-name", "limit", "--include-error-types", "E2", "--limit", "9", "--max-replays", "100"};
    // E2: i = 2, 5, 8, 11, 14, 17 per partition: 6 in partition 0, then 3 in partition 1.
    DlqCli first = DlqCli.run(dir, Map.of(), args);

    assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCodes.OK);
    assertThat(first.replayResult().progress().replayed()).isEqualTo(9);
    assertThat(sources("limit-target")).containsExactlyInAnyOrder("limit.dlq:0:2", "limit.dlq:0:5",
        "limit.dlq:0:8", "limit.dlq:0:11", "limit.dlq:0:14", "limit.dlq:0:17", "limit.dlq:1:2", "limit.dlq:1:5",
        "limit.dlq:1:8");
    assertThat(DlqTestKafka.committedSum(broker, "reducer-dlq-replay.limit")).isEqualTo(60);

    DlqCli again = DlqCli.run(dir, Map.of(), args);
    assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCodes.OK);
    assertThat(again.out()).contains("resuming at 0=20,1=20,2=20");
    assertThat(again.replayResult().progress()).isEqualTo(first.replayResult().progress());
    assertThat(sources("limit-target")).hasSize(9);

    // The same name for another selection (a DlqReplay re-created over a grown DLQ) starts that selection over;
    // the ledger keeps what the first one sent from being sent again.
    DlqCli changed = DlqCli.run(dir, Map.of(), concat(args, new String[] {"--exclude-error-types", "E0"}));
    assertThat(changed.exitCode()).as(changed.toString()).isEqualTo(ExitCodes.OK);
    assertThat(changed.out()).contains("different selection");
    assertThat(changed.replayResult().progress()).isEqualTo(new DlqReplayResult.Progress(9, 0, 9,
        Map.of("alreadyReplayed", 9L), 0));
    assertThat(sources("limit-target")).hasSize(9);
  }

  /**
   * A replay's commit returns before the broker has written the commit marker to the ledger, so at that moment the
   * ledger's last stable offset is still before the replay's entries. Inspect (and a replay) started then waits for
   * the marker instead of reading the ledger as empty and counting, or sending, those records again.
   */
  @Test
  void theLedgerIsReadOnceTheTransactionsWritingToItHaveEnded() throws Exception {
    String dlq = "pending.dlq";
    broker.createTopic(dlq, 1);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      records.add(DlqTestRecords.materializer(dlq, 0, null, "k" + i, "v" + i, "pending-target", "E", null, Map.of()));
    }
    DlqTestKafka.produce(broker, records);
    String ledgerTopic = dlq + ReplayLedger.SUFFIX;
    broker.createTopic(ledgerTopic, 1);
    Map<String, Object> properties = new HashMap<>(broker.clientProperties());
    properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "pending-ledger-writer");
    try (KafkaProducer<byte[], byte[]> writer = new KafkaProducer<>(properties, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      writer.initTransactions();
      writer.beginTransaction();
      new ReplayLedger(dlq, ledgerTopic).records("earlier", 0, List.<long[]>of(new long[] {0, 4})).forEach(writer::send);
      writer.flush();
      CompletableFuture<DlqCli> inspect = CompletableFuture.supplyAsync(() -> {
        try {
          return DlqCli.run(dir, Map.of(), "inspect", "--bootstrap-servers", broker.bootstrapServers(),
              "--dlq-topic", dlq);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(1500);
      assertThat(inspect).as("inspect waits while the ledger has a transaction in flight").isNotDone();
      writer.commitTransaction();

      DlqCli result = inspect.get(60, TimeUnit.SECONDS);
      assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.OK);
      assertThat(result.inspectResult().preview().matched()).isEqualTo(6);
      assertThat(result.inspectResult().preview().alreadyReplayed()).isEqualTo(4);
    }
  }

  /**
   * Two replays of different names over overlapping records: the second used to republish the overlap, since the
   * loop guard only counts x-replay-count on the DLQ record, which is 0 for both. The ledger makes the second
   * skip and count them; --replay-again sends them anyway; a record that failed again after its replay is a new
   * DLQ record and is replayed.
   */
  @Test
  void aSecondReplayOverTheSameRecordsSkipsWhatTheFirstSent() throws Exception {
    String dlq = "overlap.dlq";
    broker.createTopic(dlq, 1);
    broker.createTopic("overlap-target", 1);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      records.add(DlqTestRecords.materializer(dlq, 0, null, "k" + i, "v" + i, "overlap-target",
          i == 3 ? "OTHER" : "E", null, Map.of()));
    }
    DlqTestKafka.produce(broker, records);
    String[] common = {"--bootstrap-servers", broker.bootstrapServers(), "--dlq-topic", dlq};

    DlqCli first = DlqCli.run(dir, Map.of(), concat(new String[] {"replay", "--replay-name", "first",
        "--snapshot", "0=6", "--include-error-types", "E"}, common));
    assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCodes.OK);
    assertThat(first.replayResult().progress().replayed()).isEqualTo(5);

    DlqCli inspect = DlqCli.run(dir, Map.of(), concat(new String[] {"inspect"}, common));
    assertThat(inspect.exitCode()).as(inspect.toString()).isEqualTo(ExitCodes.OK);
    DlqInspectResult.Preview preview = inspect.inspectResult().preview();
    assertThat(preview.matched()).isEqualTo(10);
    assertThat(preview.alreadyReplayed()).isEqualTo(5);
    // Record 3 (OTHER) was not selected by "first", so it splits the run.
    assertThat(preview.alreadyReplayedRanges()).containsExactly(
        new DlqInspectResult.ReplayedRange(0, 0, 3, "first"), new DlqInspectResult.ReplayedRange(0, 4, 6, "first"));
    assertThat(inspect.inspectResult().message()).contains("5 were already replayed").contains("--replay-again");

    DlqCli second = DlqCli.run(dir, Map.of(), concat(new String[] {"replay", "--replay-name", "second"}, common));
    assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCodes.OK);
    assertThat(second.replayResult().progress()).isEqualTo(new DlqReplayResult.Progress(10, 5, 5,
        Map.of("alreadyReplayed", 5L), 0));
    assertThat(sources("overlap-target")).containsExactlyInAnyOrder("overlap.dlq:0:0", "overlap.dlq:0:1",
        "overlap.dlq:0:2", "overlap.dlq:0:3", "overlap.dlq:0:4", "overlap.dlq:0:5", "overlap.dlq:0:6",
        "overlap.dlq:0:7", "overlap.dlq:0:8", "overlap.dlq:0:9");

    // Record 0 failed again after its replay: back in the DLQ at offset 10, with the replay's headers.
    DlqTestKafka.produce(broker, List.of(DlqTestRecords.materializer(dlq, 0, null, "k0", "v0", "overlap-target", "E",
        null, Map.of("x-replay-name", "first", "x-replay-count", "1", "x-replay-source", "overlap.dlq:0:0"))));
    DlqCli third = DlqCli.run(dir, Map.of(), concat(new String[] {"replay", "--replay-name", "third"}, common));
    assertThat(third.exitCode()).as(third.toString()).isEqualTo(ExitCodes.OK);
    assertThat(third.replayResult().progress()).isEqualTo(new DlqReplayResult.Progress(11, 1, 10,
        Map.of("alreadyReplayed", 10L), 0));
    assertThat(sources("overlap-target")).hasSize(11).endsWith("overlap.dlq:0:10");

    DlqCli again = DlqCli.run(dir, Map.of(), concat(new String[] {"replay", "--replay-name", "again",
        "--snapshot", "0=2", "--replay-again", "true"}, common));
    assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCodes.OK);
    assertThat(again.replayResult().progress().replayed()).isEqualTo(2);
    assertThat(sources("overlap-target")).hasSize(13);
  }

  /**
   * The original topic is whatever the failing producer wrote in x-original-topic: a replay limited to the
   * pipeline's topics skips and counts a record for any other topic, and never publishes it.
   */
  @Test
  void recordsForTopicsNotAllowedAreSkippedAndCounted() throws Exception {
    String dlq = "allowed.dlq";
    broker.createTopic(dlq, 1);
    broker.createTopic("allowed-target", 1);
    broker.createTopic("someone-elses", 1);
    DlqTestKafka.produce(broker, List.of(
        DlqTestRecords.materializer(dlq, 0, null, "a", "1", "allowed-target", "E", null, Map.of()),
        DlqTestRecords.materializer(dlq, 0, null, "b", "2", "someone-elses", "E", null, Map.of()),
        DlqTestRecords.materializer(dlq, 0, null, "c", "3", "allowed-target", "E", null, Map.of())));
    String[] common = {"--bootstrap-servers", broker.bootstrapServers(), "--dlq-topic", dlq,
        "--allowed-targets", "allowed-target,actions"};

    DlqCli inspect = DlqCli.run(dir, Map.of(), concat(new String[] {"inspect"}, common));
    assertThat(inspect.exitCode()).as(inspect.toString()).isEqualTo(ExitCodes.OK);
    assertThat(inspect.inspectResult().preview().targetNotAllowed()).isEqualTo(1);
    assertThat(inspect.inspectResult().message()).contains("1 as going to a topic not in --allowed-targets");

    DlqCli replay = DlqCli.run(dir, Map.of(), concat(new String[] {"replay", "--replay-name", "allowed"}, common));
    assertThat(replay.exitCode()).as(replay.toString()).isEqualTo(ExitCodes.OK);
    assertThat(replay.replayResult().progress()).isEqualTo(new DlqReplayResult.Progress(3, 2, 1,
        Map.of("targetNotAllowed", 1L), 0));
    assertThat(sources("allowed-target")).containsExactly("allowed.dlq:0:0", "allowed.dlq:0:2");
    assertThat(DlqTestKafka.readAll(broker, "someone-elses", false)).isEmpty();
  }

  @Test
  void recordsAddedDuringTheReplayAreNotReplayed() throws Exception {
    String dlq = "growing.dlq";
    broker.createTopic(dlq, 2);
    broker.createTopic("growing-target", 2);
    int before = 6000;
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < before; i++) {
      records.add(DlqTestRecords.materializer(dlq, i % 2, null, "k" + i, "v" + i, "growing-target", "E", null,
          Map.of()));
    }
    DlqTestKafka.produce(broker, records);
    // About 3 s at 2,000 records/s; once it has committed its first transaction, the DLQ keeps growing.
    CompletableFuture<DlqCli> running = CompletableFuture.supplyAsync(() -> {
      try {
        return DlqCli.run(dir, Map.of(), "replay", "--bootstrap-servers", broker.bootstrapServers(),
            "--dlq-topic", dlq, "--replay-name", "growing", "--rate-per-second", "2000", "--batch-records", "500");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> DlqTestKafka.committedSum(broker, "reducer-dlq-replay.growing") > 0);
    int added = 0;
    try (KafkaProducer<byte[], byte[]> producer = DlqTestKafka.producer(broker)) {
      for (; added < 1000; added++) {
        producer.send(DlqTestRecords.materializer(dlq, added % 2, null, "late" + added, "late", "growing-target",
            "E", null, Map.of()));
        Thread.sleep(1);
      }
      producer.flush();
    }
    assertThat(running.isDone()).as("the replay still runs after the DLQ grew").isFalse();
    DlqCli replay = running.get(60, TimeUnit.SECONDS);

    assertThat(replay.exitCode()).as(replay.toString()).isEqualTo(ExitCodes.OK);
    assertThat(replay.out()).contains("snapshot 0=3000,1=3000 (current end offsets)");
    List<ConsumerRecord<byte[], byte[]>> replayed = DlqTestKafka.readAll(broker, "growing-target", true);
    assertThat(replayed).hasSize(before);
    assertThat(replayed).allSatisfy(r -> assertThat(DlqTestRecords.text(r.value())).startsWith("v"));
    assertThat(DlqTestKafka.readAll(broker, dlq, true)).hasSize(before + added);
  }

  @Test
  void aMissingTargetTopicStopsTheReplayUntilItExistsThenItResumes() throws Exception {
    String dlq = "missing.dlq";
    broker.createTopic(dlq, 1);
    broker.createTopic("present", 1);
    DlqTestKafka.produce(broker, List.of(
        DlqTestRecords.materializer(dlq, null, null, "a", "1", "present", "E", null, Map.of()),
        DlqTestRecords.materializer(dlq, null, null, "b", "2", "not-yet", "E", null, Map.of()),
        DlqTestRecords.materializer(dlq, null, null, "c", "3", "present", "E", null, Map.of())));
    String[] args = {"replay", "--bootstrap-servers", broker.bootstrapServers(), "--dlq-topic", dlq,
        "--replay-name", "missing"};

    DlqCli first = DlqCli.run(dir, Map.of(), args);

    assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    assertThat(first.replayResult().message()).contains("'not-yet'").contains("0@1").contains("create it");
    assertThat(first.replayResult().progress().replayed()).isEqualTo(1);
    assertThat(sources("present")).containsExactly("missing.dlq:0:0");

    broker.createTopic("not-yet", 1);
    DlqCli second = DlqCli.run(dir, Map.of(), args);

    assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCodes.OK);
    assertThat(second.replayResult().progress()).isEqualTo(new DlqReplayResult.Progress(3, 3, 0, Map.of(), 0));
    assertThat(sources("present")).containsExactly("missing.dlq:0:0", "missing.dlq:0:2");
    assertThat(sources("not-yet")).containsExactly("missing.dlq:0:1");
  }

  @Test
  void configurationErrorsExitWithTwoAndSayWhyInTheTerminationLog() throws Exception {
    DlqCli missingTopic = DlqCli.run(dir, Map.of(), "inspect", "--bootstrap-servers", broker.bootstrapServers(),
        "--dlq-topic", "no-such.dlq");
    assertThat(missingTopic.exitCode()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    assertThat(missingTopic.inspectResult().message()).contains("'no-such.dlq' does not exist");

    broker.createTopic("small.dlq", 1);
    DlqCli beyond = DlqCli.run(dir, Map.of(), "replay", "--bootstrap-servers", broker.bootstrapServers(),
        "--dlq-topic", "small.dlq", "--snapshot", "0=5", "--replay-name", "beyond");
    assertThat(beyond.exitCode()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    assertThat(beyond.replayResult().message()).contains("beyond the end");

    DlqCli badFlag = DlqCli.run(dir, Map.of(), "replay", "--bootstrap-servers", broker.bootstrapServers(),
        "--dlq-topic", "small.dlq");
    assertThat(badFlag.exitCode()).isEqualTo(ExitCodes.BAD_CONFIGURATION);
    assertThat(badFlag.replayResult().message()).contains("--replay-name");
  }

  private static List<String> sources(String topic) {
    return DlqTestKafka.readAll(broker, topic, true).stream()
        .map(r -> DlqTestKafka.header(r, "x-replay-source")).toList();
  }

  private static String[] concat(String[] first, String[] second) {
    String[] all = new String[first.length + second.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }
}
