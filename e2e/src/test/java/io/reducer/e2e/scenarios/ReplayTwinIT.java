package io.reducer.e2e.scenarios;

import static io.reducer.e2e.scenarios.ScenarioCluster.NAMESPACE;
import static io.reducer.e2e.scenarios.ScenarioCluster.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two processes of the same replay at once: a second pod with the replay pod's spec starts while the Job's pod is
 * mid-way, as when a node stops answering and a replacement pod starts while the old one still runs, or when an SRE
 * runs the same {@code workloads dlq replay} by hand. They share the transactional.id
 * {@code reducer-dlq-replay.<namespace>.<name>}: each newcomer fences the process before it (exit code 3, "fenced"),
 * its open transaction is aborted, and it resumes after the last committed one. The replay succeeds and a
 * read_committed consumer of the target sees every DLQ record exactly once.
 */
class ReplayTwinIT {

  @RegisterExtension
  static final ScenarioCluster cluster = new ScenarioCluster();

  private static final int RECORDS = 6_000;
  private static final int FENCED = 3;

  @Test
  void aSecondProcessOfTheSameReplayFencesTheFirstAndEveryRecordLandsOnce() throws Exception {
    cluster.resources().pipeline("replaytwin", 1, ScenarioResources.DATABASE_SECRET);
    ReplayScenario replay = ReplayScenario.seed(cluster, "replaytwin", "twin", RECORDS);
    // Twenty seconds per process at this rate: the twin starts long before the Job's pod could finish.
    replay.create("ratePerSecond: 300", "approval: Automatic");
    replay.awaitSomeReplayed();
    Pod first = replay.runningPod(replay.replayJobName());
    String twin = replay.replayJobName() + "-twin";
    try {
      cluster.client().pods().inNamespace(NAMESPACE).resource(new PodBuilder()
          .withNewMetadata().withName(twin).withNamespace(NAMESPACE).endMetadata()
          .withSpec(new PodSpecBuilder(first.getSpec()).withRestartPolicy("Never").build())
          .build()).create();

      replay.awaitPhase(DlqReplayPhase.Succeeded);
      await("the twin ends").atMost(PATIENCE).until(() -> terminated(pod(twin)) != null);

      // The Job's pod was fenced by the twin; the Job counted it as a failed attempt and its next pod finished.
      ContainerStateTerminated fenced = terminated(pod(first.getMetadata().getName()));
      assertThat(fenced.getExitCode()).as("exit code of the Job's first pod").isEqualTo(FENCED);
      assertThat(fenced.getMessage()).contains("fenced: another process of replay 'e2e.twin'");
      Job job = replay.job(replay.replayJobName());
      assertThat(job.getStatus().getFailed()).as("the fenced pod counts as a failure").isEqualTo(1);
      assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
      assertThat(replay.pods(replay.replayJobName())).extracting(p -> terminated(p).getExitCode())
          .containsExactlyInAnyOrder(FENCED, 0);
      // The twin in turn was fenced by the Job's next pod, unless it had finished the snapshot before that one began.
      ContainerStateTerminated twinEnd = terminated(pod(twin));
      assertThat(twinEnd.getExitCode()).as("exit code of the twin: %s", twinEnd.getMessage()).isIn(FENCED, 0);
      if (twinEnd.getExitCode() == FENCED) {
        assertThat(twinEnd.getMessage()).contains("fenced: another process of replay 'e2e.twin'");
      }

      replay.assertRecordedOnce("ReplayStarted", "ReplaySucceeded");
      replay.assertEveryRecordReplayedOnce();
    } finally {
      cluster.client().pods().inNamespace(NAMESPACE).withName(twin).delete();
    }
  }

  private static Pod pod(String name) {
    return cluster.client().pods().inNamespace(NAMESPACE).withName(name).get();
  }

  /** How the pod's container ended, or null while it has not. */
  private static ContainerStateTerminated terminated(Pod pod) {
    if (pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses().isEmpty()) {
      return null;
    }
    return pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
  }
}
