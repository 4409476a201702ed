package io.reducer.workloads.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reducer.workloads.ExitCodes;

/**
 * A materializer frozen by SIGSTOP under load while the group hands its partitions to the other member, then
 * resumed: what it still held in memory (records polled, positions) is rejected by the watermark guard, so it
 * writes nothing for the partitions it lost; every record is applied once and no watermark moves backwards. Frozen
 * while holding row locks, it loses them to PostgreSQL's idle-in-transaction timeout, so the takeover is not blocked.
 */
class MaterializerStallIT {

  private static final int PARTITIONS = 3;
  private static final int KEYS = 30;
  private static final int RECORDS = 50000;
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
  void aStalledMaterializerWritesNothingForThePartitionsTakenOverMeanwhile() throws Exception {
    stallUnderLoad("stall", Freeze.WITHOUT_ROW_LOCKS, Map.of());
  }

  /**
   * Frozen after it wrote rows, the process holds their locks: PostgreSQL ends its idle transaction after the
   * configured timeout, so the other member takes its partitions over while it is still frozen.
   */
  @Test
  void aMaterializerFrozenHoldingRowLocksLosesThemAndTheOtherMemberGoesOn() throws Exception {
    stallUnderLoad("stall_locks", Freeze.HOLDING_ROW_LOCKS, Map.of("MATERIALIZER_IDLE_TRANSACTION_TIMEOUT_MS", "3000"));
  }

  /** Where in its loop the process is frozen. */
  private enum Freeze {
    /** Between batches, or inside one before it wrote a row. */
    WITHOUT_ROW_LOCKS,
    /** Inside a transaction that wrote rows. */
    HOLDING_ROW_LOCKS
  }

  private void stallUnderLoad(String name, Freeze freeze, Map<String, String> extraEnv) throws Exception {
    String topic = name;
    String projection = name;
    String group = name + "-group";
    cluster.createTopics(topic, PARTITIONS);
    Map<String, String> env = cluster.env(topic, projection, name + "_projection");
    env.put("MATERIALIZER_HTTP_PORT", "0");
    env.put("MATERIALIZER_MAX_RECORDS", "50");
    env.put("MATERIALIZER_GROUP", group);
    env.putAll(extraEnv);
    Map<String, String> stalledEnv = new HashMap<>(env);
    stalledEnv.put("MATERIALIZER_GROUP_INSTANCE_ID", name + "-a");
    Map<String, String> survivorEnv = new HashMap<>(env);
    survivorEnv.put("MATERIALIZER_GROUP_INSTANCE_ID", name + "-b");

    try (ChildMaterializer stalled = new ChildMaterializer(logs, name + "-a", stalledEnv);
        ChildMaterializer survivor = new ChildMaterializer(logs, name + "-b", survivorEnv);
        Admin admin = cluster.broker.admin()) {
      stalled.httpPort(); // started: the watermark table exists
      survivor.httpPort();
      if (freeze == Freeze.HOLDING_ROW_LOCKS) {
        // Slow write statements (50 ms) until the freeze: the loop then spends most of its time holding row locks,
        // and a freeze lands there in the first attempts, whatever the machine's load and the loop's pacing.
        cluster.execute("CREATE TABLE " + name + "_slow_writes (slow boolean)");
        cluster.execute("INSERT INTO " + name + "_slow_writes VALUES (true)");
        cluster.execute("CREATE FUNCTION " + name + "_slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            + "IF EXISTS (SELECT 1 FROM " + name + "_slow_writes) THEN PERFORM pg_sleep(0.05); END IF; "
            + "RETURN NULL; END $$");
        cluster.execute("CREATE TRIGGER " + name + "_slow AFTER INSERT OR UPDATE ON " + name + "_projection "
            + "FOR EACH STATEMENT EXECUTE FUNCTION " + name + "_slow()");
      }
      WatermarkHistory history = new WatermarkHistory(cluster.postgres.connect(), projection);
      // Holds before its last second of records until the stalled member is resumed, so records still arrive then.
      PacedProducer producer = new PacedProducer(cluster, topic, KEYS, RECORDS, RECORDS - 2000);
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
          .until(() -> assigned(admin, group, name + "-a").size() + assigned(admin, group, name + "-b").size()
              == PARTITIONS && !assigned(admin, group, name + "-a").isEmpty()
              && !assigned(admin, group, name + "-b").isEmpty() && history.applied() >= 1000);

      // Frozen while records stream, at the point the case asks for; a freeze that landed elsewhere is resumed
      // and tried again. (A transaction that has not written a row yet would go on with its upsert on resume.)
      Set<Integer> lost = Set.of();
      int attempts = 0;
      boolean inTransaction = false;
      while (lost.isEmpty()) {
        assertThat(attempts++).as("froze " + freeze + " within 20 attempts").isLessThan(20);
        lost = assigned(admin, group, name + "-a");
        stalled.suspend();
        Thread.sleep(800);
        boolean holdsLocks = frozenTransactions("backend_xid IS NOT NULL") > 0;
        if (holdsLocks != (freeze == Freeze.HOLDING_ROW_LOCKS)) {
          stalled.resume();
          lost = Set.of();
          Thread.sleep(freeze == Freeze.HOLDING_ROW_LOCKS ? 37L * attempts % 200 : 200 + 100L * attempts);
        } else {
          inTransaction = holdsLocks || frozenTransactions("backend_xid IS NULL") > 0;
        }
      }
      if (freeze == Freeze.HOLDING_ROW_LOCKS) {
        cluster.execute("DELETE FROM " + name + "_slow_writes");
      }
      assertThat(producer.isDone()).as("still producing when stalled").isFalse();
      Map<Integer, Long> atStall = cluster.watermarks(projection);

      // The session (6 s) expires, the survivor gets every partition and moves the stalled member's ones on.
      Set<Integer> taken = lost;
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
          .untilAsserted(() -> {
            assertThat(assigned(admin, group, name + "-b")).hasSize(PARTITIONS);
            Map<Integer, Long> now = cluster.watermarks(projection);
            for (int partition : taken) {
              assertThat(now.get(partition)).isGreaterThan(atStall.get(partition) + 100);
            }
          });
      assertThat(producer.isDone()).as("still producing when resumed").isFalse();
      if (freeze == Freeze.HOLDING_ROW_LOCKS) {
        assertThat(frozenTransactions("TRUE")).as("the frozen transaction was ended by the server").isZero();
      }
      stalled.resume();
      producer.release();

      Map<String, String> model = producer.awaitModel();
      Map<Integer, Long> end = cluster.logEnd(topic, PARTITIONS);
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
          .untilAsserted(() -> assertThat(cluster.watermarks(projection)).isEqualTo(end));

      assertThat(cluster.projection(name + "_projection")).isEqualTo(model);
      Thread.sleep(100); // a poll that started after the last commit
      history.close();
      assertThat(history.regressions()).as("watermarks moving backwards").isEmpty();
      assertThat(history.last()).isEqualTo(end);

      String stalledMetrics = stalled.get("/metrics").body();
      String survivorMetrics = survivor.get("/metrics").body();
      String batchSizeSum = "projection_materializer_batch_size_sum";
      // Each committed batch moves its partition's watermark over exactly its records: the two processes together
      // committed every offset of the topic once, so nothing of the stalled process's old batches was written.
      assertThat(counter(stalledMetrics, batchSizeSum) + counter(survivorMetrics, batchSizeSum))
          .as("records committed by both processes").isEqualTo(RECORDS);
      for (String metrics : List.of(stalledMetrics, survivorMetrics)) {
        assertThat(counter(metrics, "projection_materializer_duplicate_events_skipped_total")).isZero();
        assertThat(counter(metrics, "projection_materializer_wm_regressions_total")).isZero();
        assertThat(counter(metrics, "epoch_mismatch_dropped_total")).isZero();
      }
      System.out.printf("%s: stalled after %d attempt(s) %s a transaction, holding %s; stale batches rejected: %d%n",
          freeze, attempts, inTransaction ? "inside" : "outside", taken,
          count(stalled.log(), "another instance took over"));
      assertThat(stalled.terminate(Duration.ofSeconds(30))).as(stalled.log()).isEqualTo(ExitCodes.OK);
      assertThat(survivor.terminate(Duration.ofSeconds(30))).as(survivor.log()).isEqualTo(ExitCodes.OK);
    }
  }

  /** Partitions the group assigns to the member with this instance id. */
  private static Set<Integer> assigned(Admin admin, String groupId, String instanceId) throws Exception {
    ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId)
        .get(10, TimeUnit.SECONDS);
    Set<Integer> partitions = new TreeSet<>();
    for (MemberDescription member : group.members()) {
      if (member.groupInstanceId().filter(instanceId::equals).isPresent()) {
        member.assignment().topicPartitions().forEach(tp -> partitions.add(tp.partition()));
      }
    }
    return partitions;
  }

  /**
   * Materializer sessions inside a transaction for more than 600 ms (only a frozen process has one) that match
   * {@code condition}: {@code backend_xid IS NOT NULL} once the transaction wrote a row.
   */
  private static int frozenTransactions(String condition) {
    int[] count = new int[1];
    cluster.query("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'reducer-materializer'"
        + " AND xact_start IS NOT NULL AND now() - xact_start > interval '600 milliseconds' AND " + condition,
        rows -> count[0] = rows.getInt(1));
    return count[0];
  }

  private static int count(String text, String needle) {
    int count = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      count++;
    }
    return count;
  }

  private static double counter(String metrics, String name) {
    Matcher matcher = Pattern.compile("(?m)^" + name + "\\{[^}]*\\} (\\S+)$").matcher(metrics);
    assertThat(matcher.find()).as(name + " in\n" + metrics).isTrue();
    return Double.parseDouble(matcher.group(1));
  }

  /** Reads the watermarks every few milliseconds and keeps every step a partition took, backwards ones apart. */
  private static final class WatermarkHistory implements AutoCloseable {

    private final Map<Integer, Long> last = new HashMap<>();
    private final List<String> regressions = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CompletableFuture<Void> loop;

    WatermarkHistory(Connection connection, String projection) {
      loop = CompletableFuture.runAsync(() -> {
        try (connection; PreparedStatement query = connection.prepareStatement(
            "SELECT partition, next_offset FROM projection_watermarks WHERE projection = ?")) {
          connection.setAutoCommit(true);
          query.setString(1, projection);
          while (running.get()) {
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                record(rows.getInt(1), rows.getLong(2));
              }
            }
            Thread.sleep(5);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    }

    private synchronized void record(int partition, long next) {
      Long before = last.put(partition, next);
      if (before != null && next < before) {
        regressions.add("partition " + partition + ": " + before + " -> " + next);
      }
    }

    synchronized long applied() {
      return last.values().stream().mapToLong(Long::longValue).sum();
    }

    synchronized List<String> regressions() {
      return new ArrayList<>(regressions);
    }

    synchronized Map<Integer, Long> last() {
      return new HashMap<>(last);
    }

    @Override
    public void close() throws Exception {
      running.set(false);
      loop.get(10, TimeUnit.SECONDS);
    }
  }
}
