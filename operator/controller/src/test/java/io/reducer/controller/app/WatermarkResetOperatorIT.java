package io.reducer.controller.app;

import io.reducer.testsupport.kubernetes.Annotations;
import static io.reducer.controller.app.OperatorFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.WatermarkResetStatus;
import io.reducer.api.v1alpha1.reset.PartitionPlan;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import io.reducer.controller.reset.ResetHold;
import io.reducer.testsupport.cluster.ImageCatalog;
import io.reducer.testsupport.cluster.ImageEntry;
import io.reducer.testsupport.cluster.LocalKubelet;
import io.reducer.testsupport.cluster.LocalKubeletOptions;
import io.reducer.workloads.offsets.ResetResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * WatermarkReset end to end on the local cluster: the materializers and the reset Job run as real processes of
 * the workloads code against a real broker and PostgreSQL, the operator against the mock API server. The
 * projection is filled first, then reset; what the table holds afterwards is compared with the topic.
 */
class WatermarkResetOperatorIT {

  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final String TOPIC = "rs.state-committed";
  private static final int PARTITIONS = 3;
  private static final int KEYS = 40;
  private static final int EVENTS = 360;
  private static final String PROJECTION = "rs-view";
  private static final String TABLE = "rs_view";
  private static final String[] HISTORY_LIMIT = {"--finished-history-limit", "2"};

  private static OperatorFixture fixture;
  private static LocalKubelet kubelet;

  @BeforeAll
  static void start() throws Exception {
    fixture = new OperatorFixture();
    fixture.databaseSecret("pg");
    Path work = Files.createTempDirectory("reset-it");
    kubelet = LocalKubelet.start(fixture.client, ImageCatalog.of(
        ImageEntry.of("reducer-workloads", "io.reducer.workloads.Main").withPortEnv("http", "MATERIALIZER_HTTP_PORT", "REDUCER_HTTP_PORT")),
        work, LocalKubeletOptions.defaults());
    fixture.startOperator(HISTORY_LIMIT);
    await().atMost(Duration.ofSeconds(30)).until(fixture::operatorReady);
    fixture.kafka.createTopic(TOPIC, PARTITIONS);
    fixture.kafka.createTopic("rs.actions", PARTITIONS);
    fixture.kafka.createTopic("rs.dlq", 1);
    fixture.pipeline("rs", fixture.kafka.bootstrapServers(), "pg", "rs");
    fixture.projection(PROJECTION, "rs", "  table: " + TABLE);
    produce(EVENTS);
    awaitCaughtUp();
  }

  @AfterEach
  void diagnose(TestInfo test) {
    // Only printed by failing runs' reports; cheap enough to always collect.
    System.out.println("---- " + test.getDisplayName() + "\n" + kubelet.dump());
  }

  @AfterAll
  static void stop() {
    if (kubelet != null) {
      kubelet.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void aRebuildWaitsForALiveConsumerAndApprovalThenEndsEqualToTheTopicFromTheTarget() throws Exception {
    long epochBefore = epoch();
    try (KafkaConsumer<String, String> intruder = consumer(group(), "intruder")) {
      intruder.subscribe(List.of(TOPIC));
      reset("rebuild-20", "{type: offset, offsets: [{partition: 0, offset: 20}, {partition: 1, offset: 20}, "
          + "{partition: 2, offset: 20}]}", "rebuild: true\n  approval: Manual");
      long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < until && !(phase("rebuild-20") == WatermarkResetPhase.Quiescing
          && status("rebuild-20").getMessage() != null && status("rebuild-20").getMessage().contains("intruder"))) {
        intruder.poll(Duration.ofMillis(100));
      }
      assertThat(status("rebuild-20").getMessage()).contains("client intruder");
      assertThat(deploymentReplicas()).isZero();
      for (int i = 0; i < 20; i++) {
        intruder.poll(Duration.ofMillis(100));
      }
      assertThat(phase("rebuild-20")).isEqualTo(WatermarkResetPhase.Quiescing);
    }

    awaitPhase("rebuild-20", WatermarkResetPhase.AwaitingApproval);
    WatermarkResetStatus planned = status("rebuild-20");
    assertThat(planned.getPlan().getCurrentEpoch()).isEqualTo(epochBefore);
    assertThat(planned.getPlan().getNewEpoch()).isEqualTo(epochBefore + 1);
    assertThat(planned.getPlan().getPartitions()).extracting(PartitionPlan::getNewOffset).containsOnly(20L);
    assertThat(epoch()).isEqualTo(epochBefore);
    assertThat(rowCount()).isEqualTo(KEYS);

    // An operator restart while the reset waits changes nothing about it.
    fixture.stopOperator();
    fixture.startOperator(HISTORY_LIMIT);
    await().atMost(Duration.ofSeconds(30)).until(fixture::operatorReady);
    assertThat(phase("rebuild-20")).isEqualTo(WatermarkResetPhase.AwaitingApproval);

    approve("rebuild-20");
    awaitPhase("rebuild-20", WatermarkResetPhase.Completed);
    assertThat(epoch()).isEqualTo(epochBefore + 1);
    Job job = fixture.client.batch().v1().jobs().inNamespace(NAMESPACE).withName("rebuild-20-reset").get();
    assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
    assertThat(fixture.client.pods().inNamespace(NAMESPACE).withLabel("job-name", "rebuild-20-reset").list()
        .getItems()).hasSize(1);
    assertThat(fixture.getProjection(PROJECTION).getMetadata().getAnnotations())
        .doesNotContainKey(ResetHold.ANNOTATION);

    awaitCaughtUp();
    assertThat(table()).isEqualTo(model(Map.of(0, 20L, 1, 20L, 2, 20L)));
    assertThat(epoch()).isEqualTo(epochBefore + 1);
  }

  @Test
  void aDryRunPlansAndChangesNothing() throws Exception {
    awaitCaughtUp();
    long epochBefore = epoch();
    Map<String, String> before = table();
    reset("dry-earliest", "{type: earliest}", "rebuild: true\n  approval: Automatic\n  dryRun: true");

    awaitPhase("dry-earliest", WatermarkResetPhase.Completed);
    WatermarkResetStatus status = status("dry-earliest");
    assertThat(status.getPlan().getPartitions()).extracting(PartitionPlan::getNewOffset).containsOnly(0L);
    assertThat(status.getJobName()).isNull();
    assertThat(status.getHistory()).extracting(h -> h.getPhase())
        .containsExactly("Pending", "Quiescing", "Planned", "Resuming", "Completed");
    assertThat(epoch()).isEqualTo(epochBefore);
    awaitCaughtUp();
    assertThat(table()).isEqualTo(before);
  }

  @Test
  void aSecondResetWaitsItsTurnAndDeletingAResetMidwayLetsTheProjectionRun() throws Exception {
    reset("first", "{type: latest}", "approval: Manual");
    awaitPhase("first", WatermarkResetPhase.AwaitingApproval);
    reset("second", "{type: latest}", "approval: Manual");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(status("second").getMessage()).contains("WatermarkReset first holds projection"));
    assertThat(phase("second")).isEqualTo(WatermarkResetPhase.Pending);
    StatusCapture.capture(fixture.client, WatermarkReset.class, "second", "pending-waiting-for-other-reset");

    fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE).withName("first").delete();
    awaitPhase("second", WatermarkResetPhase.AwaitingApproval);
    assertThat(fixture.getProjection(PROJECTION).getMetadata().getAnnotations())
        .containsEntry(ResetHold.ANNOTATION, "second");

    fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE).withName("second").delete();
    awaitProjectionReleased();
  }

  @Test
  void aJobThatDiesFailsTheResetWithKubernetesReasonAndTheProjectionRunsAgain() throws Exception {
    awaitCaughtUp();
    long epochBefore = epoch();
    reset("doomed", "{type: latest}", "approval: Automatic");
    // Kill every pod of the Job as soon as it runs, until Kubernetes gives up (backoffLimit 2: three pods).
    long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < until && phase("doomed") != WatermarkResetPhase.Failed) {
      fixture.client.pods().inNamespace(NAMESPACE).withLabel("job-name", "doomed-reset").list().getItems().stream()
          .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
          .forEach(p -> killIfAlive(p.getMetadata().getName()));
      Thread.sleep(20);
    }

    WatermarkResetStatus status = status("doomed");
    assertThat(status.getPhase()).isEqualTo(WatermarkResetPhase.Failed);
    assertThat(status.condition("Stalled").orElseThrow().getReason()).isEqualTo("ResetJobFailed");
    assertThat(status.getMessage()).contains("Job doomed-reset failed (BackoffLimitExceeded)");
    assertThat(epoch()).isEqualTo(epochBefore);
    awaitProjectionReleased();
  }

  @Test
  void aProjectionRefusedWhileItsMaterializersRunIsStillQuiescedSoItsResetCompletes() throws Exception {
    awaitCaughtUp();
    long epochBefore = epoch();
    // The materializers run; then the spec names an image from a registry the operator does not allow.
    editProjection(p -> p.getSpec().getMaterializer().setImage("elsewhere.test/reducer-workloads:2"));
    try {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(projectionCondition("Stalled")).isEqualTo("True/ImageNotAllowed"));
      assertThat(deploymentReplicas()).isEqualTo(PARTITIONS);
      assertThat(runningMaterializers()).isEqualTo(PARTITIONS);

      reset("refused-latest", "{type: latest}", "approval: Automatic");
      awaitPhase("refused-latest", WatermarkResetPhase.Completed);
      assertThat(status("refused-latest").getHistory()).extracting(h -> h.getPhase())
          .containsExactly("Pending", "Quiescing", "Planned", "Resetting", "Resuming", "Completed");
      assertThat(epoch()).isEqualTo(epochBefore + 1);
      assertThat(fixture.kafka.admin().describeConsumerGroups(List.of(group())).all().get().get(group()).members())
          .isEmpty();
      // Only the replica count changed: the refused image never reached the Deployment, which stays at zero.
      assertThat(deploymentReplicas()).isZero();
      assertThat(deploymentImage()).isEqualTo("registry.test/reducer-workloads:1");
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(runningMaterializers()).isZero());
      assertThat(projectionCondition("Stalled")).isEqualTo("True/ImageNotAllowed");
      assertThat(projectionCondition("Paused")).isEqualTo("False/Running");
      assertThat(projectionEvents()).anySatisfy(e -> assertThat(e).isEqualTo("Paused: Scaled materializers from "
          + PARTITIONS + " to 0: WatermarkReset refused-latest holds the projection; the spec stays refused "
          + "(ImageNotAllowed), so nothing else is changed"));
    } finally {
      editProjection(p -> p.getSpec().getMaterializer().setImage(null));
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deploymentReplicas()).isEqualTo(PARTITIONS));
    awaitCaughtUp();
  }

  @Test
  void ofTwoResetsCreatedAtOnceOnlyOneEverGetsPastTheHold() throws Exception {
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 20; round++) {
        String a = "race-" + round + "-a";
        String b = "race-" + round + "-b";
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
        var createdA = threads.submit(() -> {
          together.await();
          reset(a, "{type: latest}", "approval: Manual");
          return null;
        });
        var createdB = threads.submit(() -> {
          together.await();
          reset(b, "{type: latest}", "approval: Manual");
          return null;
        });
        createdA.get();
        createdB.get();
        int r = round;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          List<String> winners = new ArrayList<>();
          for (String name : List.of(a, b)) {
            if (status(name).getHistory().stream().anyMatch(h -> !h.getPhase().equals("Pending"))) {
              winners.add(name);
            }
          }
          assertThat(winners).as("round %d: resets past the hold", r).hasSize(1);
          String loser = winners.contains(a) ? b : a;
          assertThat(status(loser).condition("Reconciling").map(c -> c.getReason()).orElse(null))
              .isEqualTo("WaitingForOtherReset");
          assertThat(fixture.getProjection(PROJECTION).getMetadata().getAnnotations())
              .containsEntry(ResetHold.ANNOTATION, winners.get(0));
        });
        for (String name : List.of(a, b)) {
          fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE).withName(name).delete();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
            fixture.getProjection(PROJECTION).getMetadata().getAnnotations()).doesNotContainKey(ResetHold.ANNOTATION));
      }
    } finally {
      threads.shutdownNow();
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deploymentReplicas()).isEqualTo(PARTITIONS));
  }

  @Test
  void aCompletedResetCreatedAgainIsRefusedUnlessItAsksToRunAgain() {
    reset("gitops-copy", "{type: latest}", "approval: Automatic");
    awaitPhase("gitops-copy", WatermarkResetPhase.Completed);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(fixture.getProjection(PROJECTION).getStatus().getCompletedResets())
            .anySatisfy(r -> assertThat(r.getName()).isEqualTo("gitops-copy")));
    // As a GitOps tool does after the history limit pruned it: the same file applied again.
    fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE).withName("gitops-copy").delete();
    await().atMost(Duration.ofSeconds(20)).until(() ->
        fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE).withName("gitops-copy").get() == null);
    reset("gitops-copy", "{type: latest}", "approval: Automatic");

    awaitPhase("gitops-copy", WatermarkResetPhase.Failed);
    WatermarkResetStatus refused = status("gitops-copy");
    assertThat(refused.condition("Stalled").orElseThrow().getReason()).isEqualTo("AlreadyCompleted");
    assertThat(refused.getMessage()).contains("spec.runAgain: true");
    assertThat(refused.getHistory()).extracting(h -> h.getPhase()).containsExactly("Pending", "Failed");

    fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE).withName("gitops-copy").delete();
    await().atMost(Duration.ofSeconds(20)).until(() ->
        fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE).withName("gitops-copy").get() == null);
    reset("gitops-copy", "{type: latest}", "approval: Automatic\n  runAgain: true");
    awaitPhase("gitops-copy", WatermarkResetPhase.Completed);
  }

  @Test
  void aManualResetNotApprovedInTimeFailsAndTheProjectionRunsAgain() {
    reset("unattended", "{type: latest}", "approval: Manual\n  approvalTimeout: PT3S");
    awaitPhase("unattended", WatermarkResetPhase.Failed);

    assertThat(status("unattended").condition("Stalled").orElseThrow().getReason()).isEqualTo("ApprovalTimedOut");
    StatusCapture.capture(fixture.client, WatermarkReset.class, "unattended", "failed-approval-timed-out");
    assertThat(status("unattended").getHistory()).extracting(h -> h.getPhase())
        .containsExactly("Pending", "Quiescing", "Planned", "AwaitingApproval", "Failed");
    awaitProjectionReleased();
  }

  @Test
  void aJobOfTheResetsNameThatIsNotItsOwnBlocksItAndIsNeverAdopted() throws Exception {
    awaitCaughtUp();
    long epochBefore = epoch();
    // A Job left behind under the name the reset's Job will have, owned by nothing (orphaned, or another reset's).
    fixture.client.batch().v1().jobs().inNamespace(NAMESPACE).resource(new io.fabric8.kubernetes.api.model.batch.v1
        .JobBuilder().withNewMetadata().withName("adopt-me-reset").withNamespace(NAMESPACE)
        .withLabels(Map.of("app.kubernetes.io/component", "watermark-reset",
            "app.kubernetes.io/managed-by", "reducer-operator"))
        .endMetadata().withNewSpec().withSuspend(true).withNewTemplate().withNewSpec().withRestartPolicy("Never")
        .addNewContainer().withName("c").withImage("registry.test/none:1").endContainer().endSpec().endTemplate()
        .endSpec().build()).create();
    reset("adopt-me", "{type: latest}", "approval: Automatic");

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(phase("adopt-me")).isEqualTo(WatermarkResetPhase.Resetting);
      assertThat(status("adopt-me").condition("Reconciling").orElseThrow().getReason()).isEqualTo("JobNotOwned");
    });
    assertThat(status("adopt-me").getMessage()).contains("Job adopt-me-reset exists but belongs to no owner");
    assertThat(epoch()).isEqualTo(epochBefore);

    fixture.client.batch().v1().jobs().inNamespace(NAMESPACE).withName("adopt-me-reset").delete();
    awaitPhase("adopt-me", WatermarkResetPhase.Completed);
    assertThat(epoch()).isEqualTo(epochBefore + 1);
    awaitCaughtUp();
  }

  /** The API may still show a pod Running whose process has just ended; that pod needs no killing. */
  private static void killIfAlive(String pod) {
    try {
      kubelet.kill(NAMESPACE, pod);
    } catch (IllegalStateException e) {
      // already exited
    }
  }

  @Test
  void finishedResetsBeyondTheHistoryLimitAreDeletedOldestFirst() {
    for (String name : List.of("history-1", "history-2", "history-3")) {
      reset(name, "{type: latest}", "approval: Automatic\n  dryRun: true");
      awaitPhase(name, WatermarkResetPhase.Completed);
    }

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE).withName("history-1").get())
          .isNull();
      assertThat(fixture.client.v1().events().inNamespace(NAMESPACE).list().getItems())
          .anySatisfy(e -> assertThat(e.getMessage()).contains("deleted finished WatermarkReset history-1"));
    });
    assertThat(phase("history-2")).isEqualTo(WatermarkResetPhase.Completed);
    assertThat(phase("history-3")).isEqualTo(WatermarkResetPhase.Completed);
  }

  @Test
  void aResetOfATwoHundredPartitionProjectionIsCheckedOnEveryPartition() throws Exception {
    int partitions = 200;
    fixture.kafka.createTopic("wide.state-committed", partitions);
    fixture.kafka.createTopic("wide.actions", 1);
    fixture.kafka.createTopic("wide.dlq", 1);
    fixture.pipeline("wide", fixture.kafka.bootstrapServers(), "pg", "wide");
    // Paused: no materializer runs, the reset alone writes the 200 watermark rows.
    fixture.projection("wide-view", "wide", "  table: wide_view\n  paused: true");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        "bootstrap.servers", fixture.kafka.bootstrapServers(), "acks", "all"),
        new StringSerializer(), new StringSerializer())) {
      for (int p = 0; p < partitions; p++) {
        producer.send(new ProducerRecord<>("wide.state-committed", p, "k", "{}"));
        producer.send(new ProducerRecord<>("wide.state-committed", p, "k", "{}"));
      }
      producer.flush();
    }
    String yaml = String.join("\n", "apiVersion: reducer.io/v1alpha1", "kind: WatermarkReset", "metadata:",
        "  name: wide-latest", "  namespace: " + NAMESPACE, "spec:", "  projectionRef: {name: wide-view}",
        "  target: {type: latest}", "  approval: Automatic");
    fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE)
        .resource(YAML.unmarshal(yaml, WatermarkReset.class)).create();

    awaitPhase("wide-latest", WatermarkResetPhase.Completed);
    WatermarkResetStatus done = status("wide-latest");
    assertThat(done.getPlan().getPartitions()).hasSize(partitions).extracting(PartitionPlan::getNewOffset)
        .containsOnly(2L);
    long newEpoch = done.getPlan().getNewEpoch();
    assertThat(done.getHistory()).extracting(h -> h.getMessage()).anySatisfy(m -> assertThat(m)
        .contains("checked all 200 planned partitions: watermarks at epoch " + newEpoch));
    assertThat(query("SELECT COUNT(*) FROM projection_watermarks WHERE projection = 'wide-view' AND next_offset = 2"
        + " AND epoch = " + newEpoch)).isEqualTo(partitions);

    // The Job's termination message is a summary that says where the whole plan is.
    String message = fixture.client.pods().inNamespace(NAMESPACE).withLabel("job-name", "wide-latest-reset").list()
        .getItems().get(0).getStatus().getContainerStatuses().get(0).getState().getTerminated().getMessage();
    ResetResult summary = ResetResult.parse(message);
    assertThat(summary.partitions()).isEmpty();
    assertThat(summary.partitionCount()).isEqualTo(partitions);
    assertThat(summary.appliedTo()).isEqualTo(new ResetResult.AppliedTo("public.projection_watermarks", NAMESPACE,
        "wide-view", "reducer." + NAMESPACE + ".wide-view", "wide.state-committed"));
  }

  @Test
  void aRepairFromTheCanonicalStoreTakesItsTurnWithTheOtherResetsWithoutHoldingTheMaterializers() throws Exception {
    try {
      reset("before-repair", "{type: latest}", "approval: Manual");
      awaitPhase("before-repair", WatermarkResetPhase.AwaitingApproval);
      repair("waiting-repair", "approval: Manual");
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(status("waiting-repair").getMessage())
          .contains("WatermarkReset before-repair holds projection"));
      assertThat(phase("waiting-repair")).isEqualTo(WatermarkResetPhase.Pending);

      fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE).withName("before-repair").delete();
      awaitPhase("waiting-repair", WatermarkResetPhase.AwaitingApproval);
      assertThat(status("waiting-repair").getMessage()).contains("to repair: the stale rows of table " + TABLE);
      reset("after-repair", "{type: latest}", "approval: Manual");
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(status("after-repair").getMessage())
          .contains("WatermarkReset waiting-repair holds projection"));
      assertThat(phase("after-repair")).isEqualTo(WatermarkResetPhase.Pending);
      // Held by the repair, yet never scaled down: the materializers run as before. A test before this one may have
      // scaled them back up moments ago, so the last of their pods can still be starting.
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(deploymentReplicas()).isEqualTo(PARTITIONS);
        assertThat(runningMaterializers()).isEqualTo(PARTITIONS);
      });
    } finally {
      for (String reset : List.of("before-repair", "waiting-repair", "after-repair")) {
        fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE).withName(reset).delete();
      }
    }
    awaitProjectionReleased();
  }

  @Test
  void anOperatorRestartedWhileRepairingAdoptsTheJobAndDeletingARepairStopsItsJob() throws Exception {
    ProjectionSql sql = new ProjectionSql(fixture);
    try (var c = sql.connect(); var s = c.createStatement()) {
      // The reducers' canonical store (made by the pipeline's reducer, which gets no actions here): three keys the
      // projection lost.
      s.execute("INSERT INTO workflow_state (workflow_key, version, state) SELECT 'lost-' || i, 2, 'DONE' "
          + "FROM generate_series(1, 3) i");
    }
    try {
      String job;
      try (var held = kubelet.holdJobPods(NAMESPACE, "restart-repair-repair")) {
        repair("restart-repair", "approval: Automatic");
        awaitPhase("restart-repair", WatermarkResetPhase.Repairing);
        job = repairJob("restart-repair").getMetadata().getUid();

        fixture.stopOperator();
        fixture.startOperator(HISTORY_LIMIT);
        await().atMost(Duration.ofSeconds(30)).until(fixture::operatorReady);
        assertThat(phase("restart-repair")).isEqualTo(WatermarkResetPhase.Repairing);
        assertThat(deploymentReplicas()).isEqualTo(PARTITIONS);
      }
      awaitPhase("restart-repair", WatermarkResetPhase.Completed);
      WatermarkResetStatus done = status("restart-repair");
      assertThat(repairJob("restart-repair").getMetadata().getUid()).as("the same Job, adopted").isEqualTo(job);
      assertThat(done.getRepair().getRowsRepaired()).isEqualTo(3);
      assertThat(done.getRepair().getRowsExamined()).isEqualTo(3);
      assertThat(table()).containsEntry("lost-1", "2:DONE").containsEntry("lost-3", "2:DONE");
      assertThat(query("SELECT count(*) FROM workflow_state c LEFT JOIN " + TABLE + " p ON p.workflow_key = "
          + "c.workflow_key WHERE c.version > COALESCE(p.version, 0)")).isZero();

      try (var held = kubelet.holdJobPods(NAMESPACE, "deleted-repair-repair")) {
        repair("deleted-repair", "approval: Automatic");
        awaitPhase("deleted-repair", WatermarkResetPhase.Repairing);
        assertThat(repairJob("deleted-repair")).isNotNull();
        fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE).withName("deleted-repair").delete();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          assertThat(repairJob("deleted-repair")).isNull();
          assertThat(fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE).withName("deleted-repair")
              .get()).isNull();
        });
      }
      awaitProjectionReleased();
    } finally {
      try (var c = sql.connect(); var s = c.createStatement()) {
        s.execute("DELETE FROM " + TABLE + " WHERE workflow_key LIKE 'lost-%'");
        s.execute("DELETE FROM workflow_state WHERE workflow_key LIKE 'lost-%'");
      }
    }
  }

  private static void repair(String name, String extraSpec) {
    create(name, "rebuildSource: Canonical", extraSpec);
  }

  private static Job repairJob(String reset) {
    return fixture.client.batch().v1().jobs().inNamespace(NAMESPACE).withName(reset + "-repair").get();
  }

  private static void reset(String name, String target, String extraSpec) {
    create(name, "target: " + target, extraSpec);
  }

  /** A WatermarkReset of the projection with these lines under spec. */
  private static void create(String name, String... specLines) {
    String yaml = String.join("\n",
        "apiVersion: reducer.io/v1alpha1",
        "kind: WatermarkReset",
        "metadata:",
        "  name: " + name,
        "  namespace: " + NAMESPACE,
        "spec:",
        "  projectionRef: {name: " + PROJECTION + "}",
        "  " + String.join("\n  ", specLines));
    fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE)
        .resource(YAML.unmarshal(yaml, WatermarkReset.class)).create();
  }

  private static void approve(String name) {
    Annotations.annotate(fixture.client, WatermarkReset.class, NAMESPACE, name, "reducer.io/approve", "true");
  }

  private static WatermarkResetStatus status(String name) {
    WatermarkReset reset = fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE).withName(name).get();
    return reset == null || reset.getStatus() == null ? new WatermarkResetStatus() : reset.getStatus();
  }

  private static WatermarkResetPhase phase(String name) {
    return status(name).getPhase();
  }

  private static void awaitPhase(String name, WatermarkResetPhase phase) {
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(phase(name)).as("phase of %s (%s)", name, status(name).getMessage()).isEqualTo(phase));
  }

  /** The projection no longer held by any reset, its materializers back at their replica count. */
  private static void awaitProjectionReleased() {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(fixture.getProjection(PROJECTION).getMetadata().getAnnotations())
          .doesNotContainKey(ResetHold.ANNOTATION);
      assertThat(deploymentReplicas()).isEqualTo(PARTITIONS);
    });
  }

  private static Integer deploymentReplicas() {
    var deployment = fixture.client.apps().deployments().inNamespace(NAMESPACE).withName(PROJECTION + "-materializer")
        .get();
    return deployment == null ? null : deployment.getSpec().getReplicas();
  }

  private static String deploymentImage() {
    return fixture.client.apps().deployments().inNamespace(NAMESPACE).withName(PROJECTION + "-materializer").get()
        .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private static long runningMaterializers() {
    return fixture.client.pods().inNamespace(NAMESPACE).withLabels(Map.of("reducer.io/projection", PROJECTION,
        "app.kubernetes.io/component", "materializer")).list()
        .getItems().stream().filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).count();
  }

  private static void editProjection(java.util.function.Consumer<Projection> change) {
    fixture.edit(Projection.class, PROJECTION, change);
  }

  private static String projectionCondition(String type) {
    var status = fixture.getProjection(PROJECTION).getStatus();
    return status == null ? null : status.condition(type).map(c -> c.getStatus() + "/" + c.getReason()).orElse(null);
  }

  private static List<String> projectionEvents() {
    return fixture.client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> PROJECTION.equals(e.getInvolvedObject().getName()))
        .map(e -> e.getReason() + ": " + e.getMessage()).toList();
  }

  private static String group() {
    return "reducer." + NAMESPACE + "." + PROJECTION;
  }

  private static void produce(int events) {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        "bootstrap.servers", fixture.kafka.bootstrapServers(), "acks", "all"),
        new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < events; i++) {
        String key = "wf-" + (i % KEYS);
        long version = i / KEYS + 1;
        String json = "{\"workflow_key\":\"" + key + "\",\"version\":" + version + ",\"state\":\"S" + version
            + "\",\"namespace\":\"default\",\"tag\":\"t\",\"last_action\":\"a\",\"correlation_id\":\"" + key + "-"
            + version + "\",\"committed_at\":\"2026-01-01T00:00:00Z\"}";
        producer.send(new ProducerRecord<>(TOPIC, key, json));
      }
      producer.flush();
    }
  }

  /** Waits until the materializers have applied every record: the watermarks sum to the log end. */
  private static void awaitCaughtUp() {
    await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() ->
        assertThat(query("SELECT COALESCE(SUM(next_offset), 0) FROM projection_watermarks WHERE projection = '"
            + PROJECTION + "'")).isEqualTo((long) EVENTS));
  }

  private static long epoch() throws Exception {
    return query("SELECT COALESCE(MAX(epoch), 0) FROM projection_watermarks WHERE projection = '" + PROJECTION + "'");
  }

  private static long rowCount() throws Exception {
    return query("SELECT COUNT(*) FROM " + TABLE);
  }

  private static long query(String sql) throws Exception {
    return new ProjectionSql(fixture).query(sql);
  }

  private static Map<String, String> table() throws Exception {
    return new ProjectionSql(fixture).table(TABLE);
  }

  /** Newest version per key among the records at or after {@code from} of each partition. */
  private static Map<String, String> model(Map<Integer, Long> from) {
    Map<String, Long> newest = new HashMap<>();
    Map<String, String> model = new HashMap<>();
    try (KafkaConsumer<String, String> reader = consumer("model-" + UUID.randomUUID(), "model")) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        partitions.add(new TopicPartition(TOPIC, p));
      }
      reader.assign(partitions);
      reader.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = reader.endOffsets(partitions);
      long seen = 0;
      long total = end.values().stream().mapToLong(Long::longValue).sum();
      while (seen < total) {
        for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(500))) {
          seen++;
          if (record.offset() < from.get(record.partition())) {
            continue;
          }
          String value = record.value();
          long version = Long.parseLong(value.replaceAll(".*\"version\":(\\d+).*", "$1"));
          if (version > newest.getOrDefault(record.key(), Long.MIN_VALUE)) {
            newest.put(record.key(), version);
            model.put(record.key(), version + ":" + value.replaceAll(".*\"state\":\"([^\"]*)\".*", "$1"));
          }
        }
      }
    }
    return model;
  }

  private static KafkaConsumer<String, String> consumer(String group, String clientId) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.kafka.bootstrapServers());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
  }

}
