package io.reducer.workloads.dlq;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads each partition of the snapshot from its start to its end offset. Records at or after a partition's end
 * offset are never returned: what was added after the snapshot is not replayed.
 *
 * <p>In DLQ order (needed for a limit, so inspect and replay select the same first records), one partition at a
 * time, ascending. Otherwise all partitions at once, which keeps a fetch in flight for one partition while another
 * one's records are handled; each partition's records still come in offset order.
 */
final class SnapshotReader {

  private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
  /** The snapshot ends at or below the last stable offset, so its records are readable; waiting longer is a fault. */
  private static final long STALL_NANOS = Duration.ofSeconds(120).toNanos();

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final boolean inOrder;
  private final Deque<DlqInspectResult.Range> pending;
  private final Map<TopicPartition, DlqInspectResult.Range> active = new LinkedHashMap<>();
  private final Set<Integer> completing = new HashSet<>();
  private final Set<Integer> finished = new HashSet<>();
  private long lastProgress;
  private boolean done;

  /**
   * @param ranges in partition order; a range's start is where reading begins (a resumed position or log start)
   * @param inOrder one partition after the other instead of all at once
   */
  SnapshotReader(Consumer<byte[], byte[]> consumer, String topic, List<DlqInspectResult.Range> ranges,
      boolean inOrder) {
    this.consumer = consumer;
    this.topic = topic;
    this.inOrder = inOrder;
    this.pending = new ArrayDeque<>(ranges);
  }

  /**
   * The next records of the snapshot, each partition's in offset order; empty when none arrived within the poll
   * timeout or when the snapshot is read ({@link #done()}). A partition counts as {@link #finished} only once the
   * caller asks for more after its last records, so the caller has handled them by then.
   */
  List<ConsumerRecord<byte[], byte[]>> poll() {
    while (true) {
      finishCompleted();
      if (active.isEmpty() && !activate()) {
        done = true;
        return List.of();
      }
      ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL_TIMEOUT);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(polled.count());
      List<TopicPartition> complete = new ArrayList<>();
      for (Map.Entry<TopicPartition, DlqInspectResult.Range> entry : active.entrySet()) {
        long end = entry.getValue().endOffset();
        long last = -1;
        for (ConsumerRecord<byte[], byte[]> record : polled.records(entry.getKey())) {
          if (record.offset() < end) {
            records.add(record);
            last = record.offset();
          }
        }
        // Past the end, or only transaction markers and aborted records left before it.
        if (last == end - 1 || consumer.position(entry.getKey()) >= end) {
          complete.add(entry.getKey());
          completing.add(entry.getValue().partition());
        }
      }
      if (!complete.isEmpty()) {
        consumer.pause(complete);
      }
      if (!records.isEmpty()) {
        lastProgress = System.nanoTime();
        return records;
      }
      if (!complete.isEmpty()) {
        continue;
      }
      if (System.nanoTime() - lastProgress > STALL_NANOS) {
        throw new IllegalStateException("no records readable in DLQ partitions " + active.keySet() + " at "
            + positions() + " (snapshot ends " + active.values() + ") for " + STALL_NANOS / 1_000_000_000L + " s");
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

  private void finishCompleted() {
    if (completing.isEmpty()) {
      return;
    }
    finished.addAll(completing);
    active.keySet().removeIf(tp -> completing.contains(tp.partition()));
    completing.clear();
  }

  /** Assigns the next partition (in order) or all remaining ones; false when none is left. */
  private boolean activate() {
    while (!pending.isEmpty() && (active.isEmpty() || !inOrder)) {
      DlqInspectResult.Range range = pending.poll();
      if (range.startOffset() >= range.endOffset()) {
        finished.add(range.partition());
      } else {
        active.put(new TopicPartition(topic, range.partition()), range);
      }
    }
    if (active.isEmpty()) {
      return false;
    }
    consumer.assign(active.keySet());
    active.forEach((partition, range) -> consumer.seek(partition, range.startOffset()));
    lastProgress = System.nanoTime();
    return true;
  }

  private Map<Integer, Long> positions() {
    Map<Integer, Long> positions = new LinkedHashMap<>();
    active.keySet().forEach(tp -> positions.put(tp.partition(), consumer.position(tp)));
    return positions;
  }
}
