package io.reducer.workloads.dlq;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.kafka.KafkaFailures;

/**
 * Fails fast, before reading anything, on what a retry cannot fix (an unreachable broker, a missing DLQ or target
 * topic, a snapshot beyond the log), and turns the snapshot into offset ranges. Each message names the fix.
 */
final class DlqTopic {

  private DlqTopic() {
  }

  /** The DLQ's partition count; checks that Kafka answers and the topic exists. */
  static int partitions(Admin admin, SelectionConfig config) throws ConfigException {
    try {
      admin.describeCluster().nodes().get(DlqClients.TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new ConfigException(KafkaFailures.unreachable(config.bootstrapServers(), DlqClients.TIMEOUT_MS, e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("interrupted while checking Kafka", e);
    }
    TopicDescription description = describe(admin, config.dlqTopic());
    if (description == null) {
      throw new ConfigException("DLQ topic '" + config.dlqTopic() + "' does not exist on "
          + config.bootstrapServers() + ": fix --dlq-topic (DLQ_TOPIC)");
    }
    return description.partitions().size();
  }

  /** The topic's description, or null when it does not exist. */
  static TopicDescription describe(Admin admin, String topic) throws ConfigException {
    try {
      return admin.describeTopics(List.of(topic)).allTopicNames().get(DlqClients.TIMEOUT_MS, TimeUnit.MILLISECONDS)
          .get(topic);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return null;
      }
      throw new ConfigException("cannot describe topic '" + topic + "': check the broker and this client's ACLs ("
          + KafkaFailures.rootMessage(e) + ")", e);
    } catch (TimeoutException e) {
      throw new ConfigException("describing topic '" + topic + "' timed out after " + DlqClients.TIMEOUT_MS
          + " ms: check the broker", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("interrupted while describing topic " + topic, e);
    }
  }

  /**
   * Each partition's log end, open transactions' records included (what a read_uncommitted reader would see),
   * where a read_committed consumer's end offsets stop at the first open transaction.
   */
  static Map<TopicPartition, Long> logEnds(Admin admin, List<TopicPartition> partitions) throws ConfigException {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
    String topic = partitions.isEmpty() ? "" : partitions.get(0).topic();
    try {
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin.listOffsets(latest).all().get(DlqClients.TIMEOUT_MS, TimeUnit.MILLISECONDS)
          .forEach((partition, info) -> ends.put(partition, info.offset()));
      return ends;
    } catch (ExecutionException e) {
      throw new ConfigException("cannot read the end offsets of topic '" + topic + "': check the broker and this "
          + "client's ACLs (" + KafkaFailures.rootMessage(e) + ")", e);
    } catch (TimeoutException e) {
      throw new ConfigException("reading the end offsets of topic '" + topic + "' timed out after "
          + DlqClients.TIMEOUT_MS + " ms: check the broker", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("interrupted while reading the end offsets of topic " + topic, e);
    }
  }

  /**
   * The offset ranges to read, in partition order: [log start, end) per selected partition. {@code ends} is the
   * snapshot to cover, or null to take the current end offsets (last stable offsets: committed records only).
   */
  static List<DlqInspectResult.Range> snapshot(Consumer<byte[], byte[]> consumer, SelectionConfig config,
      Map<Integer, Long> ends, int partitionCount) throws ConfigException {
    Set<Integer> chosen = new TreeSet<>();
    if (ends != null) {
      for (int partition : ends.keySet()) {
        if (partition >= partitionCount) {
          throw new ConfigException("--snapshot names partition " + partition + " but DLQ topic '" + config.dlqTopic()
              + "' has " + partitionCount + " partitions");
        }
      }
      chosen.addAll(ends.keySet());
    }
    if (config.partitions() != null) {
      for (int partition : config.partitions()) {
        if (partition >= partitionCount) {
          throw new ConfigException("--partitions names partition " + partition + " but DLQ topic '"
              + config.dlqTopic() + "' has " + partitionCount + " partitions");
        }
        if (ends != null && !ends.containsKey(partition)) {
          throw new ConfigException("--partitions names partition " + partition + " which the snapshot does not "
              + "cover: add it to --snapshot or drop it from --partitions");
        }
      }
      if (ends == null) {
        chosen.addAll(config.partitions());
      } else {
        chosen.retainAll(config.partitions());
      }
    } else if (ends == null) {
      for (int p = 0; p < partitionCount; p++) {
        chosen.add(p);
      }
    }
    List<TopicPartition> partitions = chosen.stream().map(p -> new TopicPartition(config.dlqTopic(), p)).toList();
    Map<TopicPartition, Long> logStart = consumer.beginningOffsets(partitions);
    Map<TopicPartition, Long> logEnd = consumer.endOffsets(partitions);
    Map<Integer, Long> resolved = new TreeMap<>();
    for (TopicPartition partition : partitions) {
      long current = logEnd.get(partition);
      long end = ends == null ? current : ends.get(partition.partition());
      if (end > current) {
        throw new ConfigException("snapshot end offset " + end + " of partition " + partition.partition()
            + " is beyond the end of DLQ topic '" + config.dlqTopic() + "' (" + current + "): was the topic "
            + "recreated? Take a new snapshot (omit --snapshot) or fix --snapshot");
      }
      resolved.put(partition.partition(), end);
    }
    List<DlqInspectResult.Range> ranges = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      long end = resolved.get(partition.partition());
      ranges.add(new DlqInspectResult.Range(partition.partition(), Math.min(logStart.get(partition), end), end));
    }
    return ranges;
  }

  static Map<Integer, Long> ends(List<DlqInspectResult.Range> ranges) {
    Map<Integer, Long> ends = new TreeMap<>();
    ranges.forEach(range -> ends.put(range.partition(), range.endOffset()));
    return ends;
  }
}
