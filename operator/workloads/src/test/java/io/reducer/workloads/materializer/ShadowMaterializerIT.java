package io.reducer.workloads.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.reducer.workloads.ExitCodes;

/**
 * A shadow rebuild with real materializers: an ordinary materializer fills the shadow under the shadow's table,
 * identity and group; after the cutover a live materializer still on the old epoch writes nothing and exits fenced,
 * and one started again goes on from the shadow's positions on the new table.
 */
class ShadowMaterializerIT {

  private static final Duration CATCH_UP = Duration.ofSeconds(60);
  private static final String TOPIC = "shadow-events";
  private static final String NAMESPACE = "orders";
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
  void theShadowIsFilledByAnOrdinaryMaterializerAndTheOldLiveEpochIsFencedAfterTheCutover() throws Exception {
    cluster.createTopics(TOPIC, 2);
    produce(20, 1, 3);
    ShadowRebuild rebuild = new ShadowRebuild("public", "shadow_live", NAMESPACE, "workflow-projection", "x1");
    Map<String, String> liveEnv = env(rebuild.projection(), rebuild.table(), "");
    Map<Integer, Long> end = cluster.logEnd(TOPIC, 2);

    try (InProcessMaterializer zombie = new InProcessMaterializer(liveEnv, List.of())) {
      await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
          assertThat(cluster.watermarks("public", NAMESPACE, rebuild.projection())).isEqualTo(end));

      try (Connection connection = cluster.postgres.connect()) {
        connection.setAutoCommit(false);
        ShadowTables.create(connection, rebuild);
        try (InProcessMaterializer shadow = new InProcessMaterializer(
            env(rebuild.shadowProjection(), rebuild.shadowTable(), rebuild.shadowGroup()), List.of())) {
          await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
              assertThat(cluster.watermarks("public", NAMESPACE, rebuild.shadowProjection())).isEqualTo(end));
        }
        assertThat(cluster.projection(rebuild.shadowTable())).isEqualTo(cluster.projection(rebuild.table()));

        ShadowCutover.Result cut = ShadowCutover.cutover(connection, rebuild, false, Duration.ofSeconds(2));
        assertThat(cut.newEpoch()).isEqualTo(1);
      }

      produce(20, 4, 4);
      assertThat(zombie.awaitExit(CATCH_UP)).isEqualTo(ExitCodes.FENCED);
      assertThat(cluster.projection(rebuild.table())).hasSize(20).containsEntry("k-0", "3:" + TestEvents.state(3));
      assertThat(cluster.watermarks("public", NAMESPACE, rebuild.projection())).isEqualTo(end);
    }

    // Restarted, the live materializer takes the new epoch and goes on from the shadow's positions.
    Map<Integer, Long> newEnd = cluster.logEnd(TOPIC, 2);
    try (InProcessMaterializer restarted = new InProcessMaterializer(liveEnv, List.of())) {
      await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
          assertThat(cluster.watermarks("public", NAMESPACE, rebuild.projection())).isEqualTo(newEnd));
      assertThat(restarted.metrics().materialized()).isEqualTo(20);
    }
    assertThat(cluster.projection(rebuild.table())).hasSize(20).containsEntry("k-0", "4:" + TestEvents.state(4));
    assertThat(cluster.owner("public", rebuild.table())).startsWith(NAMESPACE + "/" + rebuild.projection());
    assertThat(cluster.owner("public", rebuild.shadowTable())).isNull();
  }

  private static Map<String, String> env(String projection, String table, String group) {
    Map<String, String> env = new HashMap<>(cluster.env(TOPIC, projection, table));
    env.put("MATERIALIZER_NAMESPACE", NAMESPACE);
    if (!group.isEmpty()) {
      env.put("MATERIALIZER_GROUP", group);
    }
    return env;
  }

  /** Versions {@code from..to} of keys k-0 .. k-(keys-1). */
  private static void produce(int keys, long from, long to) throws Exception {
    try (KafkaProducer<String, String> producer = cluster.producer()) {
      for (long version = from; version <= to; version++) {
        for (int key = 0; key < keys; key++) {
          producer.send(TestEvents.event(TOPIC, "k-" + key, version)).get();
        }
      }
    }
  }
}
