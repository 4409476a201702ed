package io.reducer.workloads.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.reducer.testsupport.kafka.KafkaBroker;
import io.reducer.workloads.ExitCodes;

/**
 * A trace reads the window, not the topic: a million records spread over a day, of which only a small tail falls in
 * the window. Asserted on the records read (the JSON counts), never on time.
 */
class TraceWindowIT {

  private static final String TOPIC = "trace.window.actions";
  private static final int PARTITIONS = 3;
  private static final int OLD = 1_000_000;
  private static final int TAIL = 1_500;
  private static final long STEP_MS = 80;
  private static final int OLD_NEEDLE = 500_000;
  private static final int TAIL_NEEDLE = 700;
  private static KafkaBroker broker;
  private static Instant oldStart;

  @TempDir
  Path directory;

  @BeforeAll
  static void produce() throws Exception {
    broker = KafkaBroker.start();
    broker.createTopic(TOPIC, PARTITIONS, Map.of("retention.ms", "-1"));
    Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
    // Old records: one every 80 ms from two days ago, so about 22 hours' worth, ending a day before now.
    oldStart = now.minus(Duration.ofDays(2));
    long tailStart = now.minus(Duration.ofMinutes(10)).toEpochMilli();
    byte[] plain = value("bulk");
    byte[] needle = value("needle");
    Map<String, Object> properties = broker.clientProperties();
    properties.put(ProducerConfig.ACKS_CONFIG, "1");
    properties.put(ProducerConfig.LINGER_MS_CONFIG, 50);
    properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 1024 * 1024);
    properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
    properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      long old = oldStart.toEpochMilli();
      for (int i = 0; i < OLD; i++) {
        producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, old + i * STEP_MS, null,
            i == OLD_NEEDLE ? needle : plain));
      }
      for (int j = 0; j < TAIL; j++) {
        producer.send(new ProducerRecord<>(TOPIC, j % PARTITIONS, tailStart + j * STEP_MS, null,
            j == TAIL_NEEDLE ? needle : plain));
      }
      producer.flush();
    }
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void onlyTheTailInTheWindowIsRead() throws Exception {
    TraceCli cli = TraceCli.run(directory, env(), "--correlation-id", "needle", "--actions-topic", TOPIC,
        "--since", "15m", "-o", "json");

    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(ExitCodes.OK);
    TraceResult result = cli.result();
    assertThat(result.counts().topics().get(TOPIC)).isEqualTo(new TraceResult.TopicCount(PARTITIONS, TAIL, 1));
    assertThat(result.timeline()).singleElement().satisfies(entry -> {
      assertThat(entry.partition()).isEqualTo(TAIL_NEEDLE % PARTITIONS);
      assertThat(entry.offset()).isEqualTo((long) (OLD / PARTITIONS + TAIL_NEEDLE / PARTITIONS));
    });
  }

  @Test
  void anOldWindowWithAnEndReadsOnlyItsOwnRecords() throws Exception {
    Instant since = oldStart.plusMillis((OLD_NEEDLE - 10) * STEP_MS);
    Instant until = oldStart.plusMillis((OLD_NEEDLE + 10) * STEP_MS);
    TraceCli cli = TraceCli.run(directory, env(), "--correlation-id", "needle", "--actions-topic", TOPIC,
        "--since", since.toString(), "--until", until.toString(), "-o", "json");

    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(ExitCodes.OK);
    TraceResult result = cli.result();
    assertThat(result.counts().topics().get(TOPIC)).isEqualTo(new TraceResult.TopicCount(PARTITIONS, 20, 1));
    assertThat(result.timeline()).singleElement().satisfies(entry -> assertThat(Instant.parse(entry.time()))
        .isEqualTo(oldStart.plusMillis(OLD_NEEDLE * STEP_MS)));
    assertThat(result.window().until()).isEqualTo(until.toString());
  }

  @Test
  void aWindowWithoutRecordsReadsNothing() throws Exception {
    TraceCli cli = TraceCli.run(directory, env(), "--correlation-id", "needle", "--actions-topic", TOPIC,
        "--since", "2m", "-o", "json");

    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(cli.result().counts().topics().get(TOPIC)).isEqualTo(new TraceResult.TopicCount(PARTITIONS, 0, 0));
  }

  private static byte[] value(String correlationId) {
    return ("{\"action_id\":\"a\",\"workflow_key\":\"k\",\"action\":\"touch\",\"correlation_id\":\"" + correlationId
        + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> env() {
    return Map.of(TraceOptions.BOOTSTRAP_SERVERS_ENV, broker.bootstrapServers());
  }
}
