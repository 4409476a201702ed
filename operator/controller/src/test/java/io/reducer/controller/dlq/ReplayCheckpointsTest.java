package io.reducer.controller.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.api.v1alpha1.dlq.PartitionRange;
import io.reducer.controller.kafka.CommittedOffset;
import io.reducer.workloads.dlq.DlqReplayResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayCheckpointsTest {

  @Test
  void theNewestCheckpointAmongThePartitionsGivesTheCounters() {
    Map<Integer, CommittedOffset> committed = Map.of(
        0, new CommittedOffset(50, "{\"v\":1,\"fingerprint\":\"f\",\"end\":50,\"matched\":30,\"replayed\":28,"
            + "\"skipped\":{\"maxReplays\":1,\"unroutable\":1}}"),
        1, new CommittedOffset(10, "{\"v\":1,\"fingerprint\":\"f\",\"end\":40,\"matched\":12,\"replayed\":12,"
            + "\"skipped\":{}}"));

    DlqReplayResult.Progress progress = ReplayCheckpoints.counters(committed).orElseThrow();

    assertThat(progress.matched()).isEqualTo(30);
    assertThat(progress.replayed()).isEqualTo(28);
    assertThat(progress.skipped()).isEqualTo(2);
    assertThat(progress.skippedByReason()).containsEntry("unroutable", 1L);
  }

  @Test
  void offsetsWithoutACheckpointGiveNoCounters() {
    assertThat(ReplayCheckpoints.counters(Map.of(0, new CommittedOffset(5, "")))).isEmpty();
    assertThat(ReplayCheckpoints.counters(Map.of(0, new CommittedOffset(5, "not json")))).isEmpty();
    assertThat(ReplayCheckpoints.counters(Map.of(0, new CommittedOffset(5, "{\"other\":1}")))).isEmpty();
    assertThat(ReplayCheckpoints.counters(null)).isEmpty();
  }

  @Test
  void recordsReadAreCountedWithinTheSnapshotOnly() {
    List<PartitionRange> snapshot = List.of(new PartitionRange(0, 10, 60), new PartitionRange(1, 0, 40));
    Map<Integer, CommittedOffset> committed = Map.of(0, new CommittedOffset(70, null), 2, new CommittedOffset(9, null));

    assertThat(ReplayCheckpoints.read(committed, snapshot)).isEqualTo(50);
    assertThat(ReplayCheckpoints.total(snapshot)).isEqualTo(90);
  }

  @Test
  void everyPartitionOfATwoHundredPartitionSnapshotIsAccountedForOnceCommittedAtItsEnd() {
    List<PartitionRange> snapshot = new java.util.ArrayList<>();
    Map<Integer, CommittedOffset> committed = new java.util.HashMap<>();
    for (int p = 0; p < 200; p++) {
      snapshot.add(new PartitionRange(p, 0, p == 7 ? 0 : 2));
      committed.put(p, new CommittedOffset(p == 7 ? 0 : 2, ""));
    }
    assertThat(ReplayCheckpoints.partitionsAtEnd(committed, snapshot)).isEqualTo(200);
    committed.put(150, new CommittedOffset(1, ""));
    committed.remove(199);
    assertThat(ReplayCheckpoints.partitionsAtEnd(committed, snapshot)).isEqualTo(198);
    assertThat(ReplayCheckpoints.partitionsAtEnd(null, snapshot)).isZero();
  }
}
