package io.reducer.e2e.scenarios;

import static io.reducer.e2e.scenarios.ScenarioCluster.NAMESPACE;
import static io.reducer.e2e.scenarios.ScenarioCluster.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.reducer.api.v1alpha1.WatermarkResetStatus;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kill -9 of a materializer pod while events stream in (on a real cluster: a forced delete): Kubernetes restarts the
 * container in place (or replaces the pod), the projection catches up, and its table is exactly the model of the
 * topic. Nothing lost (every key at its newest version) and nothing applied twice (no process skipped an event as already applied, which a replayed batch would cause).
 * The time until every partition's watermark moves again is printed (docs/benchmarks.md records it); it is not
 * asserted. Then a materializer killed and deleted at once leaves its static member in the group, and a
 * WatermarkReset still finds the group empty and completes.
 */
class MaterializerKillIT {

  @RegisterExtension
  static final ScenarioCluster cluster = new ScenarioCluster();

  private static final int PARTITIONS = 3;

  @Test
  void aKilledMaterializerRestartsAndTheProjectionEqualsTheTopicWithoutLossOrDoubleApply() throws Exception {
    // The defaults: static members named after their pods, a 10 s session (docs/materializer.md).
    WatchedProjection projection = cluster.pipelineWithProjection("kill", PARTITIONS);
    MaterializerPods pods = projection.pods();

    List<Pod> before;
    try (StateCommittedProducer producer = cluster.producer(projection.topic())) {
      producer.produce(600);
      projection.awaitReadyAndHealthy();
      producer.startPaced(300);
      projection.awaitApplying(300);

      before = pods.list();
      cluster.killPod(before.get(0).getMetadata().getName());
      long killed = System.nanoTime();
      Map<Integer, Long> atKill = cluster.database().watermarks(projection.name());
      Map<Integer, Double> movedAfter = new TreeMap<>();
      // The restarted container rejoins under its pod's name and gets the killed process's partitions back at once;
      // the other materializers are not stopped by a rebalance.
      await("every partition's watermark moves again").atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
          .until(() -> {
            cluster.database().watermarks(projection.name()).forEach((partition, next) -> {
              if (next > atKill.getOrDefault(partition, Long.MAX_VALUE)) {
                movedAfter.putIfAbsent(partition, (System.nanoTime() - killed) / 1e9);
              }
            });
            return movedAfter.keySet().containsAll(atKill.keySet());
          });
      // On a kubeconfig target the kill is a forced delete (on the local cluster behind it: SIGTERM, a clean leave).
      double stall = movedAfter.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      System.out.printf("materializer %s: every partition's watermark moved again %.2f s after the kill"
          + " (per partition, s: %s; bar 10 s; load average %s)%n",
          cluster.target() instanceof LocalTarget ? "kill -9" : "forced delete", stall, movedAfter, loadAverage());
      await("the killed materializer runs again").atMost(PATIENCE).untilAsserted(() -> {
        assertThat(pods.recoveriesSince(before)).isEqualTo(1);
        assertThat(pods.list()).hasSize(PARTITIONS);
      });
      // Traffic goes on until the restarted materializers have applied some of it: the kill's aftermath is under load.
      projection.awaitApplying(300);
      assertThat(producer.sent()).as("events kept coming across the kill").isGreaterThan(900);
      producer.stop();
    }

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

    resetAfterAKilledAndDeletedMaterializer(projection, after.get(0).getMetadata().getName());
  }

  /**
   * A pod killed and deleted before its container restarts (a forced delete, a lost node) leaves its static member in
   * the group until the session expires. The reset removes it, never a live member, finds the group empty, and fences
   * with a new epoch; the table stays the model of the topic.
   */
  private static void resetAfterAKilledAndDeletedMaterializer(WatchedProjection projection, String victim)
      throws Exception {
    String group = "reducer." + NAMESPACE + "." + projection.name();
    long epoch = cluster.database().epoch(projection.name());
    cluster.killPod(victim);
    cluster.client().pods().inNamespace(NAMESPACE).withName(victim).withGracePeriod(0).delete();
    Set<String> staleAtStart = Set.copyOf(staticMembers(group));
    if (cluster.target() instanceof LocalTarget) {
      // The local cluster restarts a killed container after 1 s; the pod was deleted before that.
      assertThat(staleAtStart).as("static members right after the kill and delete").contains(victim);
    }

    long created = System.nanoTime();
    cluster.resources().reset("after-kill", projection.name(), "target: {type: latest}", "approval: Automatic");
    await("the reset leaves Quiescing").atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
      WatermarkResetPhase phase = cluster.resources().resetStatus("after-kill").getPhase();
      return phase != null && phase != WatermarkResetPhase.Pending && phase != WatermarkResetPhase.Quiescing;
    });
    System.out.printf("reset after kill -9 and delete: group empty and plan made %.2f s after the reset was created"
        + " (dead pod's static member present at the start: %s; session timeout 10 s)%n",
        (System.nanoTime() - created) / 1e9, staleAtStart.contains(victim));
    await("the reset completes").atMost(PATIENCE).until(() ->
        cluster.resources().resetStatus("after-kill").getPhase() == WatermarkResetPhase.Completed);
    WatermarkResetStatus status = cluster.resources().resetStatus("after-kill");
    assertThat(status.getPlan().getNewEpoch()).isEqualTo(epoch + 1);
    assertThat(cluster.database().epoch(projection.name())).isEqualTo(epoch + 1);
    assertThat(staticMembers(group)).as("the dead pod's member is gone").doesNotContain(victim);
    projection.awaitCaughtUp();
    projection.awaitReadyAndHealthy();
    projection.assertEqualsModel();
  }

  private static List<String> staticMembers(String group) throws Exception {
    try (Admin admin = Admin.create(cluster.kafkaClientProperties())) {
      return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get().members().stream()
          .flatMap(member -> member.groupInstanceId().stream()).toList();
    }
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
