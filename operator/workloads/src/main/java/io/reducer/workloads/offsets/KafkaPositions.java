package io.reducer.workloads.offsets;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.kafka.KafkaClientSecurity;
import io.reducer.workloads.kafka.KafkaFailures;

/**
 * Everything the reset asks of Kafka, through one admin client: the group's members, the topic's partitions and
 * log offsets, the group's committed offsets, and finally moving them. Log offsets are read like
 * kafka-consumer-groups reads them (log end = high watermark).
 */
final class KafkaPositions implements AutoCloseable {

  private static final long CONNECT_TIMEOUT_MS = 10_000;
  private static final long CALL_TIMEOUT_MS = 30_000;

  private final Admin admin;
  private final String bootstrapServers;

  private KafkaPositions(Admin admin, String bootstrapServers) {
    this.admin = admin;
    this.bootstrapServers = bootstrapServers;
  }

  /** An admin client that reached the cluster; a wrong address or a broker that is down is a configuration error. */
  static KafkaPositions connect(String bootstrapServers, KafkaClientSecurity security) throws ConfigException {
    Admin admin;
    try {
      Map<String, Object> properties = security.clientProperties(bootstrapServers);
      properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "reducer-offsets-reset");
      properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT_MS);
      properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT_MS / 2);
      admin = Admin.create(properties);
    } catch (KafkaException e) {
      throw new ConfigException(KafkaFailures.invalidClient(bootstrapServers, e), e);
    }
    try {
      admin.describeCluster().nodes().get(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      admin.close();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new ConfigException(KafkaFailures.unreachable(bootstrapServers, CONNECT_TIMEOUT_MS, e), e);
    }
    return new KafkaPositions(admin, bootstrapServers);
  }

  /** The group's state and members; a group Kafka does not know is Dead. */
  GroupMembers describeGroup(String group) throws ResetFailedException {
    ConsumerGroupDescription description;
    try {
      description = get(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group),
          "describe consumer group " + group);
    } catch (ResetFailedException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return new GroupMembers(group, GroupState.DEAD.toString(), true, List.of());
      }
      throw e;
    }
    List<String> members = new ArrayList<>();
    for (MemberDescription member : description.members()) {
      String partitions = member.assignment().topicPartitions().stream().map(TopicPartition::toString).sorted()
          .collect(Collectors.joining(","));
      members.add(member.consumerId() + " (client " + member.clientId() + ", host " + member.host()
          + (partitions.isEmpty() ? "" : ", partitions " + partitions) + ")");
    }
    GroupState state = description.groupState();
    return new GroupMembers(group, state.toString(), state == GroupState.EMPTY || state == GroupState.DEAD, members);
  }

  /** The topic's partition numbers; a missing topic is a configuration error. */
  SortedSet<Integer> partitions(String topic) throws ConfigException, ResetFailedException {
    try {
      TopicDescription description = get(admin.describeTopics(List.of(topic)).allTopicNames(),
          "describe topic " + topic).get(topic);
      return description.partitions().stream().map(info -> info.partition())
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (ResetFailedException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new ConfigException("topic '" + topic + "' does not exist on " + bootstrapServers
            + ": fix --topic (RESET_TOPIC)", e);
      }
      throw e;
    }
  }

  Map<Integer, Long> logStart(String topic, SortedSet<Integer> partitions) throws ResetFailedException {
    return offsets(topic, partitions, OffsetSpec.earliest(), "log start");
  }

  Map<Integer, Long> logEnd(String topic, SortedSet<Integer> partitions) throws ResetFailedException {
    return offsets(topic, partitions, OffsetSpec.latest(), "log end");
  }

  /** First offset at or after the time per partition; absent where no record is that recent. */
  Map<Integer, Long> offsetsForTime(String topic, SortedSet<Integer> partitions, Instant time)
      throws ResetFailedException {
    Map<Integer, Long> found = offsets(topic, partitions, OffsetSpec.forTimestamp(time.toEpochMilli()),
        "offsets for " + time);
    found.values().removeIf(offset -> offset < 0);
    return found;
  }

  /** The group's committed offsets for the topic's partitions. */
  Map<Integer, Long> committed(String group, String topic) throws ResetFailedException {
    Map<TopicPartition, OffsetAndMetadata> all = get(
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(), "read the offsets of group " + group);
    Map<Integer, Long> committed = new TreeMap<>();
    all.forEach((partition, offset) -> {
      if (offset != null && partition.topic().equals(topic)) {
        committed.put(partition.partition(), offset.offset());
      }
    });
    return committed;
  }

  /** Commits the new offsets for the group; Kafka refuses this while the group has members. */
  void moveGroup(String group, String topic, List<PlannedPartition> plan) throws ResetFailedException {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    plan.forEach(p -> offsets.put(new TopicPartition(topic, p.partition()), new OffsetAndMetadata(p.newOffset())));
    get(admin.alterConsumerGroupOffsets(group, offsets).all(), "move the offsets of group " + group);
  }

  @Override
  public void close() {
    admin.close();
  }

  private Map<Integer, Long> offsets(String topic, SortedSet<Integer> partitions, OffsetSpec spec, String what)
      throws ResetFailedException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(p -> request.put(new TopicPartition(topic, p), spec));
    Map<TopicPartition, ListOffsetsResultInfo> answer = get(admin.listOffsets(request).all(),
        "read the " + what + " of " + topic);
    Map<Integer, Long> offsets = new TreeMap<>();
    answer.forEach((partition, info) -> offsets.put(partition.partition(), info.offset()));
    return offsets;
  }

  private <T> T get(KafkaFuture<T> future, String what) throws ResetFailedException {
    try {
      return future.get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new ResetFailedException("cannot " + what + ": " + KafkaFailures.rootMessage(e), e.getCause());
    } catch (TimeoutException e) {
      throw new ResetFailedException("cannot " + what + " within " + CALL_TIMEOUT_MS / 1000 + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ResetFailedException("interrupted while trying to " + what, e);
    }
  }
}
