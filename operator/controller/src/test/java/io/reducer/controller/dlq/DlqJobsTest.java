package io.reducer.controller.dlq;

import static io.reducer.controller.dlq.DlqTestResources.replay;
import static io.reducer.controller.dlq.DlqTestResources.sasl;
import static io.reducer.controller.dlq.DlqTestResources.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.dlq.DlqFilter;
import io.reducer.api.v1alpha1.dlq.ErrorTypeFilter;
import io.reducer.api.v1alpha1.dlq.PartitionRange;
import io.reducer.api.v1alpha1.dlq.ReplayTarget;
import io.reducer.api.v1alpha1.dlq.TimeRange;
import io.reducer.api.v1alpha1.pipeline.SaslAuthentication;
import io.reducer.controller.workload.WorkloadEnv;
import java.util.List;
import org.junit.jupiter.api.Test;

class DlqJobsTest {

  @Test
  void thePreviewJobCountsWithTheSpecsSelectionAndTakesTheSnapshotItself() {
    Job job = DlqJobs.inspect(filtered(), source("shop"), "img:1");

    assertThat(job.getMetadata().getName()).isEqualTo("fix-inspect");
    assertThat(job.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "dlq-inspect");
    assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
      assertThat(o.getKind()).isEqualTo("DlqReplay");
      assertThat(o.getController()).isTrue();
    });
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(DlqJobs.INSPECT_BACKOFF_LIMIT);
    Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("img:1");
    assertThat(container.getArgs()).containsExactly("dlq", "inspect", "--dlq-topic", "shop.dlq",
        "--partitions", "0,2", "--correlation-id", "c-1", "--correlation-id", "c-2", "--include-error-types", "VALIDATION_ERROR",
        "--exclude-error-types", "TIMEOUT", "--from", "2026-01-01T00:00:00Z", "--to", "2026-02-01T00:00:00Z",
        "--limit", "500", "--max-replays", "2", "--target-topic", "shop.retry",
        "--allowed-targets", "shop.actions,shop.retry,shop.state-committed",
        "--result-group", "reducer-dlq-inspect.orders.fix.uid-fix");
    assertThat(container.getEnv()).singleElement().satisfies(e -> {
      assertThat(e.getName()).isEqualTo("KAFKA_BOOTSTRAP_SERVERS");
      assertThat(e.getValue()).isEqualTo("kafka:9092");
    });
  }

  @Test
  void bothJobsOfASecuredPipelineGetItsKafkaSecurityVariables() {
    ReplaySource source = source("shop");
    source.pipeline().getSpec().getKafka().setSecurity(sasl(SaslAuthentication.Mechanism.SCRAM_SHA_256));

    for (Job job : List.of(DlqJobs.inspect(filtered(), source, "img:1"),
        DlqJobs.replay(filtered(), source, List.of(new PartitionRange(0, 0, 1)), "img:1"))) {
      assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
          .filteredOn(e -> !e.getName().equals("JAVA_TOOL_OPTIONS"))
          .isEqualTo(WorkloadEnv.kafka(source.pipeline()))
          .extracting(EnvVar::getName).contains("KAFKA_SASL_PASSWORD");
    }
  }

  /**
   * The replay's JVM runs with the serial collector, a young generation as large as the old one on transparent huge
   * pages, and the default compilers (benchmarks.md, DLQ replay); the preview keeps the image's defaults.
   */
  @Test
  void theReplayJvmRunsWithTheSerialCollectorAndThePreviewWithTheImagesDefaults() {
    Job replay = DlqJobs.replay(filtered(), source("shop"), List.of(new PartitionRange(0, 0, 1)), "img:1");
    Job inspect = DlqJobs.inspect(filtered(), source("shop"), "img:1");

    assertThat(replay.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .filteredOn(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).singleElement()
        .satisfies(e -> assertThat(e.getValue())
            .isEqualTo("-XX:+UseSerialGC -XX:NewRatio=1 -XX:+UseTransparentHugePages -XX:+AlwaysPreTouch "
                + "-Xlog:pagesize=error"));
    assertThat(inspect.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .extracting(EnvVar::getName).doesNotContain("JAVA_TOOL_OPTIONS");
  }

  @Test
  void theReplayJobReplaysExactlyTheSnapshotUnderTheReplaysOwnName() {
    List<PartitionRange> snapshot = List.of(new PartitionRange(0, 5, 120), new PartitionRange(2, 0, 88));
    Job job = DlqJobs.replay(filtered(), source("shop"), snapshot, "img:1");

    assertThat(job.getMetadata().getName()).isEqualTo("fix-replay");
    assertThat(job.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "dlq-replay");
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(DlqJobs.REPLAY_BACKOFF_LIMIT);
    List<String> args = job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    assertThat(args).startsWith("dlq", "replay", "--dlq-topic", "shop.dlq")
        .containsSubsequence("--snapshot", "0=120,2=88", "--replay-name", "orders.fix", "--rate-per-second", "250")
        .containsSubsequence("--max-replays", "2", "--target-topic", "shop.retry");
  }

  /**
   * Joined with commas, the id "a,b" reached the command as the two ids "a" and "b" and selected their records
   * instead; a long list made one argument beyond Linux's 128 KiB per-argument limit. Each id is its own
   * --correlation-id, which the command takes whole.
   */
  @Test
  void everyCorrelationIdIsItsOwnArgumentSoACommaDoesNotSplitIt() {
    DlqReplay replay = replay("fix", "shop");
    DlqFilter filter = new DlqFilter();
    filter.setCorrelationIds(List.of("a,b", "c"));
    replay.getSpec().setFilter(filter);

    assertThat(DlqJobs.selection(replay.getSpec(), "shop.dlq")).containsExactly("--dlq-topic", "shop.dlq",
        "--correlation-id", "a,b", "--correlation-id", "c", "--max-replays", "3");
  }

  /**
   * x-original-topic is written by whichever producer failed: the Jobs may write only to the pipeline's topics (or
   * the spec's own list), plus an explicit target.
   */
  @Test
  void theJobsMayWriteOnlyToThePipelinesTopicsOrTheSpecsAllowedTargets() {
    DlqReplay replay = replay("fix", "shop");
    ReplaySource source = source("shop");
    List<String> args = DlqJobs.inspect(replay, source, "img:1").getSpec().getTemplate().getSpec().getContainers()
        .get(0).getArgs();
    List<String> pipelineTopics = DlqJobs.allowedTargets(replay.getSpec(), source);
    assertThat(pipelineTopics).containsExactlyInAnyOrder(
        source.pipeline().getSpec().getTopics().getActions().getName(),
        source.pipeline().getSpec().getTopics().getStateCommitted().getName());
    assertThat(args).containsSubsequence("--allowed-targets", String.join(",", pipelineTopics))
        .doesNotContain("--replay-again");

    replay.getSpec().setAllowedTargets(List.of("shop.other"));
    ReplayTarget target = new ReplayTarget();
    target.setTopic("shop.retry");
    replay.getSpec().setTarget(target);
    replay.getSpec().setReplayAgain(true);
    assertThat(DlqJobs.replay(replay, source, List.of(new PartitionRange(0, 0, 1)), "img:1").getSpec().getTemplate()
        .getSpec().getContainers().get(0).getArgs())
        .containsSubsequence("--allowed-targets", "shop.other,shop.retry", "--replay-again", "true");
    assertThat(DlqJobs.allowedTargets(replay.getSpec(), new ReplaySource(source.pipeline(), "shop.dlq", "view.src")))
        .containsExactly("shop.other", "shop.retry");
    replay.getSpec().setAllowedTargets(null);
    assertThat(DlqJobs.allowedTargets(replay.getSpec(), new ReplaySource(source.pipeline(), "shop.dlq", "view.src")))
        .contains("view.src", "shop.retry");
  }

  @Test
  void aDefaultSpecPassesOnlyTopicAndLoopGuard() {
    assertThat(DlqJobs.selection(replay("fix", "shop").getSpec(), "shop.dlq"))
        .containsExactly("--dlq-topic", "shop.dlq", "--max-replays", "3");
  }

  @Test
  void aConfigurationErrorFailsTheJobAtOnceAndAnEvictionIsNotCounted() {
    Job job = DlqJobs.replay(filtered(), source("shop"), List.of(new PartitionRange(0, 0, 1)), "img:1");

    var rules = job.getSpec().getPodFailurePolicy().getRules();
    assertThat(rules).hasSize(2);
    assertThat(rules.get(0).getAction()).isEqualTo("FailJob");
    assertThat(rules.get(0).getOnExitCodes().getContainerName()).isEqualTo("dlq-replay");
    assertThat(rules.get(0).getOnExitCodes().getValues()).containsExactly(2);
    assertThat(rules.get(1).getAction()).isEqualTo("Ignore");
    assertThat(rules.get(1).getOnPodConditions()).singleElement()
        .satisfies(c -> assertThat(c.getType()).isEqualTo("DisruptionTarget"));
  }

  @Test
  void theInformersSelectorMatchesBothJobs() {
    Job inspect = DlqJobs.inspect(filtered(), source("shop"), "img:1");
    Job replay = DlqJobs.replay(filtered(), source("shop"), List.of(new PartitionRange(0, 0, 1)), "img:1");

    for (String term : DlqJobs.labelSelector().split(",")) {
      String[] keyValue = term.split("=");
      assertThat(inspect.getMetadata().getLabels()).containsEntry(keyValue[0], keyValue[1]);
      assertThat(replay.getMetadata().getLabels()).containsEntry(keyValue[0], keyValue[1]);
    }
  }

  static DlqReplay filtered() {
    DlqReplay replay = replay("fix", "shop");
    DlqFilter filter = new DlqFilter();
    filter.setPartitions(List.of(0, 2));
    filter.setCorrelationIds(List.of("c-1", "c-2"));
    ErrorTypeFilter errorTypes = new ErrorTypeFilter();
    errorTypes.setInclude(List.of("VALIDATION_ERROR"));
    errorTypes.setExclude(List.of("TIMEOUT"));
    filter.setErrorTypes(errorTypes);
    TimeRange range = new TimeRange();
    range.setFrom("2026-01-01T00:00:00Z");
    range.setTo("2026-02-01T00:00:00Z");
    filter.setTimeRange(range);
    replay.getSpec().setFilter(filter);
    replay.getSpec().setLimit(500L);
    replay.getSpec().setMaxReplays(2);
    replay.getSpec().setRatePerSecond(250);
    ReplayTarget target = new ReplayTarget();
    target.setTopic("shop.retry");
    replay.getSpec().setTarget(target);
    return replay;
  }
}
