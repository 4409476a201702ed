package io.reducer.e2e.scenarios;

import static io.reducer.e2e.scenarios.ScenarioCluster.NAMESPACE;
import static io.reducer.e2e.scenarios.ScenarioCluster.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kill -9 of a materializer pod while events stream in (on a real cluster: a forced delete): Kubernetes restarts the
 * container in place (or replaces the pod), the projection catches up, and its table is exactly the model of the
 * topic. Nothing lost (every key at its newest version) and nothing applied twice (no process skipped an event as already applied, which a replayed batch would cause).
 */
class MaterializerKillIT {

  @RegisterExtension
  static final ScenarioCluster cluster = new ScenarioCluster();

  private static final int PARTITIONS = 3;

  @Test
  void aKilledMaterializerRestartsAndTheProjectionEqualsTheTopicWithoutLossOrDoubleApply() throws Exception {
    // A 10 s session instead of Kafka's 45 s: the partitions of a killed member move sooner (docs/materializer.md).
    WatchedProjection projection = cluster.pipelineWithProjection("kill", PARTITIONS,
        "materializer: {sessionTimeoutMs: 10000}");
    MaterializerPods pods = projection.pods();

    List<Pod> before;
    try (StateCommittedProducer producer = cluster.producer(projection.topic())) {
      producer.produce(600);
      projection.awaitReadyAndHealthy();
      producer.startPaced(300);
      projection.awaitApplying(300);

      before = pods.list();
      cluster.killPod(before.get(0).getMetadata().getName());
      await("the killed materializer runs again").atMost(PATIENCE).untilAsserted(() -> {
        assertThat(pods.recoveriesSince(before)).isEqualTo(1);
        assertThat(pods.list()).hasSize(PARTITIONS);
      });
      Thread.sleep(2_000);
      assertThat(producer.sent()).as("events kept coming across the kill").isGreaterThan(900);
      producer.stop();
    }

    // The restarted container joins the group as a new member, and the rebalance waits for the killed member's
    // session (10 s here) to expire; until then no partition of the projection moves.
    projection.awaitCaughtUp();
    projection.awaitReadyAndHealthy();
    projection.assertEqualsModel();
    List<Pod> after = pods.list();
    assertThat(after).hasSize(PARTITIONS);
    assertThat(pods.recoveriesSince(before)).as("one restart or replacement, the kill's").isEqualTo(1);
    double duplicates = 0;
    double deadLettered = 0;
    for (Pod pod : after) {
      duplicates += pods.metric(pod.getMetadata().getName(), "projection_materializer_duplicate_events_skipped_total");
      deadLettered += pods.metric(pod.getMetadata().getName(), "projection_materializer_projections_failed_total");
    }
    assertThat(duplicates).as("events found already applied (a batch applied twice)").isZero();
    assertThat(deadLettered).as("poison records sent to the DLQ").isPositive();
  }
}
