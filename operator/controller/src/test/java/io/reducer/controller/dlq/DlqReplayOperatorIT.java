package io.reducer.controller.dlq;

import static io.reducer.controller.app.OperatorFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.DlqReplayStatus;
import io.reducer.api.v1alpha1.common.Approval;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.api.v1alpha1.common.PhaseTransition;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import io.reducer.api.v1alpha1.pipeline.SaslAuthentication;
import io.reducer.controller.app.OperatorFixture;
import io.reducer.controller.app.StatusCapture;
import io.reducer.testsupport.cluster.ImageCatalog;
import io.reducer.testsupport.cluster.ImageEntry;
import io.reducer.testsupport.cluster.LocalKubelet;
import io.reducer.testsupport.cluster.LocalKubeletOptions;
import io.reducer.testsupport.kubernetes.PrinterTable;
import io.reducer.workloads.dlq.DlqInspectResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DlqReplay resource flow against the mock API server, a real broker and the real dlq commands: the local
 * cluster runs the Jobs the operator creates as child JVMs of the workloads CLI, so previews, approvals, replays,
 * their failures, SIGTERM on deletion and retries are the real thing, and a read_committed consumer checks what
 * reached the target topics.
 */
class DlqReplayOperatorIT {

  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(60);
  @TempDir
  static Path workDir;
  private static OperatorFixture fixture;
  private static LocalKubelet cluster;

  @BeforeAll
  static void start() throws Exception {
    fixture = new OperatorFixture();
    fixture.databaseSecret("pg");
    // The operator's workloads image (registry.test/reducer-workloads:1) runs the CLI's main class.
    Duration quick = Duration.ofMillis(200);
    cluster = LocalKubelet.start(fixture.client, ImageCatalog.of(ImageEntry.of("reducer-workloads",
        "io.reducer.workloads.Main")), workDir, LocalKubeletOptions.defaults().withResyncPeriod(quick)
        .withGcPeriod(quick).withJobBackoff(quick));
    fixture.startOperator("--finished-history-limit", "1");
    await().atMost(Duration.ofSeconds(30)).until(fixture::operatorReady);
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.stopOperator();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void aManualReplayPreviewsWaitsForApprovalThenReplaysTheApprovedSnapshotOnce() throws Exception {
    pipelineWithTopics("m", 2);
    for (int partition = 0; partition < 2; partition++) {
      produceDlq("m.dlq", partition, 30, "DESERIALIZATION_ERROR", "m.actions", "wf-" + partition + "-");
      produceDlq("m.dlq", partition, 5, "VALIDATION_ERROR", "m.actions", "bad-" + partition + "-");
    }
    create("fix-m", "  pipelineRef: {name: m}", "  filter: {errorTypes: {exclude: [VALIDATION_ERROR]}}",
        "  ratePerSecond: 12");

    DlqReplayStatus waiting = awaitPhase("fix-m", DlqReplayPhase.AwaitingApproval);
    assertThat(waiting.getSnapshot()).extracting(r -> r.getPartition() + ":" + r.getStartOffset() + ".."
        + r.getEndOffset()).containsExactly("0:0..35", "1:0..35");
    assertThat(waiting.getPreview().getMatched()).isEqualTo(60);
    assertThat(waiting.getPreview().getByErrorType()).containsExactly(Map.entry("DESERIALIZATION_ERROR", 60L));
    assertThat(waiting.getPreview().getByOriginalTopic()).containsExactly(Map.entry("m.actions", 60L));
    assertThat(waiting.getPreview().getByPartition()).containsEntry("0", 30L).containsEntry("1", 30L);
    assertThat(waiting.getPreview().getSamples()).isNotEmpty();
    assertThat(waiting.getProgress().getMatched()).isEqualTo(60);
    assertThat(waiting.getMessage()).contains("kubectl annotate dlqr fix-m reducer.io/approve=true");
    assertThat(waiting.condition("Reconciling")).hasValueSatisfying(c ->
        assertThat(c.getReason()).isEqualTo("AwaitingApproval"));
    StatusCapture.capture(fixture.client, DlqReplay.class, "fix-m", "awaiting-approval");

    // Records dead-lettered after the snapshot are not part of what is approved.
    for (int partition = 0; partition < 2; partition++) {
      produceDlq("m.dlq", partition, 5, "DESERIALIZATION_ERROR", "m.actions", "late-" + partition + "-");
    }
    Thread.sleep(2_000);
    assertThat(status("fix-m").getPhase()).isEqualTo(DlqReplayPhase.AwaitingApproval);
    assertThat(job("fix-m-replay")).isNull();
    assertThat(readCommitted("m.actions")).isEmpty();

    AtomicBoolean sawProgress = new AtomicBoolean();
    annotate("fix-m", Approval.ANNOTATION, "true");
    await().atMost(PHASE_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
      DlqReplayStatus status = status("fix-m");
      if (status.getPhase() == DlqReplayPhase.Replaying && status.getProgress().getReplayed() > 0
          && status.getProgress().getReplayed() < 60) {
        if (!sawProgress.get()) {
          StatusCapture.capture(fixture.client, DlqReplay.class, "fix-m", "replaying");
        }
        sawProgress.set(true);
      }
      return status.getPhase().isTerminal();
    });
    DlqReplayStatus done = status("fix-m");
    assertThat(done.getPhase()).withFailMessage(() -> done.getMessage() + "\n" + cluster.dump())
        .isEqualTo(DlqReplayPhase.Succeeded);
    assertThat(sawProgress).as("progress visible while the replay ran").isTrue();
    assertThat(done.getProgress().getMatched()).isEqualTo(60);
    assertThat(done.getProgress().getReplayed()).isEqualTo(60);
    assertThat(done.getProgress().getSkipped()).isZero();
    assertThat(done.getJobName()).isEqualTo("fix-m-replay");
    assertThat(done.getHistory()).extracting(PhaseTransition::getPhase)
        .containsExactly("Pending", "Previewing", "AwaitingApproval", "Replaying", "Succeeded");
    assertThat(done.condition("Ready")).hasValueSatisfying(c -> {
      assertThat(c.getStatus()).isEqualTo(ConditionStatus.True);
      assertThat(c.getReason()).isEqualTo("Succeeded");
    });
    assertThat(done.condition("Reconciling")).isEmpty();
    StatusCapture.capture(fixture.client, DlqReplay.class, "fix-m", "succeeded");

    List<ConsumerRecord<byte[], byte[]>> replayed = readCommitted("m.actions");
    List<String> sources = replayed.stream().map(r -> header(r, "x-replay-source")).toList();
    assertThat(sources).hasSize(60).doesNotHaveDuplicates()
        .allSatisfy(s -> assertThat(Long.parseLong(s.substring(s.lastIndexOf(':') + 1))).isLessThan(35));
    assertThat(replayed).allSatisfy(r -> {
      assertThat(new String(r.key(), StandardCharsets.UTF_8)).startsWith("wf-");
      assertThat(header(r, "x-replay-name")).isEqualTo("orders.fix-m");
      assertThat(header(r, "x-error-type")).isNull();
    });
    assertThat(events("fix-m")).extracting(e -> e.split(":")[0]).contains("PreviewStarted", "PreviewReady",
        "AwaitingApproval", "ReplayStarted", "ReplaySucceeded");
    assertThat(printerRow("fix-m")).containsSubsequence("fix-m", "Succeeded", "60", "60", "0");
  }

  @Test
  void aPreviewOnlyReplayEndsAfterThePreviewAndOldFinishedReplaysArePrunedBeyondTheLimit() throws Exception {
    pipelineWithTopics("h", 1);
    produceDlq("h.dlq", 0, 12, "TIMEOUT", "h.actions", "wf-");
    for (int i = 1; i <= 2; i++) {
      create("look-h-" + i, "  pipelineRef: {name: h}", "  previewOnly: true", "  approval: Automatic");
      DlqReplayStatus status = awaitPhase("look-h-" + i, DlqReplayPhase.Succeeded);
      assertThat(status.getPreview().getMatched()).isEqualTo(12);
      assertThat(status.getMessage()).startsWith("Preview only, nothing replayed");
      assertThat(status.getHistory()).extracting(PhaseTransition::getPhase)
          .containsExactly("Pending", "Previewing", "Succeeded");
      assertThat(job("look-h-" + i + "-replay")).isNull();
    }
    // The operator keeps one finished replay per pipeline here (--finished-history-limit 1).
    await().atMost(PHASE_TIMEOUT).untilAsserted(() -> {
      assertThat(replay("look-h-1")).isNull();
      assertThat(replay("look-h-2")).isNotNull();
      assertThat(events("h")).anySatisfy(e -> assertThat(e).startsWith("HistoryPruned: Deleted finished "
          + "DlqReplay look-h-1"));
    });
    assertThat(readCommitted("h.actions")).isEmpty();
  }

  @Test
  void aReplayJobThatFailsGivesFailedWithKubernetesReasonAndTheReplaysMessage() throws Exception {
    pipelineWithTopics("f", 1);
    produceDlq("f.dlq", 0, 3, "SCHEMA_ERROR", "f.nowhere", "wf-");
    create("fix-f", "  pipelineRef: {name: f}", "  approval: Automatic", "  allowedTargets: [f.nowhere]");

    // A real cluster fails the Job at its first exit code 2 (pod failure policy, reason PodFailurePolicy); the local
    // cluster ignores pod failure policies, so the Job fails once its retries are used up.
    DlqReplayStatus failed = awaitPhase("fix-f", DlqReplayPhase.Failed);
    assertThat(failed.getMessage()).startsWith("Replay Job fix-f-replay failed (BackoffLimitExceeded): ")
        .contains("target topic 'f.nowhere'", "does not exist");
    assertThat(failed.getHistory()).extracting(PhaseTransition::getPhase)
        .containsExactly("Pending", "Previewing", "Replaying", "Failed");
    assertThat(failed.condition("Stalled")).hasValueSatisfying(c -> {
      assertThat(c.getStatus()).isEqualTo(ConditionStatus.True);
      assertThat(c.getReason()).isEqualTo("BackoffLimitExceeded");
    });
    assertThat(failed.condition("Ready")).hasValueSatisfying(c ->
        assertThat(c.getStatus()).isEqualTo(ConditionStatus.False));
    assertThat(events("fix-f")).anySatisfy(e -> assertThat(e).startsWith("ReplayFailed: Replay Job fix-f-replay"));
    StatusCapture.capture(fixture.client, DlqReplay.class, "fix-f", "failed-job");
  }

  @Test
  void aMissingPipelineIsWaitedForAndAReferenceToAnotherNamespaceFails() throws Exception {
    create("early", "  pipelineRef: {name: later}", "  previewOnly: true");
    create("elsewhere", "  pipelineRef: {name: later, namespace: payments}");

    await().atMost(PHASE_TIMEOUT).untilAsserted(() -> {
      DlqReplayStatus status = status("early");
      assertThat(status).isNotNull();
      assertThat(status.getPhase()).isEqualTo(DlqReplayPhase.Pending);
      assertThat(status.getMessage()).contains("ReducerPipeline orders/later does not exist");
      assertThat(status.condition("Stalled")).hasValueSatisfying(c ->
          assertThat(c.getReason()).isEqualTo("PipelineNotFound"));
      assertThat(events("early")).anySatisfy(e -> assertThat(e).startsWith("Waiting: "));
    });
    DlqReplayStatus refused = awaitPhase("elsewhere", DlqReplayPhase.Failed);
    assertThat(refused.condition("Stalled")).hasValueSatisfying(c ->
        assertThat(c.getReason()).isEqualTo("CrossNamespaceReference"));
    assertThat(refused.getMessage()).contains("payments");
    assertThat(job("elsewhere-inspect")).isNull();

    pipelineWithTopics("later", 1);
    DlqReplayStatus done = awaitPhase("early", DlqReplayPhase.Succeeded);
    assertThat(done.getMessage()).startsWith("Nothing to replay");
    assertThat(done.condition("Stalled")).isEmpty();
  }

  @Test
  void aJobWhosePodCannotStartLeavesTheReplayStalledWithThePodsReasonUntilCancelled() throws Exception {
    // An operator configured with a workloads image the cluster cannot pull, as after a typo in a registry name.
    fixture.stopOperator();
    fixture.startOperator("--finished-history-limit", "1", "--workloads-image", "registry.test/no-such-image:1");
    try {
      pipelineWithTopics("s", 1);
      produceDlq("s.dlq", 0, 2, "TIMEOUT", "s.actions", "wf-");
      create("fix-s", "  pipelineRef: {name: s}");

      await().atMost(PHASE_TIMEOUT).untilAsserted(() -> {
        DlqReplayStatus status = status("fix-s");
        // Not reconciled yet right after the operator's restart: an assertion, so it is polled again, not an NPE.
        assertThat(status).isNotNull();
        assertThat(status.getPhase()).isEqualTo(DlqReplayPhase.Previewing);
        assertThat(status.condition("Stalled")).hasValueSatisfying(c ->
            assertThat(c.getReason()).isEqualTo("JobPodNotStarting"));
        assertThat(status.getMessage()).startsWith("Job fix-s-inspect cannot start its pod fix-s-inspect-")
            .contains("ErrImagePull", "registry.test/no-such-image:1");
        assertThat(events("fix-s")).filteredOn(e -> e.startsWith("JobPodNotStarting: ")).hasSize(1);
      });

      annotate("fix-s", Cancellation.ANNOTATION, "true");
      DlqReplayStatus cancelled = awaitPhase("fix-s", DlqReplayPhase.Cancelled);
      assertThat(cancelled.condition("Stalled")).hasValueSatisfying(c ->
          assertThat(c.getReason()).isEqualTo("Cancelled"));
      await().atMost(PHASE_TIMEOUT).untilAsserted(() -> assertThat(job("fix-s-inspect")).isNull());
    } finally {
      fixture.stopOperator();
      fixture.startOperator("--finished-history-limit", "1");
    }
  }

  @Test
  void aSecuredPipelineWaitsForItsKafkaSecretThenItsJobGetsTheSecurityVariables() throws Exception {
    fixture.kafka.createTopic("sec.dlq", 1);
    fixture.kafka.createTopic("sec.actions", 1);
    // Secured from the start: an edit right after creation could reach the operator after the DlqReplay does.
    fixture.pipeline("sec", fixture.kafka.bootstrapServers(), "pg", "sec", 0, p -> p.getSpec().getKafka()
        .setSecurity(DlqTestResources.sasl(SaslAuthentication.Mechanism.SCRAM_SHA_512)));
    create("fix-sec", "  pipelineRef: {name: sec}", "  previewOnly: true");

    await().atMost(PHASE_TIMEOUT).untilAsserted(() -> {
      DlqReplayStatus status = status("fix-sec");
      assertThat(status).isNotNull();
      assertThat(status.getPhase()).isEqualTo(DlqReplayPhase.Pending);
      assertThat(status.condition("Stalled")).hasValueSatisfying(c ->
          assertThat(c.getReason()).isEqualTo("SecretNotFound"));
      assertThat(status.getMessage()).contains("spec.kafka.security.sasl.usernameSecretRef")
          .contains("Secret orders/kafka-login");
    });
    assertThat(job("fix-sec-inspect")).isNull();

    fixture.client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata()
        .withName("kafka-login").endMetadata().withStringData(Map.of("username", "u", "password", "p")).build())
        .create();

    await().atMost(PHASE_TIMEOUT).untilAsserted(() -> assertThat(job("fix-sec-inspect")).isNotNull());
    Map<String, EnvVar> env = new HashMap<>();
    job("fix-sec-inspect").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
        .forEach(e -> env.put(e.getName(), e));
    assertThat(env.get("KAFKA_SECURITY_PROTOCOL").getValue()).isEqualTo("SASL_PLAINTEXT");
    assertThat(env.get("KAFKA_SASL_MECHANISM").getValue()).isEqualTo("SCRAM-SHA-512");
    assertThat(env.get("KAFKA_SASL_PASSWORD").getValue()).isNull();
    assertThat(env.get("KAFKA_SASL_PASSWORD").getValueFrom().getSecretKeyRef().getName()).isEqualTo("kafka-login");
    // The test broker speaks plaintext, so this preview could only fail; it has shown what it had to.
    fixture.client.resources(DlqReplay.class).inNamespace(NAMESPACE).withName("fix-sec").delete();
  }

  @Test
  void aReplayCancelledWhileAwaitingApprovalEndsCancelledWithItsJobsDeleted() throws Exception {
    pipelineWithTopics("c", 1);
    produceDlq("c.dlq", 0, 4, "TIMEOUT", "c.actions", "wf-");
    create("fix-c", "  pipelineRef: {name: c}");
    awaitPhase("fix-c", DlqReplayPhase.AwaitingApproval);
    assertThat(job("fix-c-inspect")).isNotNull();

    annotate("fix-c", Cancellation.ANNOTATION, "true");
    DlqReplayStatus cancelled = awaitPhase("fix-c", DlqReplayPhase.Cancelled);
    assertThat(cancelled.getMessage()).contains("nothing was replayed");
    await().atMost(PHASE_TIMEOUT).untilAsserted(() -> assertThat(job("fix-c-inspect")).isNull());

    annotate("fix-c", Approval.ANNOTATION, "true");
    Thread.sleep(1_000);
    assertThat(status("fix-c").getPhase()).isEqualTo(DlqReplayPhase.Cancelled);
    assertThat(job("fix-c-replay")).isNull();
  }

  @Test
  void aDeletedJobIsRecreatedAndARestartedOperatorFollowsItWithEveryRecordLandingOnce() throws Exception {
    pipelineWithTopics("d", 1);
    produceDlq("d.dlq", 0, 100, "TIMEOUT", "d.actions", "wf-");
    create("fix-d", "  pipelineRef: {name: d}", "  approval: Automatic", "  ratePerSecond: 20");
    await().atMost(PHASE_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
      DlqReplayStatus status = status("fix-d");
      return status != null && status.getPhase() == DlqReplayPhase.Replaying
          && status.getProgress().getReplayed() > 0;
    });
    String firstUid = job("fix-d-replay").getMetadata().getUid();

    // The pod gets SIGTERM and commits its open transaction; the new Job resumes after it (or fences it).
    fixture.client.batch().v1().jobs().inNamespace(NAMESPACE).withName("fix-d-replay")
        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    await().atMost(PHASE_TIMEOUT).until(() -> job("fix-d-replay") != null
        && !job("fix-d-replay").getMetadata().getUid().equals(firstUid));
    String secondUid = job("fix-d-replay").getMetadata().getUid();

    // Whether the replay is still running or finished meanwhile, the restarted operator follows that same Job.
    fixture.stopOperator();
    Thread.sleep(500);
    fixture.startOperator("--finished-history-limit", "1");
    DlqReplayStatus done = awaitPhase("fix-d", DlqReplayPhase.Succeeded);

    assertThat(job("fix-d-replay").getMetadata().getUid()).isEqualTo(secondUid);
    assertThat(done.getProgress().getReplayed()).isEqualTo(100);
    assertThat(events("fix-d")).filteredOn(e -> e.startsWith("ReplayStarted: Recreated Job fix-d-replay"))
        .hasSize(1);
    List<String> sources = readCommitted("d.actions").stream().map(r -> header(r, "x-replay-source")).toList();
    assertThat(sources).hasSize(100).doesNotHaveDuplicates();
  }

  /**
   * A DlqReplay created again after it succeeded, and another one under a new name, over the same records: each
   * used to republish them all (x-replay-count on the DLQ record is 0 for every replay). The ledger makes them skip
   * and count what was sent; the preview shows the overlap first; replayAgain sends it anyway. Records naming a
   * topic outside the pipeline are never published.
   */
  @Test
  void replaysOverRecordsAlreadyReplayedSkipThemUnlessToldAndForeignTargetsAreNeverWritten() throws Exception {
    pipelineWithTopics("r", 1);
    fixture.kafka.createTopic("r.elsewhere", 1);
    produceDlq("r.dlq", 0, 6, "TIMEOUT", "r.actions", "wf-");
    produceDlq("r.dlq", 0, 2, "TIMEOUT", "r.elsewhere", "other-");
    create("fix-r", "  pipelineRef: {name: r}", "  approval: Automatic");

    DlqReplayStatus first = awaitPhase("fix-r", DlqReplayPhase.Succeeded);
    assertThat(first.getPreview().getTargetNotAllowed()).isEqualTo(2);
    assertThat(first.getProgress().getReplayed()).isEqualTo(6);
    assertThat(first.getProgress().getSkippedByReason()).containsExactly(Map.entry("targetNotAllowed", 2L));
    assertThat(readCommitted("r.elsewhere")).isEmpty();

    // Created again under the same name after the DLQ grew by one record (a GitOps tool re-applying it).
    fixture.client.resources(DlqReplay.class).inNamespace(NAMESPACE).withName("fix-r").delete();
    await().atMost(PHASE_TIMEOUT).until(() -> replay("fix-r") == null);
    produceDlq("r.dlq", 0, 1, "TIMEOUT", "r.actions", "late-");
    create("fix-r", "  pipelineRef: {name: r}");
    DlqReplayStatus again = awaitPhase("fix-r", DlqReplayPhase.AwaitingApproval);
    assertThat(again.getPreview().getAlreadyReplayed()).isEqualTo(6);
    assertThat(again.getPreview().getAlreadyReplayedRanges()).singleElement().satisfies(r -> {
      assertThat(r.getReplayName()).isEqualTo("orders.fix-r");
      assertThat(r.getStartOffset()).isZero();
      assertThat(r.getEndOffset()).isEqualTo(6);
    });
    assertThat(again.getMessage()).contains("6 of the selected records were already replayed by orders.fix-r")
        .contains("will be skipped");
    annotate("fix-r", Approval.ANNOTATION, "true");
    DlqReplayStatus againDone = awaitPhase("fix-r", DlqReplayPhase.Succeeded);
    assertThat(againDone.getProgress().getReplayed()).isEqualTo(1);
    assertThat(againDone.getProgress().getSkippedByReason()).containsEntry("alreadyReplayed", 6L)
        .containsEntry("targetNotAllowed", 2L);

    create("fix-r-other", "  pipelineRef: {name: r}", "  approval: Automatic");
    DlqReplayStatus other = awaitPhase("fix-r-other", DlqReplayPhase.Succeeded);
    assertThat(other.getProgress().getReplayed()).isZero();
    assertThat(other.getProgress().getSkippedByReason()).containsEntry("alreadyReplayed", 7L);
    assertThat(readCommitted("r.actions")).hasSize(7);

    create("fix-r-again", "  pipelineRef: {name: r}", "  approval: Automatic", "  replayAgain: true");
    DlqReplayStatus forced = awaitPhase("fix-r-again", DlqReplayPhase.Succeeded);
    assertThat(forced.getPreview().getAlreadyReplayed()).isEqualTo(7);
    assertThat(forced.getProgress().getReplayed()).isEqualTo(7);
    assertThat(readCommitted("r.actions")).hasSize(14);
    assertThat(readCommitted("r.elsewhere")).isEmpty();
  }

  /**
   * A replay reads the ledger when it starts: two replays of one DLQ running at once would each send what both
   * select. The operator runs the second after the first, which then skips everything the first sent.
   */
  @Test
  void aSecondReplayOfTheSameDlqWaitsForTheFirstAndThenSendsNothingTwice() throws Exception {
    pipelineWithTopics("q", 1);
    produceDlq("q.dlq", 0, 40, "TIMEOUT", "q.actions", "wf-");
    create("q-first", "  pipelineRef: {name: q}", "  ratePerSecond: 10");
    create("q-second", "  pipelineRef: {name: q}");
    awaitPhase("q-first", DlqReplayPhase.AwaitingApproval);
    awaitPhase("q-second", DlqReplayPhase.AwaitingApproval);

    annotate("q-first", Approval.ANNOTATION, "true");
    awaitPhase("q-first", DlqReplayPhase.Replaying);
    annotate("q-second", Approval.ANNOTATION, "true");
    await().atMost(PHASE_TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      DlqReplayStatus status = status("q-second");
      assertThat(status.getPhase()).isEqualTo(DlqReplayPhase.AwaitingApproval);
      assertThat(status.getMessage()).contains("waiting for DlqReplay q-first of the same DLQ");
    });
    assertThat(job("q-second-replay")).isNull();

    DlqReplayStatus first = awaitPhase("q-first", DlqReplayPhase.Succeeded);
    DlqReplayStatus second = awaitPhase("q-second", DlqReplayPhase.Succeeded);
    assertThat(first.getProgress().getReplayed()).isEqualTo(40);
    assertThat(second.getProgress().getReplayed()).isZero();
    assertThat(second.getProgress().getSkippedByReason()).containsEntry("alreadyReplayed", 40L);
    assertThat(readCommitted("q.actions")).hasSize(40);
  }

  @Test
  void aReplayOfATwoHundredPartitionDlqEndsWithEveryPartitionAccountedFor() throws Exception {
    int partitions = 200;
    pipelineWithTopics("wide", partitions);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(fixture.kafka.clientProperties(),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int partition = 0; partition < partitions; partition++) {
        for (int i = 0; i < 2; i++) {
          ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("wide.dlq", partition,
              bytes("wf-" + partition + "-" + i), bytes("{}"));
          record.headers().add("x-error-type", bytes(partition % 2 == 0 ? "DESERIALIZATION_ERROR" : "TIMEOUT"));
          record.headers().add("x-original-topic", bytes("wide.actions"));
          producer.send(record);
        }
      }
      producer.flush();
    }
    create("fix-wide", "  pipelineRef: {name: wide}", "  approval: Automatic");

    await().atMost(PHASE_TIMEOUT).pollInterval(Duration.ofMillis(200))
        .until(() -> status("fix-wide") != null && status("fix-wide").getPhase() != null
            && status("fix-wide").getPhase().isTerminal());
    DlqReplayStatus done = status("fix-wide");
    assertThat(done.getPhase()).withFailMessage(() -> done.getMessage() + "\n" + cluster.dump())
        .isEqualTo(DlqReplayPhase.Succeeded);
    // The snapshot and the per-partition counts came from the inspect Job's result group, not its message.
    assertThat(done.getSnapshot()).hasSize(partitions).allSatisfy(r -> {
      assertThat(r.getStartOffset()).isZero();
      assertThat(r.getEndOffset()).isEqualTo(2);
    });
    assertThat(done.getSnapshot()).extracting(r -> r.getPartition()).containsExactlyElementsOf(
        IntStream.range(0, partitions).boxed().toList());
    assertThat(done.getPreview().getMatched()).isEqualTo(400);
    assertThat(done.getPreview().getByPartition()).hasSize(partitions).allSatisfy((p, n) -> assertThat(n)
        .isEqualTo(2L));
    assertThat(done.getPreview().getByErrorType()).containsOnly(Map.entry("DESERIALIZATION_ERROR", 200L),
        Map.entry("TIMEOUT", 200L));
    assertThat(done.getProgress().getMatched()).isEqualTo(400);
    assertThat(done.getProgress().getReplayed()).isEqualTo(400);
    assertThat(done.getMessage()).contains("all 200 DLQ partitions of the snapshot committed at their end");
    assertThat(readCommitted("wide.actions")).hasSize(400);

    String inspectMessage = fixture.client.pods().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(p -> p.getMetadata().getName().startsWith("fix-wide-inspect"))
        .flatMap(p -> p.getStatus().getContainerStatuses().stream())
        .map(c -> c.getState().getTerminated() == null ? null : c.getState().getTerminated().getMessage())
        .filter(m -> m != null).findFirst().orElseThrow();
    DlqInspectResult summary = DlqInspectResult.parse(inspectMessage);
    assertThat(summary.snapshot()).isNull();
    assertThat(summary.partitions()).isEqualTo(partitions);
    assertThat(summary.resultGroup().group()).isEqualTo("reducer-dlq-inspect.orders.fix-wide."
        + replay("fix-wide").getMetadata().getUid());
  }

  private static void pipelineWithTopics(String name, int dlqPartitions) {
    fixture.kafka.createTopic(name + ".dlq", dlqPartitions);
    fixture.kafka.createTopic(name + ".actions", 1);
    fixture.pipeline(name, fixture.kafka.bootstrapServers(), "pg", name);
  }

  /** DLQ records in the materializer's format (headers x-error-type, x-original-topic, ...). */
  private static void produceDlq(String dlq, int partition, int count, String errorType, String originalTopic,
      String keyPrefix) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(fixture.kafka.clientProperties(),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < count; i++) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(dlq, partition, bytes(keyPrefix + i),
            bytes("{\"workflow_key\":\"" + keyPrefix + i + "\"}"));
        record.headers().add("correlation-id", bytes("c-" + keyPrefix + i));
        record.headers().add("x-error-type", bytes(errorType));
        record.headers().add("x-error-message", bytes("failed: " + errorType));
        record.headers().add("x-exception-class", bytes("io.reducer.Example"));
        record.headers().add("x-original-topic", bytes(originalTopic));
        record.headers().add("x-original-partition", bytes("0"));
        record.headers().add("x-original-offset", bytes(String.valueOf(i)));
        producer.send(record);
      }
      producer.flush();
    }
  }

  /** Every committed record of a topic, as a read_committed consumer of it sees them. */
  private static List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
    fixture.kafka.awaitNoOpenTransaction(topic);
    Map<String, Object> properties = fixture.kafka.clientProperties();
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = IntStream.range(0, consumer.partitionsFor(topic).size())
          .mapToObj(p -> new TopicPartition(topic, p)).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      Instant deadline = Instant.now().plusSeconds(20);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        assertThat(Instant.now()).as("reading " + topic + " to " + end).isBefore(deadline);
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  private static DlqReplay create(String name, String... specLines) {
    String yaml = String.join("\n", "apiVersion: reducer.io/v1alpha1", "kind: DlqReplay", "metadata:",
        "  name: " + name, "  namespace: " + NAMESPACE, "spec:", String.join("\n", specLines));
    return fixture.client.resources(DlqReplay.class).inNamespace(NAMESPACE)
        .resource(YAML.unmarshal(yaml, DlqReplay.class)).create();
  }

  private static DlqReplayStatus awaitPhase(String name, DlqReplayPhase phase) {
    await().atMost(PHASE_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
      DlqReplayStatus status = status(name);
      return status != null && status.getPhase() != null
          && (status.getPhase() == phase || status.getPhase().isTerminal());
    });
    DlqReplayStatus status = status(name);
    assertThat(status.getPhase()).withFailMessage(() -> "phase " + status.getPhase() + ": " + status.getMessage()
        + "\n" + cluster.dump()).isEqualTo(phase);
    return status;
  }

  private static DlqReplay replay(String name) {
    return fixture.client.resources(DlqReplay.class).inNamespace(NAMESPACE).withName(name).get();
  }

  private static DlqReplayStatus status(String name) {
    DlqReplay replay = replay(name);
    return replay == null ? null : replay.getStatus();
  }

  private static Job job(String name) {
    return fixture.client.batch().v1().jobs().inNamespace(NAMESPACE).withName(name).get();
  }

  private static void annotate(String name, String annotation, String value) {
    fixture.client.resources(DlqReplay.class).inNamespace(NAMESPACE).withName(name).edit(r -> {
      if (r.getMetadata().getAnnotations() == null) {
        r.getMetadata().setAnnotations(new HashMap<>());
      }
      r.getMetadata().getAnnotations().put(annotation, value);
      return r;
    });
  }

  private static List<String> events(String involved) {
    return fixture.client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> involved.equals(e.getInvolvedObject().getName()))
        .map(e -> e.getReason() + ": " + e.getMessage()).toList();
  }

  /** The replay's row of kubectl get dlqr, split into cells. */
  private static List<String> printerRow(String name) throws Exception {
    var crd = fixture.kubernetes.crds().stream().filter(c -> c.getSpec().getNames().getKind().equals("DlqReplay"))
        .findFirst().orElseThrow();
    var json = new ObjectMapper().readTree(YAML.asJson(replay(name)));
    String[] lines = new PrinterTable(crd).render(List.of(json), Instant.now()).split("\n");
    return List.of(lines[1].trim().split("\\s+"));
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
