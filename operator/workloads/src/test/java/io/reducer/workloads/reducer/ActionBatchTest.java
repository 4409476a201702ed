package io.reducer.workloads.reducer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.reducer.workloads.deadletter.DeadLetter;
import io.reducer.workloads.deadletter.PoisonRecordException;
import io.reducer.workloads.reducer.spi.Action;

/** What the loop knows of a batch: where to seek back to when it fails and what to commit when it is written. */
class ActionBatchTest {

  private static final TopicPartition P0 = new TopicPartition("actions", 0);
  private static final TopicPartition P1 = new TopicPartition("actions", 1);

  private static ConsumerRecord<byte[], byte[]> record(int partition, long offset) {
    return new ConsumerRecord<>("actions", partition, offset, "k".getBytes(StandardCharsets.UTF_8), new byte[0]);
  }

  private static void action(ActionBatch batch, int partition, long offset) {
    ConsumerRecord<byte[], byte[]> record = record(partition, offset);
    batch.action(record, new PendingAction(record, new Action("a-" + partition + "-" + offset, "k", "touch",
        null, null), false));
  }

  private static void poison(ActionBatch batch, int partition, long offset) {
    ConsumerRecord<byte[], byte[]> record = record(partition, offset);
    batch.poison(record, new DeadLetter(record, new PoisonRecordException("DESERIALIZATION_ERROR", "bad"), null));
  }

  @Test
  void seeksBackToEachPartitionsFirstRecordAndCommitsAfterItsLast() {
    ActionBatch batch = new ActionBatch();
    action(batch, 0, 10);
    action(batch, 1, 3);
    poison(batch, 0, 11);
    action(batch, 0, 12);

    assertThat(batch.size()).isEqualTo(4);
    assertThat(batch.actions()).hasSize(3);
    assertThat(batch.poison()).hasSize(1);
    assertThat(batch.firstOffsets()).containsExactlyInAnyOrderEntriesOf(Map.of(P0, 10L, P1, 3L));
    assertThat(batch.nextOffsets(batch.partitions())).containsExactlyInAnyOrderEntriesOf(
        Map.of(P0, new OffsetAndMetadata(13), P1, new OffsetAndMetadata(4)));
    assertThat(batch.nextOffsets(List.of(P1))).containsOnlyKeys(P1);
  }

  @Test
  void droppingAPartitionForgetsItsActionsPoisonAndOffsets() {
    ActionBatch batch = new ActionBatch();
    action(batch, 0, 10);
    poison(batch, 0, 11);
    action(batch, 1, 3);

    batch.drop(List.of(P0));

    assertThat(batch.actions()).extracting(pending -> pending.action().actionId()).containsExactly("a-1-3");
    assertThat(batch.poison()).isEmpty();
    assertThat(batch.partitions()).containsExactly(P1);
    assertThat(batch.nextOffsets(List.of(P0, P1))).containsOnlyKeys(P1);

    batch.drop(List.of(P1));
    assertThat(batch.isEmpty()).isTrue();
    assertThat(batch.size()).isZero();
  }
}
