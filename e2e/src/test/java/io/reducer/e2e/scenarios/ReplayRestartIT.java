package io.reducer.e2e.scenarios;

import static io.reducer.e2e.scenarios.ScenarioCluster.NAMESPACE;
import static io.reducer.e2e.scenarios.ScenarioCluster.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.DlqReplayStatus;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import io.reducer.testsupport.internal.Hold;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DlqReplay across operator restarts: an operator stopped or restarted in any phase of a replay finds the Job it
 * started (or starts none while it waits for approval) and finishes the replay exactly once: one inspect Job and
 * one replay Job, each with one successful pod, each Event once, and every DLQ record once in the target.
 */
class ReplayRestartIT {

  @RegisterExtension
  static final ScenarioCluster cluster = new ScenarioCluster();

  private static final String PIPELINE = "replayrestart";
  private static final int RECORDS = 4_000;

  @BeforeAll
  static void createPipeline() {
    cluster.resources().pipeline(PIPELINE, 1, ScenarioResources.DATABASE_SECRET);
  }

  @Test
  void anOperatorStoppedWhileThePreviewRunsReadsTheSameInspectJob() throws Exception {
    ReplayScenario replay = ReplayScenario.seed(cluster, PIPELINE, "restart-previewing", RECORDS);
    Job job;
    // The inspect Job's pod is held back until the operator has stopped: the stop lands in Previewing.
    try (Hold inspect = cluster.target().holdJobPods(NAMESPACE, replay.inspectJobName())) {
      replay.create("approval: Manual");
      replay.awaitPhase(DlqReplayPhase.Previewing);
      await("the inspect Job appears").atMost(PATIENCE).until(() -> replay.job(replay.inspectJobName()) != null);
      cluster.stopOperator();
      job = replay.job(replay.inspectJobName());
      assertThat(replay.phase()).as("phase when the operator stopped").isEqualTo(DlqReplayPhase.Previewing);
      assertThat(ReplayScenario.succeeded(job)).as("the preview still runs when the operator stops").isFalse();
    }

    // Kubernetes runs the preview to the end while no operator watches.
    await("the inspect Job succeeds without the operator").atMost(PATIENCE)
        .until(() -> ReplayScenario.succeeded(replay.job(replay.inspectJobName())));
    assertThat(replay.phase()).isEqualTo(DlqReplayPhase.Previewing);
    cluster.startOperator();

    DlqReplayStatus status = replay.awaitPhase(DlqReplayPhase.AwaitingApproval);
    assertThat(status.getPreview().getMatched()).isEqualTo(RECORDS);
    assertThat(status.getProgress().getMatched()).isEqualTo(RECORDS);
    assertThat(replay.job(replay.inspectJobName()).getMetadata().getUid()).as("the same Job, not a second one")
        .isEqualTo(job.getMetadata().getUid());
    assertOnePodSucceeded(replay, replay.inspectJobName());
    replay.assertRecordedOnce("PreviewStarted", "PreviewReady", "AwaitingApproval");

    replay.approve();
    assertCompletesOnce(replay);
  }

  @Test
  void anOperatorRestartedWhileTheReplayAwaitsApprovalAndApprovedWhileDownReplaysOnce() throws Exception {
    ReplayScenario replay = ReplayScenario.seed(cluster, PIPELINE, "restart-approval", RECORDS);
    replay.create("approval: Manual");
    assertThat(replay.awaitPhase(DlqReplayPhase.AwaitingApproval).getPreview().getMatched()).isEqualTo(RECORDS);

    cluster.restartOperator();
    cluster.awaitEveryReconciled(DlqReplay.class);
    assertThat(replay.phase()).isEqualTo(DlqReplayPhase.AwaitingApproval);
    assertThat(replay.job(replay.replayJobName())).isNull();

    cluster.stopOperator();
    replay.approve();
    // Nothing left of the stopped operator acts on the approval (no waiting: only an operator creates that Job).
    assertThat(replay.job(replay.replayJobName())).as("no replay Job while no operator runs").isNull();
    assertThat(replay.phase()).isEqualTo(DlqReplayPhase.AwaitingApproval);

    cluster.startOperator();
    assertCompletesOnce(replay);
    replay.assertRecordedOnce("AwaitingApproval");
  }

  @Test
  void anOperatorStoppedWhileTheReplayRunsFindsItsJobFinishedAndSucceedsOnce() throws Exception {
    ReplayScenario replay = ReplayScenario.seed(cluster, PIPELINE, "restart-replaying", RECORDS);
    // The rate limit stretches the replay over ten seconds, so the stop lands mid-way.
    replay.create("ratePerSecond: 400", "approval: Automatic");
    replay.awaitSomeReplayed();
    cluster.stopOperator();
    Job job = replay.job(replay.replayJobName());
    assertThat(replay.phase()).isEqualTo(DlqReplayPhase.Replaying);
    assertThat(replay.replayed()).as("progress when the operator stopped").isLessThan(RECORDS);
    assertThat(ReplayScenario.succeeded(job)).as("the Job still runs when the operator stops").isFalse();

    await("the replay Job succeeds without the operator").atMost(PATIENCE)
        .until(() -> ReplayScenario.succeeded(replay.job(replay.replayJobName())));
    assertThat(replay.phase()).isEqualTo(DlqReplayPhase.Replaying);
    cluster.startOperator();
    assertCompletesOnce(replay);
    assertThat(replay.job(replay.replayJobName()).getMetadata().getUid()).as("the same Job, not a second one")
        .isEqualTo(job.getMetadata().getUid());
  }

  /**
   * The replay succeeds: each of its two Jobs ran one pod, which succeeded; each Event of its way was recorded
   * once; and every DLQ record is in the target once.
   */
  private static void assertCompletesOnce(ReplayScenario replay) {
    DlqReplayStatus status = replay.awaitPhase(DlqReplayPhase.Succeeded);
    assertThat(status.getProgress().getMatched()).isEqualTo(RECORDS);
    assertThat(status.getProgress().getSkipped()).isZero();
    assertThat(status.getProgress().getFailed()).isZero();
    assertOnePodSucceeded(replay, replay.inspectJobName());
    assertOnePodSucceeded(replay, replay.replayJobName());
    replay.assertRecordedOnce("PreviewStarted", "PreviewReady", "ReplayStarted", "ReplaySucceeded");
    replay.assertEveryRecordReplayedOnce();
  }

  private static void assertOnePodSucceeded(ReplayScenario replay, String jobName) {
    Job job = replay.job(jobName);
    assertThat(job.getStatus().getSucceeded()).as("Job %s succeeded", jobName).isEqualTo(1);
    assertThat(job.getStatus().getFailed()).as("failed pods of Job %s", jobName).isNull();
    assertThat(replay.pods(jobName)).as("pods of Job %s", jobName).extracting(p -> p.getStatus().getPhase())
        .containsExactly("Succeeded");
  }
}
