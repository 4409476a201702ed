package io.reducer.workloads.reducer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reducer.workloads.ExitCodes;
import io.reducer.workloads.materializer.TestCluster;
import io.reducer.workloads.reducer.ReducerTestKit.InProcessReducer;

/**
 * Optimistic concurrency under contention. Two reducer processes of one group share a hot workflow whose actions
 * arrive on every partition (the runbooks' hot-key sub-keys {@code hot:0}..{@code hot:5}): their commits on it
 * collide and are retried, yet every action is applied exactly once, each workflow's versions are 1..n without a
 * hole, and state-committed carries each version once, in order. Then a writer that keeps moving a row under the
 * reducer: an action whose two attempts both conflict is given up cleanly (gave-up log and DLQ, nothing in the
 * history, outbox or dedup log), and re-sent once the writer stopped, it is applied.
 */
class ReducerConcurrencyIT {

  private static final int PARTITIONS = 3;
  private static final int HOT_SUBKEYS = 6;
  private static final int HOT_ACTIONS = 1200;
  private static final int NORMAL_KEYS = 30;
  private static final int NORMAL_ACTIONS = 20;
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
  void twoReducersRacingOnAHotKeyApplyEveryActionExactlyOnce() throws Exception {
    ReducerTestKit kit = new ReducerTestKit(cluster, "contention", PARTITIONS);
    Map<String, String> env = kit.loopEnv();
    env.put("REDUCER_HTTP_PORT", "0");
    env.put("REDUCER_MAX_RECORDS", "20");
    // Contention is the point here, giving up is not: enough attempts that the loser always gets through.
    env.put("REDUCER_MAX_ATTEMPTS", "50");
    try (ChildReducer a = new ChildReducer(logs, "a", env); ChildReducer b = new ChildReducer(logs, "b", env)) {
      a.httpPort();
      b.httpPort();
      // Both in the group with their share of the partitions before the first action arrives.
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .untilAsserted(() -> {
            int left = a.readyPartitions();
            int right = b.readyPartitions();
            assertThat(left).as(() -> "a: " + a.log()).isPositive();
            assertThat(right).as(() -> "b: " + b.log()).isPositive();
            assertThat(left + right).isEqualTo(PARTITIONS);
          });

      Map<String, Long> model = new HashMap<>();
      Set<Integer> hotPartitions = new TreeSet<>();
      try (KafkaProducer<String, String> producer = cluster.producer()) {
        List<Future<RecordMetadata>> hot = new ArrayList<>();
        List<Future<RecordMetadata>> normal = new ArrayList<>();
        int perNormal = HOT_ACTIONS / (NORMAL_KEYS * NORMAL_ACTIONS / 2);
        for (int i = 0; i < HOT_ACTIONS; i++) {
          String id = "hot-" + i;
          hot.add(producer.send(new ProducerRecord<>(kit.actions, "hot:" + (i % HOT_SUBKEYS),
              ReducerTestKit.action(id, "hot", "touch", id))));
          model.merge("hot", 1L, Long::sum);
          if (i % perNormal == 0 && normal.size() < NORMAL_KEYS * NORMAL_ACTIONS) {
            for (int j = 0; j < 2; j++) {
              String key = "wf-" + (normal.size() % NORMAL_KEYS);
              String normalId = key + "-" + model.merge(key, 1L, Long::sum);
              normal.add(producer.send(new ProducerRecord<>(kit.actions, key,
                  ReducerTestKit.action(normalId, key, "touch", normalId))));
            }
          }
        }
        for (Future<RecordMetadata> ack : hot) {
          hotPartitions.add(ack.get(30, TimeUnit.SECONDS).partition());
        }
        for (Future<RecordMetadata> ack : normal) {
          ack.get(30, TimeUnit.SECONDS);
        }
      }
      long total = model.values().stream().mapToLong(Long::longValue).sum();
      assertThat(total).isEqualTo(HOT_ACTIONS + NORMAL_KEYS * NORMAL_ACTIONS);
      // Whatever the assignment, both processes own partitions with hot actions.
      assertThat(hotPartitions).as("partitions of the hot sub-keys").containsExactly(0, 1, 2);

      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        assertThat(kit.versions()).as(() -> "a: " + tail(a) + "\nb: " + tail(b)).isEqualTo(model);
        assertThat(kit.backlog()).isZero();
      });

      assertThat(kit.count("SELECT count(*) FROM {schema}.workflow_state_history WHERE event_type = 'STATE_COMMITTED'"))
          .isEqualTo(total);
      assertThat(kit.count("SELECT count(DISTINCT action_id) FROM {schema}.workflow_state_history "
          + "WHERE event_type = 'STATE_COMMITTED'")).isEqualTo(total);
      assertThat(kit.historyHoles()).isEmpty();
      assertThat(kit.count("SELECT count(*) FROM {schema}.action_dedup_log WHERE outcome = 'APPLIED'"))
          .isEqualTo(total);
      assertThat(kit.count("SELECT last_sequence FROM {schema}.reducer_outbox_head")).isEqualTo(total);

      // The race happened, and only where it can: each normal key lives on one partition, so one process.
      long conflictRows = kit.count("SELECT count(*) FROM {schema}.workflow_state_history "
          + "WHERE event_type = 'STATE_CONFLICT'");
      assertThat(conflictRows).as("STATE_CONFLICT history rows").isPositive();
      assertThat(kit.strings("SELECT DISTINCT workflow_key FROM {schema}.workflow_state_history "
          + "WHERE event_type = 'STATE_CONFLICT'")).containsExactly("hot");
      // Each process's stats row: both applied actions, their totals add up, the conflicts are counted.
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
        assertThat(kit.count("SELECT count(*) FROM {schema}.reducer_stats WHERE actions_applied > 0")).isEqualTo(2);
        assertThat(kit.count("SELECT sum(actions_applied) FROM {schema}.reducer_stats")).isEqualTo(total);
        assertThat(kit.count("SELECT sum(conflicts) FROM {schema}.reducer_stats")).isGreaterThanOrEqualTo(conflictRows);
        assertThat(kit.count("SELECT sum(gave_up) FROM {schema}.reducer_stats")).isZero();
      });

      assertThat(kit.count("SELECT count(*) FROM {schema}.reducer_gaveup_log")).isZero();
      assertThat(cluster.readAll(kit.dlq, 1)).isEmpty();
      // Every version once, in version order, on one partition per key.
      assertThat(kit.published(PARTITIONS)).isEqualTo(ReducerTestKit.oneToN(model));

      assertThat(a.terminate(Duration.ofSeconds(30))).as(a::log).isEqualTo(ExitCodes.OK);
      assertThat(b.terminate(Duration.ofSeconds(30))).as(b::log).isEqualTo(ExitCodes.OK);
    }
  }

  @Test
  void aWriterThatKeepsMovingTheRowMakesTheReducerGiveUpWithoutPartialState() throws Exception {
    ReducerTestKit kit = new ReducerTestKit(cluster, "storm", 1);
    Map<String, String> env = kit.loopEnv();
    env.put("REDUCER_MAX_ATTEMPTS", "2");
    env.put("REDUCER_BACKOFF_BASE_MS", "1");
    env.put("REDUCER_BACKOFF_CAP_MS", "2");
    env.put("REDUCER_MAX_RECORDS", "2");
    int storms = 20;
    List<String> stormIds = new ArrayList<>();
    try (InProcessReducer reducer = new InProcessReducer(env, "storm")) {
      kit.send(List.<String[]>of(new String[] {"storm", ReducerTestKit.action("storm-0", "storm", "OPEN", "storm-0")}));
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> Long.valueOf(1).equals(kit.versions().get("storm")));

      AtomicBoolean bumping = new AtomicBoolean(true);
      AtomicLong bumps = new AtomicLong();
      // Each bump holds the row's lock for 5 ms before it commits: a reducer that read the row meanwhile waits for
      // the lock and then finds the version moved. Only a read and a write that both fall between two bumps (a
      // round trip apart) get through, so a storm action's two attempts almost never both do, whatever else the
      // cores are running.
      CompletableFuture<Void> bumper = CompletableFuture.runAsync(() -> {
        try (Connection connection = cluster.postgres.connect();
            PreparedStatement bump = connection.prepareStatement("WITH moved AS (UPDATE " + kit.schema
                + ".workflow_state SET version = version + 1 WHERE workflow_key = 'storm' RETURNING 1) "
                + "SELECT count(*), pg_sleep(0.005) FROM moved")) {
          while (bumping.get()) {
            try (ResultSet moved = bump.executeQuery()) {
              if (!moved.next() || moved.getLong(1) != 1) {
                throw new IllegalStateException("the storm row is gone");
              }
            }
            bumps.incrementAndGet();
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, runnable -> {
        Thread thread = new Thread(runnable, "version-bumper");
        thread.setDaemon(true);
        thread.start();
      });
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> bumps.get() >= 100 || bumper.isDone());
        assertThat(bumper).isNotDone();

        // The storm actions alternate with calm ones for another key; at most two actions per poll (batch), so each
        // storm action is retried on its own.
        List<String[]> records = new ArrayList<>();
        for (int i = 1; i <= storms; i++) {
          String id = "storm-" + i;
          stormIds.add(id);
          records.add(new String[] {"storm", ReducerTestKit.action(id, "storm", "touch", id)});
          records.add(new String[] {"calm", ReducerTestKit.action("calm-" + i, "calm", "touch", "calm-" + i)});
        }
        kit.send(records);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
          assertThat(kit.versions()).containsEntry("calm", (long) storms);
          assertThat(kit.count("SELECT count(*) FROM {schema}.reducer_gaveup_log WHERE action_id IN " + in(stormIds))
              + kit.count("SELECT count(*) FROM {schema}.action_dedup_log WHERE action_id IN " + in(stormIds)))
              .as("storm actions given up or applied").isEqualTo(storms);
        });
      } finally {
        bumping.set(false);
      }
      bumper.get(30, TimeUnit.SECONDS);

      // A storm action still gets through when both its read and write fall between two bumps in one of its
      // attempts: each action is either given up cleanly or applied in full, and the storm made some give up.
      Set<String> gaveUp = kit.strings("SELECT action_id FROM {schema}.reducer_gaveup_log");
      Set<String> applied = kit.strings("SELECT action_id FROM {schema}.action_dedup_log WHERE outcome = 'APPLIED' "
          + "AND action_id IN " + in(stormIds));
      assertThat(gaveUp).as("given up").isNotEmpty();
      assertThat(applied).as("applied, yet also given up").noneMatch(gaveUp::contains);
      assertThat(union(gaveUp, applied)).containsExactlyInAnyOrderElementsOf(stormIds);
      // Each used both attempts, then went to the gave-up log and the DLQ, once.
      assertThat(kit.count("SELECT count(*) FROM {schema}.reducer_gaveup_log WHERE attempts = 2"))
          .isEqualTo(gaveUp.size());
      assertThat(kit.count("SELECT count(*) FROM {schema}.reducer_gaveup_log")).isEqualTo(gaveUp.size());
      Map<String, List<String>> expectedLetters = new HashMap<>();
      gaveUp.forEach(id -> expectedLetters.put(id, List.of(BatchWriter.REDUCER_GAVE_UP)));
      assertThat(kit.deadLetters()).isEqualTo(expectedLetters);
      assertThat(reducer.process.metrics().gaveUp()).isEqualTo(gaveUp.size());
      assertThat(kit.count("SELECT count(*) FROM {schema}.workflow_state_history WHERE event_type = 'STATE_CONFLICT' "
          + "AND workflow_key = 'storm'")).as("conflicts of the two attempts").isGreaterThanOrEqualTo(2);
      // Nothing of them anywhere else: no version, no outbox row, no dedup entry.
      assertThat(kit.count("SELECT count(*) FROM {schema}.workflow_state_history WHERE event_type = 'STATE_COMMITTED' "
          + "AND action_id IN " + in(gaveUp))).isZero();
      assertThat(kit.count("SELECT count(*) FROM {schema}.reducer_outbox WHERE correlation_id IN " + in(gaveUp)))
          .isZero();
      assertThat(kit.count("SELECT count(*) FROM {schema}.action_dedup_log WHERE action_id IN " + in(gaveUp)))
          .isZero();
      // Anything that got through did so completely: one version, one outbox row.
      assertThat(kit.count("SELECT count(*) FROM {schema}.workflow_state_history WHERE event_type = 'STATE_COMMITTED' "
          + "AND action_id IN " + in(applied))).isEqualTo(applied.size());
      assertThat(kit.count("SELECT count(*) FROM {schema}.reducer_outbox WHERE correlation_id IN " + in(applied)))
          .isEqualTo(applied.size());
      // The batches' other key was applied in full, as usual (the storm key's versions were moved by hand).
      assertThat(kit.historyHoles()).filteredOn(hole -> !hole.startsWith("storm:")).isEmpty();
      assertThat(kit.count("SELECT count(*) FROM {schema}.action_dedup_log WHERE workflow_key = 'calm' "
          + "AND outcome = 'APPLIED'")).isEqualTo(storms);

      // Once the writer stopped, the same action again is applied: a give-up is not remembered as done.
      long moved = kit.versions().get("storm");
      assertThat(moved).isGreaterThan(1 + applied.size());
      String retried = gaveUp.iterator().next();
      kit.send(List.<String[]>of(new String[] {"storm", ReducerTestKit.action(retried, "storm", "touch", retried)}));
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
        assertThat(kit.versions()).containsEntry("storm", moved + 1);
        assertThat(kit.backlog()).isZero();
      });
      assertThat(kit.count("SELECT count(*) FROM {schema}.workflow_state_history WHERE event_type = 'STATE_COMMITTED' "
          + "AND action_id = '" + retried + "' AND version = " + (moved + 1))).isEqualTo(1);
      assertThat(kit.count("SELECT count(*) FROM {schema}.action_dedup_log WHERE action_id = '" + retried
          + "' AND outcome = 'APPLIED'")).isEqualTo(1);
      assertThat(kit.count("SELECT count(*) FROM {schema}.reducer_outbox WHERE correlation_id = '" + retried
          + "' AND version = " + (moved + 1))).isEqualTo(1);
      assertThat(kit.published(1).get("storm")).hasSize(2 + applied.size()).startsWith(1L).endsWith(moved + 1);
      assertThat(kit.count("SELECT count(*) FROM {schema}.reducer_gaveup_log")).isEqualTo(gaveUp.size());
      assertThat(kit.deadLetters()).isEqualTo(expectedLetters);
      assertThat(reducer.running()).isTrue();
    }
  }

  /** {@code ('a','b')} for an SQL IN list of test ids. */
  private static String in(Collection<String> ids) {
    return ids.isEmpty() ? "(NULL)" : "('" + String.join("','", ids) + "')";
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }

  private static String tail(ChildReducer child) {
    String log = child.log();
    return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
  }
}
