package io.reducer.e2e.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kill -9 of a replay pod mid-way: Kubernetes starts another pod of the Job, which resumes after the last committed
 * transaction, and a read_committed consumer of the target sees every DLQ record of the snapshot exactly once.
 */
class ReplayKillIT {

  @RegisterExtension
  static final ScenarioCluster cluster = new ScenarioCluster();

  private static final int RECORDS = 6_000;

  @Test
  void aKilledReplayPodIsRetriedAndEveryRecordLandsOnce() throws Exception {
    cluster.resources().pipeline("replaykill", 1, ScenarioResources.DATABASE_SECRET);
    ReplayScenario replay = ReplayScenario.seed(cluster, "replaykill", "repair", RECORDS);
    // The rate limit stretches the replay over a few seconds, so the kill lands mid-way.
    replay.create("ratePerSecond: 1000", "approval: Manual");
    assertThat(replay.awaitPhase(DlqReplayPhase.AwaitingApproval).getPreview().getMatched()).isEqualTo(RECORDS);

    replay.approve();
    replay.awaitSomeReplayed();
    cluster.killPod(replay.runningPod(replay.replayJobName()).getMetadata().getName());

    replay.awaitPhase(DlqReplayPhase.Succeeded);
    Job job = replay.job(replay.replayJobName());
    assertThat(job.getStatus().getFailed()).as("the killed pod counts as a failure").isEqualTo(1);
    assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
    replay.assertEveryRecordReplayedOnce();
  }
}
