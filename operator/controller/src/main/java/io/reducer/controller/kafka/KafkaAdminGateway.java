package io.reducer.controller.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownMemberIdException;

/**
 * The operator's one home for Kafka's Admin API on one cluster connection. One client is reused for every probe
 * of every resource on that connection, and a probe costs a constant number of calls however many topics and
 * partitions it covers: one describe, one earliest-offsets and one latest-offsets request. Topic management is
 * batched the same way: one call each to describe topics, describe their configs, create, add partitions and alter
 * configs, with a result per topic so that one refused topic does not hide what happened to the others.
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
      List<String> staticMembers = new ArrayList<>();
      for (MemberDescription member : description.members()) {
        Optional<String> instance = member.groupInstanceId();
        members.add(member.consumerId() + " (client " + member.clientId() + ", host " + member.host()
            + instance.map(id -> ", instance " + id).orElse("") + ")");
        instance.ifPresent(staticMembers::add);
      }
      return new ConsumerGroupState(group, description.groupState().toString(), members, staticMembers);
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

  /**
   * Removes static members from the group by their group.instance.id in one Admin call, as a member that leaves does.
   * Only for members whose process is known to be gone: a live one is fenced, and rejoins at its next poll.
   */
  public void removeStaticMembers(String group, Collection<String> instanceIds) throws KafkaFailure {
    String what = "removing static members " + instanceIds + " from consumer group " + group;
    try {
      List<MemberToRemove> members = instanceIds.stream().map(MemberToRemove::new).toList();
      admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions(members)).all()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      // Gone already (its session expired, or it left between the describe and now): what was asked for.
      if (!(e.getCause() instanceof UnknownMemberIdException) && !(e.getCause() instanceof GroupIdNotFoundException)) {
        throw KafkaFailure.of(e, bootstrapServers, what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KafkaFailure.of(e, bootstrapServers, what);
    } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
      throw KafkaFailure.of(e, bootstrapServers, what);
    }
  }

  /**
   * Deletes a consumer group that has no members (a shadow rebuild's, once its materializers are gone); a group
   * Kafka does not know is gone already. A group that still has members is refused by Kafka (GroupNotEmpty).
   */
  public void deleteConsumerGroup(String group) throws KafkaFailure {
    String what = "deleting consumer group " + group;
    try {
      admin.deleteConsumerGroups(List.of(group)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof GroupIdNotFoundException)) {
        throw KafkaFailure.of(e, bootstrapServers, what);
      }
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

  /**
   * Sets the group's committed offsets on one topic in one Admin call, as {@code kafka-consumer-groups --reset-offsets
   * --execute} does. The broker refuses it while the group has members, so a live consumer is never moved under;
   * setting the same offsets again changes nothing.
   *
   * @param offsets the next offset to read, by partition
   */
  public void alterCommittedOffsets(String group, String topic, Map<Integer, Long> offsets) throws KafkaFailure {
    String what = "moving the offsets of group " + group + " on " + topic;
    try {
      Map<TopicPartition, OffsetAndMetadata> request = new HashMap<>();
      offsets.forEach((partition, offset) -> request.put(new TopicPartition(topic, partition),
          new OffsetAndMetadata(offset)));
      admin.alterConsumerGroupOffsets(group, request).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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

  /**
   * Describes topics and their topic-level configs in two Admin calls. A topic that does not exist is missing; one
   * the broker will not describe (e.g. no permission) is failed.
   *
   * @throws KafkaFailure when the broker cannot be asked at all: no answer in time or a refused login
   */
  public TopicObservation describeTopicsWithConfigs(Collection<String> topics) throws KafkaFailure {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, TopicDescription> descriptions = new TreeMap<>();
    Set<String> missing = new TreeSet<>();
    Map<String, KafkaFailure> failed = new TreeMap<>();
    try {
      for (Map.Entry<String, KafkaFuture<TopicDescription>> entry
          : admin.describeTopics(topics).topicNameValues().entrySet()) {
        Optional<KafkaFailure> failure = await(entry.getValue(), deadline, "describing topic " + entry.getKey(),
            "Describe on the topic");
        if (failure.isEmpty()) {
          descriptions.put(entry.getKey(), entry.getValue().get());
        } else if (failure.get().reason() == KafkaFailure.Reason.TopicNotFound) {
          missing.add(entry.getKey());
        } else if (wholeCall(failure.get())) {
          throw failure.get();
        } else {
          failed.put(entry.getKey(), failure.get());
        }
      }
      Map<String, ObservedTopic> found = new TreeMap<>();
      if (!descriptions.isEmpty()) {
        List<ConfigResource> resources = descriptions.keySet().stream()
            .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        for (Map.Entry<ConfigResource, KafkaFuture<Config>> entry
            : admin.describeConfigs(resources).values().entrySet()) {
          String name = entry.getKey().name();
          Optional<KafkaFailure> failure = await(entry.getValue(), deadline, "describing the configs of topic " + name,
              "DescribeConfigs on the topic");
          if (failure.isPresent() && wholeCall(failure.get())) {
            throw failure.get();
          } else if (failure.isPresent()) {
            failed.put(name, failure.get());
          } else {
            found.put(name, observed(descriptions.get(name), entry.getValue().get()));
          }
        }
      }
      return new TopicObservation(found, missing, failed);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KafkaFailure.of(e, bootstrapServers, "describing topics " + topics);
    } catch (ExecutionException | RuntimeException e) {
      throw KafkaFailure.of(e, bootstrapServers, "describing topics " + topics);
    }
  }

  /** Creates topics in one Admin call; absent partitions or replication factor leave them to the broker. */
  public CreatedTopics createTopics(Collection<TopicCreation> topics) {
    List<NewTopic> request = topics.stream().map(t -> new NewTopic(t.name(), Optional.ofNullable(t.partitions()),
        Optional.ofNullable(t.replicationFactor()).map(Integer::shortValue)).configs(t.config())).toList();
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Integer> created = new TreeMap<>();
    Map<String, KafkaFailure> failed = new TreeMap<>();
    try {
      CreateTopicsResult result = admin.createTopics(request);
      for (Map.Entry<String, KafkaFuture<Void>> entry : result.values().entrySet()) {
        String name = entry.getKey();
        Optional<KafkaFailure> failure = await(entry.getValue(), deadline, "creating topic " + name,
            "Create on the topic");
        if (failure.isPresent()) {
          failed.put(name, failure.get());
        } else {
          // Part of the same answer; a broker too old to send it leaves the count to the next describe.
          KafkaFuture<Integer> count = result.numPartitions(name);
          if (count.isDone() && !count.isCompletedExceptionally()) {
            created.put(name, count.get());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      topics.forEach(t -> failed.putIfAbsent(t.name(), KafkaFailure.of(e, bootstrapServers, "creating topic "
          + t.name())));
    } catch (ExecutionException | RuntimeException e) {
      topics.forEach(t -> failed.putIfAbsent(t.name(), KafkaFailure.of(e, bootstrapServers, "creating topic "
          + t.name(), "Create on the topic")));
    }
    return new CreatedTopics(created, failed);
  }

  /**
   * Raises the partition count of topics to the given totals in one Admin call.
   *
   * @return the topics whose partitions were not raised, with why; empty when all were
   */
  public Map<String, KafkaFailure> createPartitions(Map<String, Integer> totals) {
    Map<String, NewPartitions> request = new TreeMap<>();
    totals.forEach((name, total) -> request.put(name, NewPartitions.increaseTo(total)));
    try {
      return failures(admin.createPartitions(request).values(), "adding partitions to topic ", "Alter on the topic");
    } catch (RuntimeException e) {
      return failAll(totals.keySet(), e, "adding partitions to topic ", "Alter on the topic");
    }
  }

  /**
   * Sets topic configs in one incremental Admin call: each given key is SET to its value; keys not given are left
   * as they are (this never deletes a config).
   *
   * @return the topics whose configs were not changed, with why; empty when all were
   */
  public Map<String, KafkaFailure> setConfigs(Map<String, Map<String, String>> configs) {
    Map<ConfigResource, Collection<AlterConfigOp>> request = new HashMap<>();
    configs.forEach((name, values) -> request.put(new ConfigResource(ConfigResource.Type.TOPIC, name),
        values.entrySet().stream().map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()),
            AlterConfigOp.OpType.SET)).toList()));
    try {
      Map<String, KafkaFuture<Void>> byTopic = new TreeMap<>();
      admin.incrementalAlterConfigs(request).values().forEach((resource, future) -> byTopic.put(resource.name(),
          future));
      return failures(byTopic, "changing the config of topic ", "AlterConfigs on the topic");
    } catch (RuntimeException e) {
      return failAll(configs.keySet(), e, "changing the config of topic ", "AlterConfigs on the topic");
    }
  }

  private Map<String, KafkaFailure> failures(Map<String, KafkaFuture<Void>> futures, String what,
      String permission) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, KafkaFailure> failed = new TreeMap<>();
    try {
      for (Map.Entry<String, KafkaFuture<Void>> entry : futures.entrySet()) {
        await(entry.getValue(), deadline, what + entry.getKey(), permission)
            .ifPresent(f -> failed.put(entry.getKey(), f));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      futures.keySet().forEach(name -> failed.putIfAbsent(name, KafkaFailure.of(e, bootstrapServers, what + name)));
    }
    return failed;
  }

  private Map<String, KafkaFailure> failAll(Collection<String> topics, RuntimeException error, String what,
      String permission) {
    Map<String, KafkaFailure> failed = new TreeMap<>();
    topics.forEach(name -> failed.put(name, KafkaFailure.of(error, bootstrapServers, what + name, permission)));
    return failed;
  }

  /** Waits for one future of a batched call until the call's deadline; empty when it succeeded. */
  private Optional<KafkaFailure> await(KafkaFuture<?> future, long deadline, String what, String permission)
      throws InterruptedException {
    try {
      future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return Optional.empty();
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      return Optional.of(KafkaFailure.of(e, bootstrapServers, what, permission));
    }
  }

  /** Failures that concern the connection, not one topic: the whole describe is then unanswered. */
  private static boolean wholeCall(KafkaFailure failure) {
    return failure.reason() == KafkaFailure.Reason.KafkaUnreachable
        || failure.reason() == KafkaFailure.Reason.KafkaAuthenticationFailed;
  }

  private static ObservedTopic observed(TopicDescription description, Config config) {
    int replicationFactor = description.partitions().stream().filter(p -> p.partition() == 0).findFirst()
        .map(TopicPartitionInfo::replicas).map(List::size).orElse(0);
    Map<String, String> overrides = new TreeMap<>();
    for (ConfigEntry entry : config.entries()) {
      // Sensitive values come back null; there are none among topic configs today.
      if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG && entry.value() != null) {
        overrides.put(entry.name(), entry.value());
      }
    }
    return new ObservedTopic(description.name(), description.partitions().size(), replicationFactor, overrides);
  }

  private Map<TopicPartition, ListOffsetsResultInfo> listOffsets(List<TopicPartition> partitions, OffsetSpec spec)
      throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, spec));
    return admin.listOffsets(request).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Requests this client has sent to the brokers so far (the client's own count, metadata requests included). */
  public long requestsSent() {
    return admin.metrics().entrySet().stream()
        .filter(e -> e.getKey().name().equals("request-total") && e.getKey().group().equals("admin-client-metrics"))
        .mapToLong(e -> ((Number) e.getValue().metricValue()).longValue()).sum();
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
