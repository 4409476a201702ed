package io.reducer.controller.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobOutcomeTest {

  @Test
  void aRunningJobReportsTheLastFailedAttempt() {
    Job job = new JobBuilder().withNewStatus().withActive(1).withFailed(1).endStatus().build();
    JobOutcome outcome = JobOutcome.of(job, List.of(pod("Failed", "2026-01-01T00:00:01Z", "{\"result\":\"Failed\"}"),
        pod("Running", null, null)));

    assertThat(outcome.state()).isEqualTo(JobOutcome.State.RUNNING);
    assertThat(outcome.failedPods()).isEqualTo(1);
    assertThat(outcome.terminationMessage()).isEqualTo("{\"result\":\"Failed\"}");
  }

  @Test
  void aCompleteJobCarriesItsSucceededPodsMessage() {
    Job job = new JobBuilder().withNewStatus().withSucceeded(1).withFailed(1)
        .addNewCondition().withType("Complete").withStatus("True").endCondition().endStatus().build();
    JobOutcome outcome = JobOutcome.of(job, List.of(pod("Failed", "2026-01-01T00:00:01Z", "first try"),
        pod("Succeeded", "2026-01-01T00:00:05Z", "{\"result\":\"Completed\"}")));

    assertThat(outcome.state()).isEqualTo(JobOutcome.State.SUCCEEDED);
    assertThat(outcome.terminationMessage()).isEqualTo("{\"result\":\"Completed\"}");
  }

  @Test
  void aFailedJobNamesKubernetesReasonAndTheNewestFailure() {
    Job job = new JobBuilder().withNewStatus().withFailed(2)
        .addNewCondition().withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
        .withMessage("Job has reached the specified backoff limit").endCondition().endStatus().build();
    JobOutcome outcome = JobOutcome.of(job, List.of(pod("Failed", "2026-01-01T00:00:09Z", "second"),
        pod("Failed", "2026-01-01T00:00:01Z", "first")));

    assertThat(outcome.state()).isEqualTo(JobOutcome.State.FAILED);
    assertThat(outcome.reason()).isEqualTo("BackoffLimitExceeded");
    assertThat(outcome.terminationMessage()).isEqualTo("second");
  }

  @Test
  void withoutAnyPodMessageTheConditionMessageIsKept() {
    Job job = new JobBuilder().withNewStatus().addNewCondition().withType("Failed").withStatus("True")
        .withReason("DeadlineExceeded").withMessage("Job was active longer than specified deadline").endCondition()
        .endStatus().build();
    JobOutcome outcome = JobOutcome.of(job, List.of());

    assertThat(outcome.reason()).isEqualTo("DeadlineExceeded");
    assertThat(outcome.terminationMessage()).contains("deadline");
  }

  @Test
  void aRunningJobWhosePodCannotPullItsImageSaysSo() {
    Job job = new JobBuilder().withNewStatus().withActive(1).endStatus().build();
    Pod waiting = new PodBuilder().withNewMetadata().withName("fix-replay-x2k9q").endMetadata().withNewStatus()
        .withPhase("Pending").addNewContainerStatus().withName("c").withNewState().withNewWaiting()
        .withReason("ImagePullBackOff").withMessage("Back-off pulling image \"registry.example/workloads:9\"")
        .endWaiting().endState().endContainerStatus().endStatus().build();

    JobOutcome outcome = JobOutcome.of(job, List.of(waiting));

    assertThat(outcome.state()).isEqualTo(JobOutcome.State.RUNNING);
    assertThat(outcome.podNotStarting()).isEqualTo("pod fix-replay-x2k9q: ImagePullBackOff: Back-off pulling image "
        + "\"registry.example/workloads:9\"");
  }

  @Test
  void aPodWithoutANodeOrWithAMissingSecretIsNotStartingButOneBeingCreatedIs() {
    Job job = new JobBuilder().withNewStatus().withActive(1).endStatus().build();
    Pod unschedulable = new PodBuilder().withNewMetadata().withName("a").endMetadata().withNewStatus()
        .withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
        .withReason("Unschedulable").withMessage("0/3 nodes are available: 3 Insufficient memory.").endCondition()
        .endStatus().build();
    Pod noSecret = waitingPod("b", "CreateContainerConfigError", "secret \"pg\" not found");
    Pod creating = waitingPod("c", "ContainerCreating", null);

    assertThat(JobOutcome.of(job, List.of(unschedulable)).podNotStarting())
        .isEqualTo("pod a: Unschedulable: 0/3 nodes are available: 3 Insufficient memory.");
    assertThat(JobOutcome.of(job, List.of(noSecret)).podNotStarting())
        .isEqualTo("pod b: CreateContainerConfigError: secret \"pg\" not found");
    assertThat(JobOutcome.of(job, List.of(creating)).podNotStarting()).isNull();
    assertThat(JobOutcome.of(job, List.of(pod("Running", null, null))).podNotStarting()).isNull();
  }

  private static Pod waitingPod(String name, String reason, String message) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus().withPhase("Pending")
        .addNewContainerStatus().withName("c").withNewState().withNewWaiting().withReason(reason)
        .withMessage(message).endWaiting().endState().endContainerStatus().endStatus().build();
  }

  private static Pod pod(String phase, String finishedAt, String message) {
    PodBuilder pod = new PodBuilder().withNewStatus().withPhase(phase).endStatus();
    if (finishedAt != null) {
      pod.editStatus().addNewContainerStatus().withName("c").withNewState().withNewTerminated()
          .withFinishedAt(finishedAt).withMessage(message).withExitCode("Succeeded".equals(phase) ? 0 : 1)
          .endTerminated().endState().endContainerStatus().endStatus();
    }
    return pod.build();
  }
}
