package io.reducer.e2e.scenarios;

import static io.reducer.e2e.scenarios.ScenarioCluster.NAMESPACE;
import static io.reducer.e2e.scenarios.ScenarioCluster.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.WatermarkResetStatus;
import io.reducer.api.v1alpha1.reset.PartitionPlan;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import io.reducer.testsupport.internal.Hold;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WatermarkReset under faults. A materializer that escaped the reset (started by hand, in another consumer group)
 * is fenced by the new epoch and writes nothing after it; an operator restarted in any phase of a reset
 * finishes it exactly once: one Job, one successful pod, the epoch one higher. And a repair from the canonical store
 * fixes stale rows while the materializers keep running, moving none back.
 */
class ResetScenariosIT {

  @RegisterExtension
  static final ScenarioCluster cluster = new ScenarioCluster();

  private static final String PROJECTION = "rs-view";
  private static final int PARTITIONS = 3;
  private static final Duration PHASE_POLL = Duration.ofMillis(10);

  private static WatchedProjection projection;
  private static StateCommittedProducer producer;

  @BeforeAll
  static void createProjection() {
    // One materializer for the three partitions: every reset stops and starts one JVM, not three.
    projection = cluster.pipelineWithProjection("rs", PARTITIONS, "scaling: {maxReplicas: 1}");
    producer = cluster.producer(projection.topic());
    producer.produce(600);
  }

  @AfterAll
  static void closeProducer() {
    if (producer != null) {
      producer.close();
    }
  }

  @BeforeEach
  void projectionRunsAndIsCaughtUp() {
    projection.awaitCaughtUp();
    projection.awaitReadyAndHealthy();
  }

  @Test
  void aZombieMaterializerWritesNothingAfterARebuildAndIsFenced() throws Exception {
    try (HandStartedMaterializer zombie = HandStartedMaterializer.likeDeployment(cluster.target(),
        PROJECTION + "-materializer", Map.of("MATERIALIZER_GROUP", "escaped-from-the-reset",
            "MATERIALIZER_HTTP_PORT", "0"))) {
      await("the zombie materializes").atMost(PATIENCE).until(() -> zombie.log().contains("resuming at offset"));
      producer.produce(120);
      projection.awaitCaughtUp();
      long epoch = cluster.database().epoch(PROJECTION);
      Map<Integer, Long> end = new TopicModel(cluster.kafkaBootstrapServers())
          .endOffsets(projection.topic());
      String offsets = end.entrySet().stream()
          .map(e -> "{partition: " + e.getKey() + ", offset: " + e.getValue() / 2 + "}")
          .collect(Collectors.joining(", ", "[", "]"));

      cluster.resources().reset("rebuild-half", PROJECTION, "target: {type: offset, offsets: " + offsets + "}",
          "rebuild: true", "approval: Automatic");
      WatermarkResetStatus done = assertCompletesOnce("rebuild-half", epoch);
      assertThat(zombie.isAlive()).as("the zombie was outside the group the reset waited for").isTrue();
      producer.produce(120);

      assertThat(zombie.awaitExit(PATIENCE)).as("exit code of the zombie:\n%s", zombie.log()).isEqualTo(3);
      assertThat(zombie.log()).contains("FENCED").contains("this process holds epoch " + epoch + " (a reset happened)");
      projection.awaitCaughtUp();
      projection.assertEqualsModelFrom(done.getPlan().getPartitions().stream()
          .collect(Collectors.toMap(PartitionPlan::getPartition, PartitionPlan::getNewOffset)));
    }
  }

  @Test
  void anOperatorRestartedWhileTheResetWaitsForALiveConsumerFinishesItOnce() throws Exception {
    long epoch;
    try (LiveGroupMember member = new LiveGroupMember(cluster.kafkaBootstrapServers(),
        "reducer." + NAMESPACE + "." + PROJECTION, projection.topic())) {
      epoch = resetToLatest("restart-quiescing", "Automatic");
      awaitWaitingForTheMember("restart-quiescing");

      cluster.restartOperator();
      awaitWaitingForTheMember("restart-quiescing");
      assertThat(job("restart-quiescing")).isNull();
    }
    assertCompletesOnce("restart-quiescing", epoch);
  }

  @Test
  void anOperatorRestartedWhileTheResetAwaitsApprovalFinishesItOnce() throws Exception {
    long epoch = resetToLatest("restart-approval", "Manual");
    awaitPhase("restart-approval", WatermarkResetPhase.AwaitingApproval);

    cluster.restartOperator();
    cluster.awaitEveryReconciled(WatermarkReset.class);
    assertThat(phase("restart-approval")).isEqualTo(WatermarkResetPhase.AwaitingApproval);
    assertThat(job("restart-approval")).isNull();

    cluster.resources().approve("restart-approval");
    assertCompletesOnce("restart-approval", epoch);
  }

  @Test
  void anOperatorStoppedAsTheJobStartsFindsItFinishedAndCompletesTheResetOnce() throws Exception {
    long epoch = resetToLatest("restart-resetting", "Automatic");
    await("the reset Job appears").atMost(PATIENCE).pollInterval(PHASE_POLL)
        .until(() -> job("restart-resetting") != null);
    cluster.stopOperator();
    String uid = job("restart-resetting").getMetadata().getUid();

    // Kubernetes runs the Job to the end while no operator watches.
    await("the Job succeeds without the operator").atMost(PATIENCE).until(() -> {
      Job job = job("restart-resetting");
      return job.getStatus() != null && Integer.valueOf(1).equals(job.getStatus().getSucceeded());
    });
    cluster.startOperator();
    assertCompletesOnce("restart-resetting", epoch);
    assertThat(job("restart-resetting").getMetadata().getUid()).as("the same Job, not a second one").isEqualTo(uid);
  }

  @Test
  void anOperatorStoppedWhileTheResetResumesCompletesItOnce() throws Exception {
    String reset = "restart-resuming";
    // Resuming ends with the projection's first status write after the hold is released. That status is refused
    // from Resetting on (before, the reset needs it to show the projection quiesced), and the Job's pod is held back
    // until then: the operator stops in Resuming, however fast the reset runs.
    long epoch;
    try (Hold job = cluster.target().holdJobPods(NAMESPACE, reset + "-reset")) {
      epoch = resetToLatest(reset, "Automatic");
      awaitPhase(reset, WatermarkResetPhase.Resetting);
      try (Hold status = cluster.target().refuseWrites("/apis/reducer.io/v1alpha1/namespaces/" + NAMESPACE
          + "/projections/" + PROJECTION + "/status")) {
        job.close(); // the Job runs now; its success moves the reset to Resuming, where it stays
        awaitPhase(reset, WatermarkResetPhase.Resuming);
        cluster.stopOperator();
      }
    }
    assertThat(phase(reset)).as("phase when the operator stopped").isEqualTo(WatermarkResetPhase.Resuming);
    assertThat(projection.status().getActiveReset()).as("the projection's status still names the reset")
        .isEqualTo(reset);

    cluster.startOperator();
    assertCompletesOnce(reset, epoch);
  }

  @Test
  void aRepairFromTheCanonicalStoreFixesTheStaleRowsWhileTheMaterializersKeepRunning() throws Exception {
    String table = "rs_view";
    ReadModel database = cluster.database();
    // The reducers' canonical store (their replicas are 0 here, so every row is the test's), made as they would have
    // it: every key of the projection at its version, and 15 keys the producer never writes, whose rows the
    // projection lost: 10 are a version behind and 5 are missing.
    database.execute("CREATE TABLE IF NOT EXISTS workflow_state (workflow_key text PRIMARY KEY, "
        + "version bigint NOT NULL, state text NOT NULL, namespace text, tag text, last_action text, "
        + "correlation_id text, updated_at timestamptz NOT NULL DEFAULT now())");
    try {
      database.execute("INSERT INTO workflow_state (workflow_key, version, state) SELECT workflow_key, version, state "
          + "FROM " + table);
      database.execute("INSERT INTO workflow_state (workflow_key, version, state, last_action) SELECT 'lost-' || i, "
          + "3, 'DONE', 'finish' FROM generate_series(1, 15) i");
      database.execute("INSERT INTO " + table + " (workflow_key, version, state) SELECT 'lost-' || i, 2, 'OPEN' "
          + "FROM generate_series(1, 10) i");
      assertThat(database.staleRows(table)).isEqualTo(15);
      Map<String, Long> before = versions(table);
      List<String> materializers = projection.pods().list().stream().map(p -> p.getMetadata().getUid()).toList();

      cluster.resources().reset("repair-canonical", PROJECTION, "rebuildSource: Canonical", "approval: Automatic");
      producer.produce(120); // the materializers apply these meanwhile
      WatermarkResetStatus done = awaitPhase("repair-canonical", WatermarkResetPhase.Completed);

      assertThat(done.getRepair().getRowsExamined()).isEqualTo(15);
      assertThat(done.getRepair().getRowsRepaired()).isEqualTo(15);
      assertThat(done.getHistory()).extracting(t -> t.getPhase())
          .containsExactly("Pending", "Repairing", "Resuming", "Completed");
      projection.awaitCaughtUp();
      assertThat(database.staleRows(table)).as("the runbooks' consistency query").isZero();
      assertThat(database.table(table)).containsEntry("lost-1", "3:DONE").containsEntry("lost-15", "3:DONE");
      Map<String, Long> after = versions(table);
      before.forEach((key, version) -> assertThat(after.get(key)).as("version of %s", key).isGreaterThanOrEqualTo(
          version));
      assertThat(projection.pods().list().stream().map(p -> p.getMetadata().getUid()).toList())
          .as("the same materializer pods, never stopped").containsExactlyInAnyOrderElementsOf(materializers);
    } finally {
      database.execute("DELETE FROM " + table + " WHERE workflow_key LIKE 'lost-%'");
      database.execute("DELETE FROM workflow_state");
    }
  }

  private static Map<String, Long> versions(String table) throws Exception {
    return cluster.database().table(table).entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
        e -> Long.parseLong(e.getValue().substring(0, e.getValue().indexOf(':')))));
  }

  /** Applies a reset of the projection to the latest offsets; returns the epoch before it. */
  private static long resetToLatest(String reset, String approval) throws Exception {
    long epoch = cluster.database().epoch(PROJECTION);
    cluster.resources().reset(reset, PROJECTION, "target: {type: latest}", "approval: " + approval);
    return epoch;
  }

  private static void awaitWaitingForTheMember(String reset) {
    await("the reset waits for the live member").atMost(PATIENCE).untilAsserted(() -> {
      WatermarkResetStatus status = cluster.resources().resetStatus(reset);
      assertThat(status.getPhase()).isEqualTo(WatermarkResetPhase.Quiescing);
      assertThat(status.getMessage()).contains(LiveGroupMember.CLIENT_ID);
      assertThat(projection.pods().list()).isEmpty();
    });
  }

  /** The reset completes: the epoch one higher, as planned, and one Job that ran one pod, started once. */
  private static WatermarkResetStatus assertCompletesOnce(String reset, long epochBefore) throws Exception {
    WatermarkResetStatus status = awaitPhase(reset, WatermarkResetPhase.Completed);
    assertThat(status.getPlan().getCurrentEpoch()).isEqualTo(epochBefore);
    assertThat(status.getPlan().getNewEpoch()).isEqualTo(epochBefore + 1);
    assertThat(cluster.database().epoch(PROJECTION)).isEqualTo(epochBefore + 1);
    Job job = job(reset);
    assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
    assertThat(job.getStatus().getFailed()).isNull();
    List<Pod> pods = cluster.client().pods().inNamespace(NAMESPACE).withLabel("job-name", reset + "-reset").list()
        .getItems();
    assertThat(pods).extracting(p -> p.getStatus().getPhase()).containsExactly("Succeeded");
    assertThat(cluster.client().v1().events().inNamespace(NAMESPACE).list().getItems())
        .filteredOn(e -> e.getInvolvedObject().getName().equals(reset) && e.getReason().equals("ResetStarted"))
        .singleElement().extracting(e -> e.getCount()).isEqualTo(1);
    return status;
  }

  private static WatermarkResetStatus awaitPhase(String reset, WatermarkResetPhase phase) {
    await("reset " + reset + " reaches " + phase).atMost(PATIENCE).untilAsserted(() ->
        assertThat(phase(reset)).isEqualTo(phase));
    return cluster.resources().resetStatus(reset);
  }

  private static WatermarkResetPhase phase(String reset) {
    return cluster.resources().resetStatus(reset).getPhase();
  }

  private static Job job(String reset) {
    return cluster.client().batch().v1().jobs().inNamespace(NAMESPACE).withName(reset + "-reset").get();
  }
}
