package io.reducer.workloads.reducer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.reducer.workloads.materializer.TestCluster;
import io.reducer.workloads.reducer.ReducerTestKit.ActionStream;
import io.reducer.workloads.reducer.ReducerTestKit.InProcessReducer;

/**
 * A PostgreSQL restart, then a broker restart, each while actions stream in and a reducer runs: the reducer rides
 * both out without a restart of its own, loses no action, applies none twice, publishes every version and sends
 * nothing to the DLQ.
 */
class ReducerResilienceIT {

  private static final int PARTITIONS = 3;
  private static final int KEYS = 30;
  private static final int TOTAL = 4000;
  private static final int PER_SECOND = 1000;
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
  void aPostgresRestartUnderLoadLosesNothingAndAppliesNothingTwice() throws Exception {
    ReducerTestKit kit = new ReducerTestKit(cluster, "db-restart", PARTITIONS);
    try (InProcessReducer reducer = new InProcessReducer(env(kit), "pg")) {
      ActionStream stream = new ActionStream(kit, "wf", KEYS, TOTAL, PER_SECOND, TOTAL / 2);
      awaitApplied(kit, TOTAL / 5);
      assertThat(stream.acknowledged()).as("still producing when PostgreSQL goes down").isLessThan(TOTAL);
      long appliedBefore = kit.applied();
      stream.release();
      cluster.postgres.restart();
      assertThat(appliedBefore).isLessThan(TOTAL);

      assertConverged(kit, stream.awaitModel());
      assertThat(reducer.running()).as("rode the restart out").isTrue();
    }
  }

  @Test
  void aBrokerRestartUnderLoadLosesNothingAndAppliesNothingTwice() throws Exception {
    ReducerTestKit kit = new ReducerTestKit(cluster, "broker-restart", PARTITIONS);
    try (InProcessReducer reducer = new InProcessReducer(env(kit), "broker")) {
      ActionStream stream = new ActionStream(kit, "wf", KEYS, TOTAL, PER_SECOND, TOTAL / 2);
      awaitApplied(kit, TOTAL / 5);
      assertThat(stream.acknowledged()).as("still producing when the broker goes down").isLessThan(TOTAL);
      long appliedBefore = kit.applied();
      stream.release();
      cluster.broker.restart();
      assertThat(appliedBefore).isLessThan(TOTAL);

      assertConverged(kit, stream.awaitModel());
      assertThat(reducer.running()).as("rode the restart out").isTrue();
    }
  }

  private static Map<String, String> env(ReducerTestKit kit) {
    Map<String, String> env = kit.loopEnv();
    env.put("REDUCER_MAX_RECORDS", "50");
    return env;
  }

  private static void awaitApplied(ReducerTestKit kit, long actions) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
        .until(() -> kit.applied() >= actions);
  }

  /** Every action applied once, every version published, nothing given up or dead-lettered. */
  private static void assertConverged(ReducerTestKit kit, Map<String, Long> model) throws Exception {
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .untilAsserted(() -> {
          assertThat(kit.versions()).isEqualTo(model);
          assertThat(kit.backlog()).isZero();
        });
    assertThat(kit.historyHoles()).isEmpty();
    assertThat(kit.count("SELECT count(*) FROM {schema}.workflow_state_history WHERE event_type = 'STATE_COMMITTED'"))
        .isEqualTo(TOTAL);
    assertThat(kit.count("SELECT count(DISTINCT action_id) FROM {schema}.workflow_state_history "
        + "WHERE event_type = 'STATE_COMMITTED'")).isEqualTo(TOTAL);
    assertThat(kit.count("SELECT last_sequence FROM {schema}.reducer_outbox_head")).isEqualTo(TOTAL);
    assertThat(kit.count("SELECT count(*) FROM {schema}.reducer_gaveup_log")).isZero();
    assertThat(cluster.readAll(kit.dlq, 1)).isEmpty();
    // Every (key, version) on the topic; a batch published again after a failed cursor update is allowed.
    assertThat(kit.publishedSets(PARTITIONS)).isEqualTo(ReducerTestKit.oneToNSets(model));
  }
}
