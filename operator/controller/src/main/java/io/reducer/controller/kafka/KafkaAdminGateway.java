package io.reducer.controller.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * The operator's one home for Kafka's Admin API on one cluster connection. One client is reused for every probe
 * of every resource on that connection, and a probe costs a constant number of calls however many topics and
 * partitions it covers: one describe, one earliest-offsets and one latest-offsets request.
 */
public final class KafkaAdminGateway implements AutoCloseable {

  private final Admin admin;
  private final String bootstrapServers;
  private final Duration timeout;

  /** @param clientProperties Admin client settings, at least bootstrap.servers (plus security settings) */
  public KafkaAdminGateway(Map<String, Object> clientProperties, Duration timeout) {
    Map<String, Object> properties = new HashMap<>(clientProperties);
    // Bound every call so an unreachable cluster becomes a condition, not a hung reconcile.
    properties.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    properties.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
    this.bootstrapServers = String.valueOf(properties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
    this.timeout = timeout;
    this.admin = Admin.create(properties);
  }

  /** Offsets of every partition of the given topics, in three Admin calls. */
  public Map<String, TopicOffsets> topicOffsets(Collection<String> topics) throws KafkaFailure {
    String what = "reading offsets of " + topics;
    try {
      Map<String, TopicDescription> descriptions =
          admin.describeTopics(topics).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<TopicPartition> partitions = new ArrayList<>();
      descriptions.values().forEach(d -> d.partitions()
          .forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition()))));
      Map<TopicPartition, ListOffsetsResultInfo> earliest = listOffsets(partitions, OffsetSpec.earliest());
      Map<TopicPartition, ListOffsetsResultInfo> latest = listOffsets(partitions, OffsetSpec.latest());
      Map<String, TopicOffsets> result = new HashMap<>();
      for (TopicDescription description : descriptions.values()) {
        int count = description.partitions().size();
        long[] start = new long[count];
        long[] end = new long[count];
        for (int p = 0; p < count; p++) {
          TopicPartition tp = new TopicPartition(description.name(), p);
          start[p] = earliest.get(tp).offset();
          end[p] = latest.get(tp).offset();
        }
        result.put(description.name(), new TopicOffsets(description.name(), start, end));
      }
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KafkaFailure.of(e, bootstrapServers, what);
    } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
      throw KafkaFailure.of(e, bootstrapServers, what);
    }
  }

  /** Asks the cluster who it is: one call that proves the brokers are reachable with these credentials. */
  public String clusterId() throws KafkaFailure {
    try {
      return admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KafkaFailure.of(e, bootstrapServers, "describing the cluster");
    } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
      throw KafkaFailure.of(e, bootstrapServers, "describing the cluster");
    }
  }

  /** The group's state and members; a group Kafka does not know is Dead. */
  public ConsumerGroupState consumerGroup(String group) throws KafkaFailure {
    String what = "describing consumer group " + group;
    try {
      ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<String> members = new ArrayList<>();
      for (MemberDescription member : description.members()) {
        members.add(member.consumerId() + " (client " + member.clientId() + ", host " + member.host() + ")");
      }
      return new ConsumerGroupState(group, description.groupState().toString(), members);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return new ConsumerGroupState(group, GroupState.DEAD.toString(), List.of());
      }
      throw KafkaFailure.of(e, bootstrapServers, what);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KafkaFailure.of(e, bootstrapServers, what);
    } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
      throw KafkaFailure.of(e, bootstrapServers, what);
    }
  }

  /** The group's committed offsets on one topic, by partition. */
  public Map<Integer, Long> committedOffsets(String group, String topic) throws KafkaFailure {
    Map<Integer, Long> offsets = new TreeMap<>();
    committedOffsetsWithMetadata(group, topic).forEach((partition, committed) -> offsets.put(partition,
        committed.offset()));
    return offsets;
  }

  /**
   * The group's committed offsets on one topic with the metadata committed alongside, by partition; a DLQ replay
   * keeps its counters there.
   */
  public Map<Integer, CommittedOffset> committedOffsetsWithMetadata(String group, String topic) throws KafkaFailure {
    String what = "reading the offsets of group " + group;
    try {
      Map<TopicPartition, OffsetAndMetadata> all = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Map<Integer, CommittedOffset> committed = new TreeMap<>();
      all.forEach((partition, offset) -> {
        if (offset != null && partition.topic().equals(topic)) {
          committed.put(partition.partition(), new CommittedOffset(offset.offset(), offset.metadata()));
        }
      });
      return committed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KafkaFailure.of(e, bootstrapServers, what);
    } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
      throw KafkaFailure.of(e, bootstrapServers, what);
    }
  }

  /** Per partition, the first offset whose record time is at or after {@code time}; absent where none is. */
  public Map<Integer, Long> offsetsForTime(String topic, int partitions, Instant time) throws KafkaFailure {
    String what = "looking up offsets of " + topic + " for " + time;
    try {
      List<TopicPartition> request = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        request.add(new TopicPartition(topic, p));
      }
      Map<Integer, Long> found = new TreeMap<>();
      listOffsets(request, OffsetSpec.forTimestamp(time.toEpochMilli())).forEach((tp, info) -> {
        if (info.offset() >= 0) {
          found.put(tp.partition(), info.offset());
        }
      });
      return found;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KafkaFailure.of(e, bootstrapServers, what);
    } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
      throw KafkaFailure.of(e, bootstrapServers, what);
    }
  }

  private Map<TopicPartition, ListOffsetsResultInfo> listOffsets(List<TopicPartition> partitions, OffsetSpec spec)
      throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, spec));
    return admin.listOffsets(request).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
