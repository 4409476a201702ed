package io.reducer.workloads.dlq;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the snapshot in DLQ order: one partition at a time, ascending, each from its start to its end offset, so
 * a limit selects the same records in every run. Records at or after a partition's end offset are never returned:
 * what was added after the snapshot is not replayed.
 */
final class SnapshotReader {

  private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
  /** The snapshot ends at or below the last stable offset, so its records are readable; waiting longer is a fault. */
  private static final long STALL_NANOS = Duration.ofSeconds(120).toNanos();

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final Deque<DlqInspectResult.Range> pending;
  private final Set<Integer> finished = new HashSet<>();
  private DlqInspectResult.Range current;
  private TopicPartition currentPartition;
  private boolean currentComplete;
  private long lastProgress;
  private boolean done;

  /** {@code ranges} in partition order; a range's start is where reading begins (a resumed position or log start). */
  SnapshotReader(Consumer<byte[], byte[]> consumer, String topic, List<DlqInspectResult.Range> ranges) {
    this.consumer = consumer;
    this.topic = topic;
    this.pending = new ArrayDeque<>(ranges);
  }

  /**
   * The next records of the snapshot, all of one partition and in offset order; empty when none arrived within
   * the poll timeout or when the snapshot is read ({@link #done()}). A partition counts as {@link #finished} only
   * once the caller asks for more after its last records, so the caller has handled them by then.
   */
  List<ConsumerRecord<byte[], byte[]>> poll() {
    while (true) {
      if (currentComplete) {
        finished.add(current.partition());
        current = null;
        currentComplete = false;
      }
      if (current == null) {
        current = pending.poll();
        if (current == null) {
          done = true;
          return List.of();
        }
        if (current.startOffset() >= current.endOffset()) {
          currentComplete = true;
          continue;
        }
        currentPartition = new TopicPartition(topic, current.partition());
        consumer.assign(List.of(currentPartition));
        consumer.seek(currentPartition, current.startOffset());
        lastProgress = System.nanoTime();
      }
      ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL_TIMEOUT);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(polled.count());
      for (ConsumerRecord<byte[], byte[]> record : polled.records(currentPartition)) {
        if (record.offset() < current.endOffset()) {
          records.add(record);
        }
      }
      // Past the end, or only transaction markers and aborted records left before it.
      currentComplete = consumer.position(currentPartition) >= current.endOffset()
          || (!records.isEmpty() && records.get(records.size() - 1).offset() == current.endOffset() - 1);
      if (!records.isEmpty()) {
        lastProgress = System.nanoTime();
        return records;
      }
      if (currentComplete) {
        continue;
      }
      if (System.nanoTime() - lastProgress > STALL_NANOS) {
        throw new IllegalStateException("no records readable in DLQ partition " + current.partition() + " at offset "
            + consumer.position(currentPartition) + " (snapshot end " + current.endOffset() + ") for "
            + STALL_NANOS / 1_000_000_000L + " s");
      }
      return records;
    }
  }

  boolean done() {
    return done;
  }

  /** True when every record of this partition below the snapshot end has been returned and handled. */
  boolean finished(int partition) {
    return finished.contains(partition);
  }
}
