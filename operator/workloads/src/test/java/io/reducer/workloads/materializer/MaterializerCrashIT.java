package io.reducer.workloads.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reducer.workloads.ExitCodes;

/** kill -9 of a materializer process mid-stream, then a new process: nothing lost, nothing applied twice. */
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

    // Each key's versions go up by one per record, so the model is the last version produced per key, and a
    // record applied a second time would show as a skipped duplicate.
    Map<String, Long> model = new HashMap<>();
    CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> produce(topic, model));

    ChildMaterializer first = new ChildMaterializer(logs, "first", env);
    try {
      // The first process creates the tables; until then the query fails.
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
          .until(() -> applied("crash") >= RECORDS / 4);
      assertThat(producing).as("still producing when killed").isNotDone();
      first.kill();
    } finally {
      first.close();
    }
    long appliedAtKill = applied("crash");
    producing.get(60, TimeUnit.SECONDS);
    assertThat(appliedAtKill).isLessThan(RECORDS);

    try (ChildMaterializer second = new ChildMaterializer(logs, "second", env)) {
      Map<Integer, Long> end = cluster.logEnd(topic, PARTITIONS);
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> assertThat(cluster.watermarks("crash")).isEqualTo(end));

      Map<String, String> expected = new HashMap<>();
      model.forEach((key, version) -> expected.put(key, version + ":" + TestEvents.state(version)));
      assertThat(cluster.projection("crash_projection")).isEqualTo(expected);

      String metrics = second.get("/metrics").body();
      assertThat(counter(metrics, "projection_materializer_duplicate_events_skipped_total")).isZero();
      // The second process read exactly the records after the first one's last commit.
      assertThat(counter(metrics, "projection_materializer_batch_size_sum")).isEqualTo(RECORDS - appliedAtKill);
      assertThat(second.get("/health").statusCode()).isEqualTo(200);
      assertThat(second.get("/ready").statusCode()).isEqualTo(200);

      assertThat(second.terminate(Duration.ofSeconds(30))).as(second.log()).isEqualTo(ExitCodes.OK);
    }
  }

  /** Records the watermarks account for: the sum of next offsets (one record per offset, no transactions). */
  private static long applied(String projection) {
    return cluster.watermarks(projection).values().stream().mapToLong(Long::longValue).sum();
  }

  private static void produce(String topic, Map<String, Long> model) {
    try (KafkaProducer<String, String> producer = cluster.producer()) {
      for (int i = 0; i < RECORDS; i++) {
        String key = "wf-" + (i % KEYS);
        long version = model.merge(key, 1L, Long::sum);
        producer.send(TestEvents.event(topic, key, version));
        if (i % 20 == 19) {
          Thread.sleep(10);
        }
      }
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static double counter(String metrics, String name) {
    Matcher matcher = Pattern.compile("(?m)^" + name + "\\{[^}]*\\} (\\S+)$").matcher(metrics);
    assertThat(matcher.find()).as(name + " in\n" + metrics).isTrue();
    return Double.parseDouble(matcher.group(1));
  }
}
