package io.reducer.workloads.reducer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.dlq.format.ReplayHeaders;
import io.reducer.workloads.materializer.TestCluster;
import io.reducer.workloads.reducer.ReducerTestKit.ActionStream;
import io.reducer.workloads.reducer.ReducerTestKit.InProcessReducer;

/** The reducer against a real broker and PostgreSQL: actions in, versions, history, outbox and DLQ out. */
class ReducerIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int KEYS = 20;
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
  void actionsBecomeContiguousVersionsAndOrderedStateCommittedEventsOnce() throws Exception {
    ReducerTestKit kit = new ReducerTestKit(cluster, "flow", 3);
    List<String[]> records = new ArrayList<>();
    for (String trigger : List.of("pending", "PROCESSING", "completed")) {
      for (int k = 0; k < KEYS; k++) {
        String key = "wf-" + k;
        String value = ReducerTestKit.action(key + "-" + trigger, key, trigger, "corr-" + k);
        records.add(new String[] {key, value});
        records.add(new String[] {key, value}); // delivered twice: applied once
      }
    }
    String invalid = ReducerTestKit.action("bad-transition", "wf-bad", "COMPLETED", "corr-bad");
    records.add(new String[] {"wf-bad", invalid});
    records.add(new String[] {"wf-bad", invalid});
    records.add(new String[] {"wf-unknown", ReducerTestKit.action("bad-state", "wf-unknown", "ARCHIVED", "corr-u")});
    records.add(new String[] {"wf-junk", "not json"});
    kit.send(records);

    try (InProcessReducer reducer = new InProcessReducer(kit.env(), "a")) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
        assertThat(kit.states()).hasSize(KEYS);
        assertThat(kit.backlog()).isZero();
        assertThat(cluster.readAll(kit.dlq, 1)).hasSize(3);
      });
      Map<String, String> expected = new HashMap<>();
      for (int k = 0; k < KEYS; k++) {
        expected.put("wf-" + k, "3:COMPLETED");
      }
      assertThat(kit.states()).isEqualTo(expected);
      assertThat(kit.historyHoles()).isEmpty();
      assertThat(kit.count("SELECT count(*) FROM {schema}.workflow_state_history")).isEqualTo(3 * KEYS);
      assertThat(kit.count("SELECT count(*) FROM {schema}.workflow_state_history "
          + "WHERE provenance->>'action_id' = 'wf-3-completed' AND previous_state = 'PROCESSING'")).isEqualTo(1);
      assertThat(reducer.process.metrics().duplicates()).isEqualTo(3 * KEYS + 1);

      // state-committed: every version once, in version order per key, with the contract's fields and header
      Map<String, List<Long>> versions = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> record : cluster.readAll(kit.stateCommitted, 3)) {
        JsonNode event = JSON.readTree(record.value());
        String key = new String(record.key(), StandardCharsets.UTF_8);
        assertThat(event.get("workflow_key").asText()).isEqualTo(key);
        assertThat(ReducerTestKit.header(record, "correlation-id")).isEqualTo(event.get("correlation_id").asText());
        assertThat(event.get("committed_at").asText()).isNotBlank();
        versions.computeIfAbsent(key, k -> new ArrayList<>()).add(event.get("version").asLong());
        if (event.get("version").asLong() == 3) {
          assertThat(event.get("state").asText()).isEqualTo("COMPLETED");
          assertThat(event.get("last_action").asText()).isEqualTo("completed");
        }
      }
      assertThat(versions).hasSize(KEYS).allSatisfy((key, list) -> assertThat(list).containsExactly(1L, 2L, 3L));

      Map<String, String> errors = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> letter : cluster.readAll(kit.dlq, 1)) {
        errors.put(ReducerTestKit.header(letter, "x-original-offset") == null ? "?"
            : new String(letter.value(), StandardCharsets.UTF_8), ReducerTestKit.header(letter, "x-error-type"));
      }
      assertThat(errors).containsEntry(invalid, "INVALID_TRANSITION").containsEntry("not json", "DESERIALIZATION_ERROR")
          .containsValue("UNKNOWN_STATE");
      assertThat(kit.count("SELECT count(*) FROM {schema}.action_dedup_log WHERE outcome = 'REJECTED'")).isEqualTo(2);
    }
  }

  @Test
  void offsetsGoToKafkaOnceASecondAndAllOfThemWhenTheReducerStops() throws Exception {
    ReducerTestKit kit = new ReducerTestKit(cluster, "offsets", 3);
    Map<String, String> env = kit.loopEnv();
    String group = ReducerConfig.parse(List.of(), env).group();
    AtomicInteger transactions = new AtomicInteger();
    AtomicInteger offsetCommits = new AtomicInteger();
    ReducerProbe counting = new ReducerProbe() {
      @Override
      public void polled(ConsumerRecords<byte[], byte[]> records, long pollStarted, long polled) {
      }

      @Override
      public void committed(List<PendingAction> actions, long started, long committed) {
        transactions.incrementAndGet();
      }

      @Override
      public void published(List<OutboxRow> rows, long read, long acknowledged) {
      }

      @Override
      public void step(Step step, long started, long ended) {
        if (step == Step.OFFSET_COMMIT) {
          offsetCommits.incrementAndGet();
        }
      }

      @Override
      public void maintained(String work, long started, long ended) {
      }
    };
    long started = System.nanoTime();
    try (InProcessReducer reducer = new InProcessReducer(env, "a", counting)) {
      // About 3 s of actions arriving a few at a time: many small transactions.
      Map<String, Long> model = new ActionStream(kit, "wf", 10, 1200, 400).awaitModel();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> assertThat(kit.versions()).isEqualTo(model));
      double seconds = (System.nanoTime() - started) / 1e9;
      assertThat(transactions.get()).as("transactions").isGreaterThan(20);
      assertThat(offsetCommits.get()).as("offset commits in %.1f s", seconds)
          .isLessThanOrEqualTo((int) Math.ceil(seconds) + 1);
      assertThat(reducer.stop()).isEqualTo(ExitCodes.OK);
    }
    // The stop committed everything written: a reducer started now would read none of these actions again.
    try (Admin admin = cluster.broker.admin()) {
      Map<Integer, Long> committed = new HashMap<>();
      admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
          .forEach((partition, offset) -> committed.put(partition.partition(), offset.offset()));
      assertThat(committed).isEqualTo(cluster.logEnd(kit.actions, 3));
    }
  }

  @Test
  void aReplayedActionsTopicChangesNothingAndADlqReplayDecidesAgain() throws Exception {
    ReducerTestKit kit = new ReducerTestKit(cluster, "replayed", 2);
    List<String[]> records = new ArrayList<>();
    for (int k = 0; k < KEYS; k++) {
      records.add(new String[] {"k" + k, ReducerTestKit.action("k" + k + "-1", "k" + k, "PENDING", "c" + k)});
      records.add(new String[] {"k" + k, ReducerTestKit.action("k" + k + "-2", "k" + k, "PROCESSING", "c" + k)});
    }
    // COMPLETED on a new workflow (PENDING) is an invalid transition: rejected, and remembered as REJECTED.
    String early = ReducerTestKit.action("early", "late-key", "COMPLETED", "c-early");
    records.add(new String[] {"late-key", early});
    kit.send(records);
    Map<String, String> env = kit.env();
    try (InProcessReducer reducer = new InProcessReducer(env, "first")) {
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(kit.states()).hasSize(KEYS);
        assertThat(kit.backlog()).isZero();
        assertThat(cluster.readAll(kit.dlq, 1)).hasSize(1);
      });
    }
    Map<String, String> before = kit.states();
    long head = kit.count("SELECT last_sequence FROM {schema}.reducer_outbox_head");
    long letters = cluster.readAll(kit.dlq, 1).size();

    // The whole topic again, through another group: every action is a duplicate.
    env.put("REDUCER_GROUP", "replay-everything");
    try (InProcessReducer again = new InProcessReducer(env, "second")) {
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(again.process.metrics().duplicates()).isEqualTo(2 * KEYS + 1));
      assertThat(kit.states()).isEqualTo(before);
      assertThat(kit.count("SELECT last_sequence FROM {schema}.reducer_outbox_head")).isEqualTo(head);
      assertThat(cluster.readAll(kit.dlq, 1)).hasSize((int) letters);

      // The rejected action, republished by a DlqReplay (x-replay-count) once the workflow can take it, is decided
      // again and applied; the same record without the header stays a duplicate.
      try (KafkaProducer<String, String> producer = cluster.producer()) {
        producer.send(new ProducerRecord<>(kit.actions, "late-key",
            ReducerTestKit.action("late-0", "late-key", "PROCESSING", "c-late"))).get();
        await().atMost(Duration.ofSeconds(30)).until(() -> "1:PROCESSING".equals(kit.states().get("late-key")));
        producer.send(new ProducerRecord<>(kit.actions, "late-key", early)).get();
        ProducerRecord<String, String> fromDlq = new ProducerRecord<>(kit.actions, "late-key", early);
        fromDlq.headers().add(ReplayHeaders.COUNT, "1".getBytes(StandardCharsets.UTF_8));
        producer.send(fromDlq).get();
      }
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(kit.states()).containsEntry("late-key", "2:COMPLETED");
        assertThat(kit.backlog()).isZero();
      });
      assertThat(kit.count("SELECT count(*) FROM {schema}.action_dedup_log WHERE action_id = 'early' "
          + "AND outcome = 'APPLIED'")).isEqualTo(1);
      assertThat(cluster.readAll(kit.dlq, 1)).hasSize((int) letters);
    }
  }

  @Test
  void actionsDeliveredAgainWhileTheDedupLogIsNotReadAreStoppedByTheirDedupRows() throws Exception {
    ReducerTestKit kit = new ReducerTestKit(cluster, "again", 2);
    String applied = ReducerTestKit.action("once", "wf-once", "PENDING", "c1");
    // COMPLETED on a new workflow is an invalid transition: rejected, remembered as REJECTED, one DLQ record.
    String rejected = ReducerTestKit.action("refused", "wf-refused", "COMPLETED", "c2");
    try (InProcessReducer reducer = new InProcessReducer(kit.env(), "a")) {
      // The first transaction reads the dedup log and finds no duplicate, so the ones after it do not read it.
      kit.send(List.of(new String[] {"wf-once", applied}, new String[] {"wf-refused", rejected}));
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(kit.states()).containsEntry("wf-once", "1:PENDING");
        assertThat(kit.backlog()).isZero();
        assertThat(cluster.readAll(kit.dlq, 1)).hasSize(1);
      });
      long head = kit.count("SELECT last_sequence FROM {schema}.reducer_outbox_head");

      kit.send(List.<String[]>of(new String[] {"wf-once", applied}));
      await().atMost(Duration.ofSeconds(30)).until(() -> reducer.process.metrics().duplicates() == 1);
      // After a duplicate the log is read again until a transaction finds none: this one.
      kit.send(List.<String[]>of(new String[] {"wf-new", ReducerTestKit.action("new", "wf-new", "PENDING", "c3")}));
      await().atMost(Duration.ofSeconds(30)).until(() -> kit.states().containsKey("wf-new"));
      // Rejected again, it would be a second DLQ record: its REJECTED row must stop it as well.
      kit.send(List.<String[]>of(new String[] {"wf-refused", rejected}));
      await().atMost(Duration.ofSeconds(30)).until(() -> reducer.process.metrics().duplicates() == 2);

      assertThat(reducer.process.metrics().dedupRereads()).isEqualTo(2);
      assertThat(kit.states()).containsOnly(Map.entry("wf-once", "1:PENDING"), Map.entry("wf-new", "1:PENDING"));
      assertThat(kit.count("SELECT last_sequence FROM {schema}.reducer_outbox_head")).isEqualTo(head + 1);
      assertThat(kit.count("SELECT count(*) FROM {schema}.workflow_state_history")).isEqualTo(2);
      assertThat(kit.count("SELECT count(*) FROM {schema}.action_dedup_log WHERE action_id = 'refused' "
          + "AND outcome = 'REJECTED'")).isEqualTo(1);
      assertThat(cluster.readAll(kit.dlq, 1)).hasSize(1);
    }
  }

  /**
   * The reducer remembers the rows it committed; another writer (here by hand, as a reducer of another partition
   * would for a hot key's sub-key) moves them. A refusal decided on the remembered row is decided again on the
   * table's, and a write from a remembered version that lost is written again at once: no conflict on record.
   */
  @Test
  void rowsAnotherWriterMovedSinceTheReducerRememberedThemAreReadAgainNotRefusedOrCountedAsConflicts()
      throws Exception {
    ReducerTestKit kit = new ReducerTestKit(cluster, "remembered", 1);
    try (InProcessReducer reducer = new InProcessReducer(kit.env(), "a")) {
      kit.send(List.of(new String[] {"wf-1", ReducerTestKit.action("a1", "wf-1", "PENDING", "c1")},
          new String[] {"wf-2", ReducerTestKit.action("b1", "wf-2", "PENDING", "c2")}));
      await().atMost(Duration.ofSeconds(60)).until(() -> kit.states().size() == 2);
      kit.cluster.execute("UPDATE " + kit.schema + ".workflow_state SET version = 2, state = 'PROCESSING'");

      // PENDING -> COMPLETED is invalid, PROCESSING -> COMPLETED is not; PENDING -> FAILED is valid, but version 1
      // is gone.
      kit.send(List.of(new String[] {"wf-1", ReducerTestKit.action("a3", "wf-1", "COMPLETED", "c3")},
          new String[] {"wf-2", ReducerTestKit.action("b3", "wf-2", "FAILED", "c4")}));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(kit.states())
          .containsOnly(Map.entry("wf-1", "3:COMPLETED"), Map.entry("wf-2", "3:FAILED")));

      assertThat(reducer.process.metrics().stateCacheHits()).isEqualTo(2);
      assertThat(reducer.process.metrics().stateCacheStale()).isEqualTo(1);
      assertThat(reducer.process.metrics().conflicts()).isZero();
      assertThat(reducer.process.metrics().rejected()).isZero();
      assertThat(kit.count("SELECT count(*) FROM {schema}.workflow_state_history WHERE event_type = 'STATE_CONFLICT'"))
          .isZero();
      assertThat(kit.strings("SELECT workflow_key || ':' || version || ':' || state FROM "
          + "{schema}.workflow_state_history")).containsExactlyInAnyOrder("wf-1:1:PENDING", "wf-2:1:PENDING",
          "wf-1:3:COMPLETED", "wf-2:3:FAILED");
      assertThat(kit.count("SELECT count(*) FROM {schema}.action_dedup_log WHERE outcome = 'APPLIED'")).isEqualTo(4);
      assertThat(cluster.readAll(kit.dlq, 1)).isEmpty();
    }
  }

  /**
   * Without the outbox head's row no version can be numbered: the write statement fails as a whole (it may be its
   * own transaction, with nothing to roll back afterwards), the batch is read again until the row is back, and then
   * every action is applied once, with gap-free sequences.
   */
  @Test
  void withoutTheOutboxHeadRowNothingIsWrittenUntilItIsPutBack() throws Exception {
    ReducerTestKit kit = new ReducerTestKit(cluster, "headless", 1);
    try (InProcessReducer reducer = new InProcessReducer(kit.env(), "a")) {
      kit.send(List.<String[]>of(new String[] {"wf-1", ReducerTestKit.action("h1", "wf-1", "PENDING", "c1")}));
      await().atMost(Duration.ofSeconds(60)).until(() -> kit.states().containsKey("wf-1") && kit.backlog() == 0);
      kit.cluster.execute("DELETE FROM " + kit.schema + ".reducer_outbox_head");

      // wf-1 is remembered, so its transaction would commit with its write statement; wf-2 is new.
      kit.send(List.of(new String[] {"wf-1", ReducerTestKit.action("h2", "wf-1", "PROCESSING", "c2")},
          new String[] {"wf-2", ReducerTestKit.action("h3", "wf-2", "PENDING", "c3")}));
      await().atMost(Duration.ofSeconds(30)).until(() -> reducer.process.metrics().transactionRetries() >= 2);
      assertThat(kit.states()).containsOnly(Map.entry("wf-1", "1:PENDING"));
      assertThat(kit.count("SELECT count(*) FROM {schema}.workflow_state_history")).isEqualTo(1);
      assertThat(kit.count("SELECT count(*) FROM {schema}.action_dedup_log")).isEqualTo(1);

      kit.cluster.execute(CanonicalStore.restoreHeadStatement(kit.schema));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(kit.states()).containsOnly(Map.entry("wf-1", "2:PROCESSING"), Map.entry("wf-2", "1:PENDING"));
        assertThat(kit.backlog()).isZero();
      });
      assertThat(kit.count("SELECT last_sequence FROM {schema}.reducer_outbox_head")).isEqualTo(3);
      assertThat(kit.count("SELECT count(DISTINCT sequence) FROM {schema}.reducer_outbox "
          + "WHERE sequence BETWEEN 1 AND 3")).isEqualTo(3);
      assertThat(kit.count("SELECT count(*) FROM {schema}.workflow_state_history")).isEqualTo(3);
    }
  }

  @Test
  void eachStateCommittedEventSaysWhatItsOutboxRowSays() throws Exception {
    ReducerTestKit kit = new ReducerTestKit(cluster, "handover", 3);
    try (InProcessReducer reducer = new InProcessReducer(kit.env(), "a")) {
      // Actions sent while the process leads the relay: their commits hand the rows over, the relay does not read
      // them back. What it publishes must still be what the table holds, to the microsecond.
      await().atMost(Duration.ofSeconds(60)).until(() -> reducer.process.metrics().isLeader());
      for (String trigger : List.of("pending", "PROCESSING")) {
        List<String[]> records = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
          String key = "wf-" + k;
          records.add(new String[] {key, ReducerTestKit.action(key + "-" + trigger, key, trigger, "corr-" + k)});
        }
        kit.send(records);
      }
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
        assertThat(kit.count("SELECT count(*) FROM {schema}.reducer_outbox")).isEqualTo(2 * KEYS);
        assertThat(kit.backlog()).isZero();
      });
      Set<String> rows = kit.strings("SELECT concat_ws('|', workflow_key, version, state, last_action, correlation_id, "
          + "(extract(epoch FROM committed_at) * 1000000)::bigint) FROM {schema}.reducer_outbox");
      Set<String> events = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> record : cluster.readAll(kit.stateCommitted, 3)) {
        JsonNode event = JSON.readTree(record.value());
        Instant at = Instant.parse(event.get("committed_at").asText());
        events.add(String.join("|", event.get("workflow_key").asText(), event.get("version").asText(),
            event.get("state").asText(), event.get("last_action").asText(), event.get("correlation_id").asText(),
            Long.toString(at.getEpochSecond() * 1_000_000L + at.getNano() / 1000)));
      }
      assertThat(events).hasSize(2 * KEYS).isEqualTo(rows);
    }
  }

  @Test
  void aMissingOutboxSequenceStopsTheRelayThereAndIsReportedNeverSkipped() throws Exception {
    ReducerTestKit kit = new ReducerTestKit(cluster, "gap", 1);
    List<String[]> records = new ArrayList<>();
    for (int n = 1; n <= 10; n++) {
      records.add(new String[] {"g", ReducerTestKit.action("g-" + n, "g", "touch", "c-" + n)});
    }
    kit.send(records);
    Map<String, String> env = kit.loopEnv();
    env.put("REDUCER_OUTBOX_RELAY", "false");
    try (InProcessReducer committing = new InProcessReducer(env, "committing")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> kit.backlog() == 10);
    }
    cluster.execute("DELETE FROM gap.reducer_outbox WHERE sequence = 6"); // what no reducer ever does

    env.put("REDUCER_OUTBOX_RELAY", "true");
    try (InProcessReducer relay = new InProcessReducer(env, "relay")) {
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(kit.count("SELECT count(*) FROM {schema}.reducer_outbox_gaps WHERE sequence = 6 "
            + "AND last_sequence = 10")).isEqualTo(1);
        assertThat(relay.process.metrics().gaps()).isEqualTo(1);
      });
      assertThat(kit.count("SELECT next_sequence FROM {schema}.reducer_outbox_cursor")).isEqualTo(6);
      assertThat(relay.process.metrics().backlog()).isEqualTo(5);
      List<Long> versions = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> record : cluster.readAll(kit.stateCommitted, 1)) {
        versions.add(JSON.readTree(record.value()).get("version").asLong());
      }
      assertThat(versions).as("published up to the gap, nothing after it").containsExactly(1L, 2L, 3L, 4L, 5L);
    }
  }
}
