package io.reducer.workloads.dlq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.reducer.workloads.cli.ConfigException;
import io.reducer.workloads.kafka.AssignedConsumers;
import io.reducer.workloads.kafka.KafkaFailures;

/**
 * Which DLQ records replays have sent, whatever their name: a Kafka topic (default {@code <dlq topic>.replayed})
 * to which a replay writes, in the same transaction as the records it republishes, the DLQ offsets it sent. A
 * replay's own position (its consumer group) only says how far that replay got, under its name, until Kafka
 * expires the group; the ledger is what another replay over the same records reads, so it skips them (unless
 * {@code --replay-again}). It outlives the DlqReplay resource, its history limit and its consumer group, and it is
 * exactly as right as the replayed records themselves: both are committed together or not at all.
 *
 * <p>One record per DLQ partition and transaction: key the DLQ topic, value
 * {@code {"v":1,"replay":"shop.fix","dlqTopic":"orders.dlq","partition":0,"spans":[[12,40],[52,53]]}}, spans
 * being [from, to) offset ranges of DLQ records that were republished. Records a replay skipped are not in it. A
 * record that fails again after its replay comes back to the DLQ at a new offset, so it is a new record to the
 * ledger. The topic is created by the first replay that needs it, with one partition and the DLQ's retention
 * (an entry is never needed longer than the DLQ records it names).
 */
final class ReplayLedger {

  static final String SUFFIX = ".replayed";
  static final int VERSION = 1;
  /** Spans per ledger record: a few tens of kB, far below any topic's max.message.bytes. */
  static final int SPANS_PER_RECORD = 2000;
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  /** One ledger record. */
  record Entry(int v, String replay, String dlqTopic, int partition, long[][] spans) {
  }

  /** [start, end) of DLQ offsets republished by {@code replay}. */
  private record Span(long end, String replay) {
  }

  private final String dlqTopic;
  private final String topic;
  private final Map<Integer, TreeMap<Long, Span>> spans = new HashMap<>();
  private final Set<String> replays = new HashSet<>();
  private long entries;

  ReplayLedger(String dlqTopic, String topic) {
    this.dlqTopic = dlqTopic;
    this.topic = topic;
  }

  String topic() {
    return topic;
  }

  /** Ledger records read. */
  long entries() {
    return entries;
  }

  /**
   * Reads the whole ledger of {@code config}'s DLQ with read_committed. When the topic does not exist: empty, and
   * created first when {@code create} (a replay, which writes to it; inspect only reads).
   */
  static ReplayLedger read(Admin admin, SelectionConfig config, boolean create) throws ConfigException {
    ReplayLedger ledger = new ReplayLedger(config.dlqTopic(), config.ledgerTopic());
    TopicDescription description = DlqTopic.describe(admin, config.ledgerTopic());
    if (description == null) {
      if (create) {
        create(admin, config);
      }
      return ledger;
    }
    List<TopicPartition> partitions = description.partitions().stream()
        .map(p -> new TopicPartition(config.ledgerTopic(), p.partition())).toList();
    KafkaConsumer<byte[], byte[]> consumer = DlqClients.consumer(config, null, "reducer-dlq-ledger");
    try {
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      Map<TopicPartition, Long> ends = settledEnds(admin, consumer, partitions, deadline);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("reading the ledger topic '" + config.ledgerTopic() + "' took longer than "
              + READ_TIMEOUT.toSeconds() + " s");
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          ledger.load(record.value());
        }
      }
    } finally {
      AssignedConsumers.close(consumer);
    }
    return ledger;
  }

  /**
   * The ledger's ends for this read_committed reader once every transaction that wrote to it before now has ended.
   * A replay's commit returns before the broker has written the commit marker to the ledger, so just after a replay
   * ended its entries can still lie past the last stable offset: read then, they would be missed and their records
   * sent again. A transaction still open ends within the writing replay's batch time, or the broker aborts it.
   */
  private static Map<TopicPartition, Long> settledEnds(Admin admin, KafkaConsumer<byte[], byte[]> consumer,
      List<TopicPartition> partitions, long deadline) throws ConfigException {
    Map<TopicPartition, Long> written = DlqTopic.logEnds(admin, partitions);
    while (true) {
      Map<TopicPartition, Long> stable = consumer.endOffsets(partitions);
      if (partitions.stream().allMatch(tp -> stable.get(tp) >= written.get(tp))) {
        return stable;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("a transaction on the ledger topic '" + partitions.get(0).topic()
            + "' stayed open for " + READ_TIMEOUT.toSeconds() + " s: another replay is writing to it or died with "
            + "its transaction open (the broker aborts it after the producer's transaction timeout); run again");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  private static void create(Admin admin, SelectionConfig config) throws ConfigException {
    Map<String, String> configs = new HashMap<>();
    configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
    configs.put(TopicConfig.RETENTION_MS_CONFIG, dlqRetentionMs(admin, config.dlqTopic()));
    configs.put(TopicConfig.RETENTION_BYTES_CONFIG, "-1");
    try {
      admin.createTopics(List.of(new NewTopic(config.ledgerTopic(), Optional.of(1), Optional.empty())
          .configs(configs))).all().get(DlqClients.TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return;
      }
      throw new ConfigException("cannot create the ledger topic '" + config.ledgerTopic() + "' ("
          + KafkaFailures.rootMessage(e) + "): create it (1 partition, retention as the DLQ's) or allow this client "
          + "to create topics; it records which DLQ records were replayed", e);
    } catch (TimeoutException e) {
      throw new ConfigException("creating the ledger topic '" + config.ledgerTopic() + "' timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The DLQ's retention.ms, or -1 (forever) when it cannot be read. */
  private static String dlqRetentionMs(Admin admin, String dlqTopic) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, dlqTopic);
    try {
      Config config = admin.describeConfigs(List.of(resource)).all()
          .get(DlqClients.TIMEOUT_MS, TimeUnit.MILLISECONDS).get(resource);
      ConfigEntry entry = config == null ? null : config.get(TopicConfig.RETENTION_MS_CONFIG);
      return entry == null || entry.value() == null ? "-1" : entry.value();
    } catch (ExecutionException | TimeoutException e) {
      return "-1";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "-1";
    }
  }

  /** Adds one ledger record's spans; records of other DLQ topics (a shared ledger) and foreign values are ignored. */
  void load(byte[] value) {
    if (value == null) {
      return;
    }
    Entry entry;
    try {
      entry = DlqJson.MAPPER.readValue(value, Entry.class);
    } catch (java.io.IOException e) {
      return;
    }
    if (entry.v() != VERSION || !dlqTopic.equals(entry.dlqTopic()) || entry.spans() == null
        || entry.replay() == null) {
      return;
    }
    entries++;
    replays.add(entry.replay());
    for (long[] span : entry.spans()) {
      if (span != null && span.length == 2 && span[0] < span[1]) {
        add(entry.replay(), entry.partition(), span[0], span[1]);
      }
    }
  }

  /** True when the ledger has records sent by {@code replay}. */
  boolean knows(String replay) {
    return replays.contains(replay);
  }

  /** The replay that already sent DLQ record {@code partition@offset}, or null. */
  String replayedBy(int partition, long offset) {
    TreeMap<Long, Span> map = spans.get(partition);
    if (map == null) {
      return null;
    }
    Map.Entry<Long, Span> floor = map.floorEntry(offset);
    return floor != null && offset < floor.getValue().end() ? floor.getValue().replay() : null;
  }

  /** Records [from, to) as sent by {@code replay}; offsets already recorded keep their first replay. */
  void add(String replay, int partition, long from, long to) {
    TreeMap<Long, Span> map = spans.computeIfAbsent(partition, p -> new TreeMap<>());
    long start = from;
    while (start < to) {
      Map.Entry<Long, Span> floor = map.floorEntry(start);
      if (floor != null && start < floor.getValue().end()) {
        start = floor.getValue().end();
        continue;
      }
      Long next = map.higherKey(start);
      long end = next == null ? to : Math.min(to, next);
      if (floor != null && floor.getValue().end() == start && floor.getValue().replay().equals(replay)) {
        map.put(floor.getKey(), new Span(end, replay));
      } else {
        map.put(start, new Span(end, replay));
      }
      start = end;
    }
  }

  /** The ledger records saying that {@code replay} sent {@code spans} of one DLQ partition. */
  List<ProducerRecord<byte[], byte[]>> records(String replay, int partition, List<long[]> sent) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < sent.size(); i += SPANS_PER_RECORD) {
      long[][] chunk = sent.subList(i, Math.min(sent.size(), i + SPANS_PER_RECORD)).toArray(new long[0][]);
      try {
        records.add(new ProducerRecord<>(topic, dlqTopic.getBytes(StandardCharsets.UTF_8),
            DlqJson.MAPPER.writeValueAsBytes(new Entry(VERSION, replay, dlqTopic, partition, chunk))));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    return records;
  }

  /** Spans of DLQ offsets one transaction sent, per partition, built record by record in offset order. */
  static final class Pending {
    private final Map<Integer, List<long[]>> spans = new TreeMap<>();

    void sent(int partition, long offset) {
      List<long[]> list = spans.computeIfAbsent(partition, p -> new ArrayList<>());
      long[] last = list.isEmpty() ? null : list.get(list.size() - 1);
      if (last != null && last[1] == offset) {
        last[1] = offset + 1;
      } else {
        list.add(new long[] {offset, offset + 1});
      }
    }

    Map<Integer, List<long[]>> spans() {
      return spans;
    }

    void clear() {
      spans.clear();
    }
  }
}
