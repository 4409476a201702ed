package io.reducer.workloads.reducer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.reducer.workloads.deadletter.DeadLetter;

/**
 * The actions the poll loop has read and decoded, in the order read, waiting for the database worker; then the
 * batch the worker applies. Knows each partition's first offset (where to seek back when the batch fails) and the
 * offset after its last record (what to commit once the batch is in the database).
 */
final class ActionBatch {

  private final List<PendingAction> actions = new ArrayList<>();
  private final List<DeadLetter> poison = new ArrayList<>();
  private final Map<TopicPartition, Long> first = new LinkedHashMap<>();
  private final Map<TopicPartition, Long> next = new HashMap<>();

  void add(ConsumerRecord<byte[], byte[]> record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    first.putIfAbsent(partition, record.offset());
    next.put(partition, record.offset() + 1);
  }

  void action(ConsumerRecord<byte[], byte[]> record, PendingAction action) {
    add(record);
    actions.add(action);
  }

  void poison(ConsumerRecord<byte[], byte[]> record, DeadLetter letter) {
    add(record);
    poison.add(letter);
  }

  boolean isEmpty() {
    return first.isEmpty();
  }

  /** Records read: actions and poison alike. */
  int size() {
    return actions.size() + poison.size();
  }

  List<PendingAction> actions() {
    return actions;
  }

  List<DeadLetter> poison() {
    return poison;
  }

  Set<TopicPartition> partitions() {
    return first.keySet();
  }

  /** Where each partition's records of this batch start. */
  Map<TopicPartition, Long> firstOffsets() {
    return first;
  }

  /** The offsets to commit once the batch is in the database: after each partition's last record. */
  Map<TopicPartition, OffsetAndMetadata> nextOffsets(Collection<TopicPartition> of) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : of) {
      Long offset = next.get(partition);
      if (offset != null) {
        offsets.put(partition, new OffsetAndMetadata(offset));
      }
    }
    return offsets;
  }

  /** Forgets the records of the given partitions (revoked, or to be read again after a seek). */
  void drop(Collection<TopicPartition> partitions) {
    Set<TopicPartition> gone = Set.copyOf(partitions);
    if (gone.stream().noneMatch(first::containsKey)) {
      return;
    }
    actions.removeIf(action -> gone.contains(partitionOf(action.record())));
    poison.removeIf(letter -> gone.contains(partitionOf(letter.record())));
    first.keySet().removeAll(gone);
    next.keySet().removeAll(gone);
  }

  private static TopicPartition partitionOf(ConsumerRecord<byte[], byte[]> record) {
    return new TopicPartition(record.topic(), record.partition());
  }
}
