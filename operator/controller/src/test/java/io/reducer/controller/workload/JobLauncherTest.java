package io.reducer.controller.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.testsupport.kubernetes.MockKubernetes;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JobLauncherTest {

  private static MockKubernetes kubernetes;

  @BeforeAll
  static void start() {
    kubernetes = MockKubernetes.withCommittedCrds();
  }

  @AfterAll
  static void stop() {
    kubernetes.close();
  }

  @Test
  void cancellingAResourceDeletesItsOwnJobButNeverANamesakesJob() {
    KubernetesClient client = kubernetes.client();
    JobLauncher launcher = new JobLauncher(client);
    DlqReplay old = replay("uid-old");
    DlqReplay recreated = replay("uid-new");
    launcher.launch(WorkloadJob.build(old, "fix-replay", "dlq-replay", "img", List.of(), List.of(), 2));

    launcher.deleteOwned(recreated, "fix-replay");

    assertThat(job(client)).as("the deleted namesake's Job is not the new replay's to cancel").isNotNull();

    launcher.deleteOwned(old, "fix-replay");

    assertThat(job(client)).as("its owner cancels it").isNull();
  }

  private static Job job(KubernetesClient client) {
    return client.batch().v1().jobs().inNamespace("orders").withName("fix-replay").get();
  }

  private static DlqReplay replay(String uid) {
    DlqReplay replay = new DlqReplay();
    replay.setMetadata(new ObjectMetaBuilder().withName("fix").withNamespace("orders").withUid(uid).build());
    return replay;
  }
}
