package io.reducer.workloads.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    ChildMaterializer first = new ChildMaterializer(logs, "first", env);
    first.httpPort(); // started: configuration checked, tables created
    // Each key's versions go up by one per record, so a record applied twice shows as a skipped duplicate.
    PacedProducer producer = new PacedProducer(cluster, topic, KEYS, RECORDS);
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
          .until(() -> applied("crash") >= RECORDS / 8);
      assertThat(producer.isDone()).as("still producing when killed").isFalse();
      first.kill();
    } finally {
      first.close();
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
