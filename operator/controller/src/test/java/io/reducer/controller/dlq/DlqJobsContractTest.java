package io.reducer.controller.dlq;

import static io.reducer.controller.dlq.DlqTestResources.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.dlq.PartitionRange;
import io.reducer.controller.workload.PodEnvironment;
import io.reducer.workloads.dlq.DlqOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator and {@code workloads dlq inspect|replay} agree: the command accepts every flag the operator gives its
 * Jobs and reads from them the selection the DlqReplay asked for, the same for the preview and the replay.
 */
class DlqJobsContractTest {

  private final DlqReplay replay = DlqJobsTest.filtered();

  @Test
  void thePreviewReadsTheSpecsSelection() throws Exception {
    Map<String, List<String>> values = parse(DlqJobs.inspect(replay, source("shop"), "img:1"), "inspect");

    assertSelection(values);
    assertThat(values.get(DlqOptions.RESULT_GROUP.flag())).containsExactly(ReplayIdentity.inspectGroup(replay));
  }

  @Test
  void theReplayReadsTheSameSelectionTheSnapshotAndItsName() throws Exception {
    PartitionRange range = new PartitionRange();
    range.setPartition(0);
    range.setStartOffset(10L);
    range.setEndOffset(120L);
    Map<String, List<String>> values = parse(DlqJobs.replay(replay, source("shop"), List.of(range), "img:1"),
        "replay");

    assertSelection(values);
    assertThat(values.get(DlqOptions.SNAPSHOT.flag())).containsExactly(ReplayResults.snapshotText(List.of(range)));
    assertThat(values.get(DlqOptions.REPLAY_NAME.flag())).containsExactly(ReplayIdentity.replayName(replay));
    assertThat(values.get(DlqOptions.RATE_PER_SECOND.flag())).containsExactly("250");
    // The operator reads the replay's position from the group the command commits it to.
    assertThat(values.get(DlqOptions.GROUP.flag())).isEmpty();
  }

  private void assertSelection(Map<String, List<String>> values) {
    assertThat(values.get(DlqOptions.DLQ_TOPIC.flag())).containsExactly("shop.dlq");
    assertThat(values.get(DlqOptions.PARTITIONS.flag())).containsExactly("0", "2");
    assertThat(values.get(DlqOptions.CORRELATION_ID.flag())).containsExactly("c-1", "c-2");
    assertThat(values.get(DlqOptions.INCLUDE_ERROR_TYPES.flag())).containsExactly("VALIDATION_ERROR");
    assertThat(values.get(DlqOptions.EXCLUDE_ERROR_TYPES.flag())).containsExactly("TIMEOUT");
    assertThat(values.get(DlqOptions.FROM.flag())).containsExactly("2026-01-01T00:00:00Z");
    assertThat(values.get(DlqOptions.TO.flag())).containsExactly("2026-02-01T00:00:00Z");
    assertThat(values.get(DlqOptions.LIMIT.flag())).containsExactly("500");
    assertThat(values.get(DlqOptions.MAX_REPLAYS.flag())).containsExactly("2");
    assertThat(values.get(DlqOptions.TARGET_TOPIC.flag())).containsExactly("shop.retry");
    assertThat(values.get(DlqOptions.ALLOWED_TARGETS.flag()))
        .containsExactly("shop.actions", "shop.retry", "shop.state-committed");
    assertThat(values.get(DlqOptions.BOOTSTRAP_SERVERS.flag())).containsExactly("kafka:9092");
  }

  private static Map<String, List<String>> parse(Job job, String command) throws Exception {
    Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    List<String> args = container.getArgs();
    assertThat(args.subList(0, 2)).containsExactly("dlq", command);
    return DlqOptions.parse(command, args.subList(2, args.size()), PodEnvironment.of(container));
  }
}
