package io.reducer.controller.projection;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.reducer.controller.projection.MaterializerFailure.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What kubelet and the Deployment controller report, condensed into the one failure a Projection shows. */
class MaterializerPodsTest {

  private static final String IMAGE = "registry.example.com/reducer-workloads:9.9";

  @Test
  void readyAndStartingPodsAreNoFailure() {
    assertThat(MaterializerPods.condense(deployment(), List.of(running("view-materializer-a", true, 0),
        starting("view-materializer-b")))).isNull();
    assertThat(MaterializerPods.condense(null, List.of())).isNull();
  }

  @Test
  void anImageThatCannotBePulledNamesTheImageAndKeepsOneCauseThroughTheBackOff() {
    MaterializerFailure pull = MaterializerPods.condense(deployment(), List.of(waiting("view-materializer-a",
        "ErrImagePull", "failed to pull and unpack image: not found")));
    MaterializerFailure backOff = MaterializerPods.condense(deployment(), List.of(waiting("view-materializer-a",
        "ImagePullBackOff", "Back-off pulling image \"" + IMAGE + "\"")));

    assertThat(pull.reason()).isEqualTo(Reason.MaterializerImagePullFailed);
    assertThat(pull.pod()).isEqualTo("view-materializer-a");
    assertThat(pull.detail()).isEqualTo("ErrImagePull: failed to pull and unpack image: not found (image " + IMAGE
        + ")");
    assertThat(backOff.detail()).isEqualTo("ImagePullBackOff: Back-off pulling image \"" + IMAGE + "\"");
    assertThat(pull.cause()).isEqualTo(backOff.cause()).isEqualTo("cannot pull image " + IMAGE);
  }

  @Test
  void aMissingSecretGivesKubeletsMessage() {
    MaterializerFailure failure = MaterializerPods.condense(deployment(), List.of(waiting("view-materializer-a",
        "CreateContainerConfigError", "secret \"pg\" not found")));

    assertThat(failure.reason()).isEqualTo(Reason.MaterializerConfigError);
    assertThat(failure.describe()).isEqualTo("pod view-materializer-a: CreateContainerConfigError: secret \"pg\" not "
        + "found");
    assertThat(failure.cause()).isEqualTo("CreateContainerConfigError: secret \"pg\" not found");
  }

  @Test
  void aCrashLoopGivesTheLastExitCodeAndTheLastLineOfTheTerminationMessage() {
    String log = "10:00:01 INFO starting\nmaterialize: configuration error: schema 'x' does not exist\n\n";
    MaterializerFailure backingOff = MaterializerPods.condense(deployment(), List.of(crashLooping(
        "view-materializer-a", 2, "Error", log)));

    assertThat(backingOff.reason()).isEqualTo(Reason.MaterializerCrashLooping);
    assertThat(backingOff.detail()).isEqualTo("CrashLoopBackOff, last exit code 2: materialize: configuration error: "
        + "schema 'x' does not exist");
    assertThat(backingOff.cause()).isEqualTo(backingOff.detail());

    // Between two restarts the container runs, not ready yet, or has just exited: the same cause, not a recovery.
    Pod restarted = running("view-materializer-a", false, 3);
    restarted.getStatus().getContainerStatuses().get(0).setLastState(crashLooping("x", 2, "Error", log).getStatus()
        .getContainerStatuses().get(0).getLastState());
    assertThat(MaterializerPods.condense(deployment(), List.of(restarted))).isEqualTo(backingOff);
    Pod exited = new PodBuilder(pod("view-materializer-a")).editStatus().withContainerStatuses(
        new ContainerStatusBuilder().withName("materializer").withRestartCount(3).withReady(false).withNewState()
            .withNewTerminated().withExitCode(2).withReason("Error").withMessage(log).endTerminated().endState()
            .build()).endStatus().build();
    assertThat(MaterializerPods.condense(deployment(), List.of(exited))).isEqualTo(backingOff);
  }

  @Test
  void anOutOfMemoryKillSaysSoAndAMissingMessageIsLeftOut() {
    MaterializerFailure failure = MaterializerPods.condense(deployment(), List.of(crashLooping("view-materializer-a",
        137, "OOMKilled", null)));

    assertThat(failure.detail()).isEqualTo("CrashLoopBackOff, last exit code 137 (OOMKilled)");
  }

  @Test
  void podsTheDeploymentCannotCreateAndAStuckRolloutComeFromItsConditions() {
    Deployment quota = new DeploymentBuilder(deployment()).editStatus().withConditions(
        new DeploymentConditionBuilder().withType("ReplicaFailure").withStatus("True").withReason("FailedCreate")
            .withMessage("pods \"view-materializer-x\" is forbidden: exceeded quota: compute, requested: cpu=500m, "
                + "used: cpu=2, limited: cpu=2").build()).endStatus().build();
    MaterializerFailure notCreated = MaterializerPods.condense(quota, List.of());
    assertThat(notCreated.reason()).isEqualTo(Reason.MaterializerPodsNotCreated);
    assertThat(notCreated.pod()).isNull();
    assertThat(notCreated.describe()).startsWith("FailedCreate: pods \"view-materializer-x\" is forbidden: exceeded "
        + "quota: compute");

    Deployment stuck = new DeploymentBuilder(deployment()).editStatus().withConditions(
        new DeploymentConditionBuilder().withType("Progressing").withStatus("False")
            .withReason("ProgressDeadlineExceeded").withMessage("ReplicaSet \"view-materializer-5d9\" has timed out "
                + "progressing.").build()).endStatus().build();
    assertThat(MaterializerPods.condense(stuck, List.of(starting("view-materializer-a"))).reason())
        .isEqualTo(Reason.MaterializerProgressDeadlineExceeded);
    // A pod that says more wins over the deadline.
    assertThat(MaterializerPods.condense(stuck, List.of(waiting("view-materializer-a", "ImagePullBackOff", "x")))
        .reason()).isEqualTo(Reason.MaterializerImagePullFailed);
  }

  @Test
  void anUnschedulablePodGivesTheSchedulersMessage() {
    Pod pending = new PodBuilder(pod("view-materializer-a")).editStatus().withPhase("Pending").withConditions(
        new PodConditionBuilder().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
            .withMessage("0/3 nodes are available: 3 Insufficient cpu.").build()).endStatus().build();

    MaterializerFailure failure = MaterializerPods.condense(deployment(), List.of(pending));
    assertThat(failure.reason()).isEqualTo(Reason.MaterializerUnschedulable);
    assertThat(failure.detail()).isEqualTo("Unschedulable: 0/3 nodes are available: 3 Insufficient cpu.");
  }

  @Test
  void theWorstFailureIsShownTiesGoToTheFirstPodByNameAndEveryFailingPodIsCounted() {
    Pod deleting = new PodBuilder(waiting("view-materializer-0", "ErrImagePull", "gone")).editMetadata()
        .withDeletionTimestamp("2026-03-01T10:00:00Z").endMetadata().build();
    MaterializerFailure failure = MaterializerPods.condense(deployment(), List.of(
        crashLooping("view-materializer-d", 1, "Error", "boom"),
        waiting("view-materializer-c", "CreateContainerConfigError", "secret \"b\" not found"),
        waiting("view-materializer-b", "CreateContainerConfigError", "secret \"a\" not found"),
        running("view-materializer-a", true, 0), deleting));

    assertThat(failure.reason()).isEqualTo(Reason.MaterializerConfigError);
    assertThat(failure.pod()).isEqualTo("view-materializer-b");
    assertThat(failure.failingPods()).isEqualTo(3);
  }

  @Test
  void aLongTerminationMessageIsCutToItsLastLine() {
    assertThat(MaterializerPods.lastLine("a\n" + "x".repeat(1000))).hasSize(MaterializerPods.MAX_LINE)
        .endsWith("...");
    assertThat(MaterializerPods.lastLine(" \n ")).isNull();
  }

  private static Deployment deployment() {
    return new DeploymentBuilder().withNewMetadata().withName("view-materializer").withNamespace("orders")
        .endMetadata().withNewStatus().endStatus().build();
  }

  private static Pod pod(String name) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("orders").endMetadata()
        .withNewSpec().addNewContainer().withName("materializer").withImage(IMAGE).endContainer().endSpec()
        .withNewStatus().withPhase("Running").endStatus().build();
  }

  private static Pod waiting(String name, String reason, String message) {
    return new PodBuilder(pod(name)).editStatus().withPhase("Pending").withContainerStatuses(
        new ContainerStatusBuilder().withName("materializer").withImage(IMAGE).withReady(false).withRestartCount(0)
            .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState().build())
        .endStatus().build();
  }

  private static Pod starting(String name) {
    return waiting(name, "ContainerCreating", null);
  }

  private static Pod running(String name, boolean ready, int restarts) {
    return new PodBuilder(pod(name)).editStatus().withContainerStatuses(new ContainerStatusBuilder()
        .withName("materializer").withReady(ready).withRestartCount(restarts).withNewState().withNewRunning()
        .withStartedAt("2026-03-01T10:00:00Z").endRunning().endState().build()).endStatus().build();
  }

  private static Pod crashLooping(String name, int exitCode, String reason, String message) {
    return new PodBuilder(pod(name)).editStatus().withContainerStatuses(new ContainerStatusBuilder()
        .withName("materializer").withReady(false).withRestartCount(4)
        .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
        .withMessage("back-off 40s restarting failed container=materializer pod=" + name).endWaiting().endState()
        .withNewLastState().withNewTerminated().withExitCode(exitCode).withReason(reason).withMessage(message)
        .endTerminated().endLastState().build()).endStatus().build();
  }
}
