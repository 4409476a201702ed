package io.reducer.workloads.trace;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import io.reducer.workloads.kafka.AssignedConsumers;
import io.reducer.workloads.kafka.KafkaFailures;

/**
 * Reads the window of every topic, never a whole topic: per partition from the first offset whose timestamp is at
 * or after {@code since} ({@code offsetsForTimes}) to the end offset taken when the scan starts, or to the first
 * offset at or after {@code until} if that comes first. Records written after the start are not read, so a busy
 * topic cannot keep the trace running. Counts the records read per topic.
 */
final class TopicScanner {

  private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
  /** The ends are at or below the last stable offsets, so their records are readable; waiting longer is a fault. */
  private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(120);

  /** The records that carry the id, and the counts per topic in the order of the configuration. */
  record Result(List<TimelineEntry> entries, Map<String, TraceResult.TopicCount> counts) {
  }

  private TopicScanner() {
  }

  static Result scan(TraceConfig config, CorrelationMatcher matcher) throws TraceConfigException {
    try (Admin admin = TraceClients.admin(config)) {
      KafkaConsumer<byte[], byte[]> consumer = TraceClients.consumer(config);
      try {
        return scan(config, matcher, admin, consumer);
      } finally {
        AssignedConsumers.close(consumer);
      }
    }
  }

  private static Result scan(TraceConfig config, CorrelationMatcher matcher, Admin admin,
      KafkaConsumer<byte[], byte[]> consumer) throws TraceConfigException {
    Map<String, Integer> partitionCounts = describe(admin, config);
    List<TopicPartition> all = new ArrayList<>();
    partitionCounts.forEach((topic, count) -> {
      for (int p = 0; p < count; p++) {
        all.add(new TopicPartition(topic, p));
      }
    });
    // Assigned before the offsets are listed: a read_committed consumer warns about offsets of partitions it lacks.
    consumer.assign(all);
    Map<TopicPartition, long[]> ranges = ranges(consumer, all, config.window());
    Map<String, long[]> read = new LinkedHashMap<>();
    partitionCounts.keySet().forEach(topic -> read.put(topic, new long[2]));
    List<TimelineEntry> entries = new ArrayList<>();
    readRanges(consumer, ranges, record -> {
      long[] counts = read.get(record.topic());
      counts[0]++;
      // Timestamps need not grow with offsets: a record between the offsets may still be outside the window.
      if (!config.window().contains(Instant.ofEpochMilli(record.timestamp()))) {
        return;
      }
      TimelineEntry entry = matcher.match(config.topics().get(record.topic()), record);
      if (entry != null) {
        counts[1]++;
        entries.add(entry);
      }
    });
    Map<String, TraceResult.TopicCount> counts = new LinkedHashMap<>();
    read.forEach((topic, c) -> counts.put(topic, new TraceResult.TopicCount(partitionCounts.get(topic), c[0], c[1])));
    return new Result(entries, counts);
  }

  /** Partitions per topic; a missing topic, a refused describe or an unreachable broker is a configuration error. */
  private static Map<String, Integer> describe(Admin admin, TraceConfig config) throws TraceConfigException {
    Map<String, KafkaFuture<TopicDescription>> futures = admin.describeTopics(config.topics().keySet())
        .topicNameValues();
    Map<String, Integer> partitions = new LinkedHashMap<>();
    for (Map.Entry<String, TopicRole> topic : config.topics().entrySet()) {
      try {
        partitions.put(topic.getKey(), futures.get(topic.getKey()).get(TraceClients.TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .partitions().size());
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UnknownTopicOrPartitionException) {
          throw new TraceConfigException("topic " + topic.getKey() + " does not exist: check "
              + topic.getValue().option(), e.getCause());
        }
        if (e.getCause() instanceof AuthorizationException) {
          throw new TraceConfigException("not allowed to describe topic " + topic.getKey() + ": the trace needs "
              + "Describe and Read on it (" + KafkaFailures.rootMessage(e) + ")", e.getCause());
        }
        throw new TraceConfigException(KafkaFailures.unreachable(config.bootstrapServers(), TraceClients.TIMEOUT_MS,
            e.getCause()), e.getCause());
      } catch (TimeoutException e) {
        throw new TraceConfigException(KafkaFailures.unreachable(config.bootstrapServers(), TraceClients.TIMEOUT_MS,
            e), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while describing the topics", e);
      }
    }
    return partitions;
  }

  /**
   * {start, end} per partition of the consumer's assignment: the end offsets first (the snapshot), then the first
   * offsets at {@code since} and at {@code until}. A partition with no record at or after {@code since} has nothing
   * to read.
   */
  static Map<TopicPartition, long[]> ranges(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
      TimeWindow window) {
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(at(partitions,
        window.since().toEpochMilli()));
    Map<TopicPartition, OffsetAndTimestamp> untils = window.until() == null ? Map.of()
        : consumer.offsetsForTimes(at(partitions, window.until().toEpochMilli()));
    Map<TopicPartition, long[]> ranges = new LinkedHashMap<>();
    for (TopicPartition partition : partitions) {
      long end = ends.get(partition);
      OffsetAndTimestamp until = untils.get(partition);
      if (until != null) {
        end = Math.min(end, until.offset());
      }
      OffsetAndTimestamp start = starts.get(partition);
      ranges.put(partition, new long[] {start == null ? end : Math.min(start.offset(), end), end});
    }
    return ranges;
  }

  interface RecordHandler {
    void handle(ConsumerRecord<byte[], byte[]> record);
  }

  /**
   * Reads every partition of the consumer's assignment from its start to (not including) its end offset; nothing
   * past the ends. Partitions with nothing to read, and those read to their end, are paused.
   */
  static void readRanges(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, long[]> ranges,
      RecordHandler handler) {
    Set<TopicPartition> remaining = new HashSet<>();
    List<TopicPartition> empty = new ArrayList<>();
    ranges.forEach((partition, range) -> {
      if (range[0] < range[1]) {
        remaining.add(partition);
        consumer.seek(partition, range[0]);
      } else {
        empty.add(partition);
      }
    });
    consumer.pause(empty);
    long lastProgress = System.nanoTime();
    while (!remaining.isEmpty()) {
      ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL_TIMEOUT);
      for (TopicPartition partition : polled.partitions()) {
        long end = ranges.get(partition)[1];
        for (ConsumerRecord<byte[], byte[]> record : polled.records(partition)) {
          if (record.offset() < end) {
            handler.handle(record);
          }
        }
      }
      List<TopicPartition> done = new ArrayList<>();
      for (TopicPartition partition : remaining) {
        // Past the end, or only transaction markers and aborted records were left before it.
        if (consumer.position(partition) >= ranges.get(partition)[1]) {
          done.add(partition);
        }
      }
      if (!done.isEmpty()) {
        done.forEach(remaining::remove);
        consumer.pause(done);
      }
      if (!polled.isEmpty() || !done.isEmpty()) {
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > STALL_NANOS) {
        throw new IllegalStateException("no records arrived for " + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS)
            + " s while reading " + remaining + " up to the end offsets taken at the start");
      }
    }
  }

  private static Map<TopicPartition, Long> at(List<TopicPartition> partitions, long timestamp) {
    Map<TopicPartition, Long> times = new HashMap<>();
    partitions.forEach(partition -> times.put(partition, timestamp));
    return times;
  }
}
