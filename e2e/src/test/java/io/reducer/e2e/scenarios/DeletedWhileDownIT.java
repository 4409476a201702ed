package io.reducer.e2e.scenarios;

import static io.reducer.e2e.scenarios.ScenarioCluster.NAMESPACE;
import static io.reducer.e2e.scenarios.ScenarioCluster.PATIENCE;
import static io.reducer.e2e.scenarios.ScenarioResources.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.DlqReplayStatus;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ProjectionStatus;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.WatermarkResetStatus;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Resources deleted while the operator is down. A WatermarkReset deleted in AwaitingApproval or while its Job runs
 * leaves nothing behind once the operator is back: the projection is no longer held, its materializers consume
 * again, no reset Job or pod remains, and a later reset of the projection completes. A materializer Deployment
 * deleted is created again and the projection catches up. A DlqReplay deleted while it awaits approval leaves no
 * Job and does not block the next replay of its DLQ.
 */
class DeletedWhileDownIT {

  @RegisterExtension
  static final ScenarioCluster cluster = new ScenarioCluster();

  private static final String PIPELINE = "down";
  private static final String PROJECTION = PIPELINE + "-view";
  private static final int RECORDS = 300;
  private static final Duration PHASE_POLL = Duration.ofMillis(10);

  private static WatchedProjection projection;
  private static StateCommittedProducer producer;

  @BeforeAll
  static void createProjection() {
    projection = cluster.pipelineWithProjection(PIPELINE, 2, "scaling: {maxReplicas: 1}");
    producer = cluster.producer(projection.topic());
    producer.produce(RECORDS);
    // Each test leaves the projection caught up and healthy, as it finds it.
    projection.awaitCaughtUp();
    projection.awaitReadyAndHealthy();
  }

  @AfterAll
  static void closeProducer() {
    if (producer != null) {
      producer.close();
    }
  }

  @Test
  void aResetDeletedWhileItAwaitsApprovalLeavesTheProjectionRunningAndALaterResetCompletes() throws Exception {
    cluster.resources().reset("gone-approval", PROJECTION, "target: {type: latest}", "approval: Manual");
    await("the reset awaits approval").atMost(PATIENCE).untilAsserted(() ->
        assertThat(cluster.resources().resetStatus("gone-approval").getPhase())
            .isEqualTo(WatermarkResetPhase.AwaitingApproval));
    assertThat(heldBy()).isEqualTo("gone-approval");
    assertThat(projection.pods().list()).as("materializers while held").isEmpty();

    Instant stopped = stopOperator();
    deleteReset("gone-approval");
    producer.produce(RECORDS);
    cluster.startOperator();
    awaitResetGone("gone-approval");

    assertRunsAgain(stopped);
    assertALaterResetCompletes("after-gone-approval");
  }

  @Test
  void aResetDeletedWhileItsJobRunsLeavesNoJobAndALaterResetCompletes() throws Exception {
    cluster.resources().reset("gone-resetting", PROJECTION, "target: {type: latest}", "approval: Automatic");
    await("the reset Job appears").atMost(PATIENCE).pollInterval(PHASE_POLL)
        .until(() -> job("gone-resetting") != null);
    Instant stopped = stopOperator();
    deleteReset("gone-resetting");
    producer.produce(RECORDS);
    cluster.startOperator();
    awaitResetGone("gone-resetting");
    // Kubernetes' garbage collector, not the operator, removes the Job and its pod once the reset is gone.
    await("the reset Job and its pod are gone").atMost(PATIENCE).untilAsserted(() -> {
      assertThat(job("gone-resetting")).isNull();
      assertThat(jobPods("gone-resetting")).isZero();
    });

    assertRunsAgain(stopped);
    assertALaterResetCompletes("after-gone-resetting");
  }

  @Test
  void aMaterializerDeploymentDeletedWhileTheOperatorIsDownIsCreatedAgainAndCatchesUp() throws Exception {
    String uid = deployment().getMetadata().getUid();
    cluster.stopOperator();
    cluster.client().apps().deployments().inNamespace(NAMESPACE).withName(PROJECTION + "-materializer").delete();
    await("the materializers are gone").atMost(PATIENCE).untilAsserted(() ->
        assertThat(projection.pods().list()).isEmpty());
    producer.produce(RECORDS);
    cluster.startOperator();

    await("the Deployment is created again").atMost(PATIENCE).untilAsserted(() ->
        assertThat(deployment()).isNotNull().extracting(d -> d.getMetadata().getUid()).isNotEqualTo(uid));
    projection.awaitCaughtUp();
    projection.awaitReadyAndHealthy();
    projection.assertEqualsModel();
  }

  @Test
  void aReplayDeletedWhileItAwaitsApprovalLeavesNoJobAndDoesNotBlockTheNextReplayOfItsDlq() throws Exception {
    ReplayScenario gone = ReplayScenario.seed(cluster, PIPELINE, "gone-replay", 200);
    gone.create("approval: Manual");
    gone.awaitPhase(DlqReplayPhase.AwaitingApproval);

    cluster.stopOperator();
    cluster.client().resources(DlqReplay.class).inNamespace(NAMESPACE).withName(gone.name()).delete();
    await("the replay and its inspect Job are gone").atMost(PATIENCE).untilAsserted(() -> {
      assertThat(cluster.client().resources(DlqReplay.class).inNamespace(NAMESPACE).withName(gone.name()).get())
          .isNull();
      assertThat(gone.job(gone.inspectJobName())).isNull();
      assertThat(gone.pods(gone.inspectJobName())).isEmpty();
    });
    cluster.startOperator();

    ReplayScenario next = gone.another("next-replay");
    next.create("approval: Automatic");
    DlqReplayStatus status = next.awaitPhase(DlqReplayPhase.Succeeded);
    assertThat(status.getProgress().getSkipped()).isZero();
    next.assertEveryRecordReplayedOnce();
    assertThat(gone.job(gone.replayJobName())).as("no Job of the deleted replay").isNull();
    assertThat(gone.job(gone.inspectJobName())).as("no Job of the deleted replay").isNull();
  }

  /** Stops the operator; returns a time after its last probe. */
  private static Instant stopOperator() throws Exception {
    cluster.stopOperator();
    return Instant.now();
  }

  /**
   * After the restart the operator has reconciled the projection (a probe of a later second than the stop: probe
   * times are whole seconds), which no longer shows a hold or a pause; its materializers run, consume what was
   * produced meanwhile, and its table equals the model of its topic.
   */
  private static void assertRunsAgain(Instant stopped) throws Exception {
    await("the projection is probed after the restart and no longer held").atMost(PATIENCE).untilAsserted(() -> {
      ProjectionStatus status = projection.status();
      assertThat(status.getLastProbeTime()).isNotNull();
      assertThat(Instant.parse(status.getLastProbeTime())).isAfter(stopped.truncatedTo(ChronoUnit.SECONDS));
      assertThat(heldBy()).isNull();
      assertThat(status.getActiveReset()).isNull();
      assertThat(condition(status, "Paused")).doesNotStartWith("True");
      assertThat(projection.pods().list()).isNotEmpty();
    });
    projection.awaitCaughtUp();
    projection.awaitReadyAndHealthy();
    projection.assertEqualsModel();
  }

  /** A reset of the same projection created later goes through every phase and completes, the epoch one higher. */
  private static void assertALaterResetCompletes(String reset) throws Exception {
    long epoch = cluster.database().epoch(PROJECTION);
    cluster.resources().reset(reset, PROJECTION, "target: {type: latest}", "approval: Automatic");
    await("reset " + reset + " completes").atMost(PATIENCE).untilAsserted(() ->
        assertThat(cluster.resources().resetStatus(reset).getPhase()).isEqualTo(WatermarkResetPhase.Completed));
    WatermarkResetStatus status = cluster.resources().resetStatus(reset);
    assertThat(status.getPlan().getNewEpoch()).isEqualTo(epoch + 1);
    assertThat(cluster.database().epoch(PROJECTION)).isEqualTo(epoch + 1);
    await("the projection runs after the later reset").atMost(PATIENCE).untilAsserted(() ->
        assertThat(heldBy()).isNull());
    projection.awaitCaughtUp();
    projection.awaitReadyAndHealthy();
  }

  /**
   * Deletes the reset while the operator is down: it stays, marked for deletion, because its finalizer is the
   * operator's to remove (a Shadow rebuild must discard its shadow first).
   */
  private static void deleteReset(String reset) {
    cluster.client().resources(WatermarkReset.class).inNamespace(NAMESPACE).withName(reset).delete();
    await("reset " + reset + " is marked for deletion").atMost(PATIENCE).until(() ->
        cluster.client().resources(WatermarkReset.class).inNamespace(NAMESPACE).withName(reset).get()
            .isMarkedForDeletion());
  }

  /** The restarted operator removes the finalizer of the reset deleted while it was down. */
  private static void awaitResetGone(String reset) {
    await("reset " + reset + " is gone").atMost(PATIENCE).until(() ->
        cluster.client().resources(WatermarkReset.class).inNamespace(NAMESPACE).withName(reset).get() == null);
  }

  private static String heldBy() {
    Projection current = cluster.client().resources(Projection.class).inNamespace(NAMESPACE).withName(PROJECTION)
        .get();
    Map<String, String> annotations = current.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get("reducer.io/held-by-reset");
  }

  private static Deployment deployment() {
    return cluster.client().apps().deployments().inNamespace(NAMESPACE).withName(PROJECTION + "-materializer").get();
  }

  private static Job job(String reset) {
    return cluster.client().batch().v1().jobs().inNamespace(NAMESPACE).withName(reset + "-reset").get();
  }

  private static int jobPods(String reset) {
    return cluster.client().pods().inNamespace(NAMESPACE).withLabel("job-name", reset + "-reset").list().getItems()
        .size();
  }
}
