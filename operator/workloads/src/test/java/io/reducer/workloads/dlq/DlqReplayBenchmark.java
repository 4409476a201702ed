package io.reducer.workloads.dlq;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.AppInfoParser;

import io.reducer.testsupport.BenchmarkDoc;
import io.reducer.testsupport.kafka.KafkaBroker;
import io.reducer.workloads.Main;

/**
 * The DLQ replay's performance bar (DESIGN.md section 6) measured in one run against a real broker: a DLQ topic
 * filled with N records in our format is replayed by {@code workloads dlq replay} (exactly once, headers kept), and
 * the same records are piped through Kafka's console consumer into its console producer (neither). A command,
 * run by scripts/benchmark-dlq-replay.sh; never part of the build. It rewrites the results block of
 * docs/benchmarks.md unless told not to.
 */
public final class DlqReplayBenchmark {

  private static final int PARTITIONS = 3;
  private static final String DLQ = "bench.dlq";
  private static final String TARGET = "bench.state-committed";
  private static final String PIPE_TARGET = "bench.pipe";
  private static final String PIPE_TUNED_TARGET = "bench.pipe-tuned";
  private static final List<String> CHILD_JVM = List.of("-Xms512m", "-Xmx1g");

  private final KafkaBroker broker;
  private final int records;
  private final String batchRecords;
  private final Path work;

  private DlqReplayBenchmark(KafkaBroker broker, int records, String batchRecords, Path work) {
    this.broker = broker;
    this.records = records;
    this.batchRecords = batchRecords;
    this.work = work;
  }

  /**
   * Optional arguments: records (default 1,000,000), records per transaction (default: the command's default),
   * "--no-doc" to leave docs/benchmarks.md alone.
   */
  public static void main(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(List.of(args));
    boolean writeDoc = !rest.remove("--no-doc");
    int records = rest.size() > 0 ? Integer.parseInt(rest.get(0)) : 1_000_000;
    String batchRecords = rest.size() > 1 ? rest.get(1) : null;
    long started = System.nanoTime();
    Path work = Files.createTempDirectory("dlq-bench-");
    String report;
    try (KafkaBroker broker = KafkaBroker.start()) {
      report = new DlqReplayBenchmark(broker, records, batchRecords, work).run();
    }
    report += String.format("%ntotal run time: %.0f s%n", (System.nanoTime() - started) / 1e9);
    System.out.print(report);
    if (writeDoc) {
      updateDoc(Path.of("docs/benchmarks.md"), report);
      System.out.println("results written to docs/benchmarks.md");
    }
    System.exit(0);
  }

  private String run() throws Exception {
    StringBuilder report = new StringBuilder();
    report.append(String.format("machine: %d cores, Java %s (%s), %s %s; Kafka %s (broker: test-support KafkaBroker)%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        System.getProperty("java.vm.name"), System.getProperty("os.name"), System.getProperty("os.arch"),
        AppInfoParser.getVersion()));
    for (String topic : List.of(DLQ, TARGET, PIPE_TARGET, PIPE_TUNED_TARGET)) {
      broker.createTopic(topic, PARTITIONS);
    }
    long fillStart = System.nanoTime();
    long bytes = fill();
    report.append(String.format("DLQ: %,d records in our format on %d partitions, mean %d bytes of key+value+headers "
        + "(filled in %.1f s)%n", records, PARTITIONS, bytes / records, (System.nanoTime() - fillStart) / 1e9));
    report.append(String.format("each side in its own JVM (%s); replay --batch-records %s; pipe keys kept, "
        + "headers dropped%n", String.join(" ", CHILD_JVM), batchRecords == null ? "default" : batchRecords));
    System.out.print(report);

    Measurement pipe = pipe(PIPE_TARGET, List.of());
    line(report, "pipe, console tools' defaults", pipe);
    Measurement tuned = pipe(PIPE_TUNED_TARGET, List.of("--batch-size", Integer.toString(512 * 1024), "--timeout",
        "10"));
    line(report, "pipe, producer batch 512 KiB linger 10 ms", tuned);
    Measurement replay = replay();
    line(report, "dlq replay, exactly once", replay);
    checkReplay();
    report.append(String.format("ratio replay / pipe (defaults): %.2f; replay / tuned pipe: %.2f%n",
        replay.rate() / pipe.rate(), replay.rate() / tuned.rate()));
    report.append(String.format("bars: >= 150,000 records/s exactly once: %s; >= 1.5x the pipe: %s%n",
        replay.rate() >= 150_000 ? "met" : "NOT met", replay.rate() >= 1.5 * pipe.rate() ? "met" : "NOT met"));
    return report.toString();
  }

  /**
   * Rate over the window from the first record visible in the target to the last: for the pipe, the log end
   * reaching N; for the replay, its process exiting after the final commit (that includes its JVM's exit, so
   * it is counted against the replay). Wall time includes JVM start for both.
   */
  private record Measurement(long records, double windowSeconds, double wallSeconds) {
    double rate() {
      return records / windowSeconds;
    }
  }

  private static void line(StringBuilder report, String name, Measurement m) {
    String text = String.format("%-45s %,9.0f records/s (%,d records in %.2f s from first to last; %.2f s with "
        + "JVM start)%n", name + ":", m.rate(), m.records(), m.windowSeconds(), m.wallSeconds());
    report.append(text);
    System.out.print(text);
  }

  /** Fills the DLQ as the materializer would: the failed state-committed record plus its error headers. */
  private long fill() {
    Map<String, Object> properties = broker.clientProperties();
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
    long bytes = 0;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      for (int i = 0; i < records; i++) {
        String key = String.format("wf-%07d", i % 100_000);
        String correlation = new UUID(i * 0x9E3779B97F4A7C15L, ~i * 0xC2B2AE3D27D4EB4FL).toString();
        String value = "{\"workflow_key\":\"" + key + "\",\"version\":" + (i / 100_000 + 1)
            + ",\"state\":\"COMPLETED\",\"namespace\":\"tenant-" + (i % 8) + "\",\"tag\":\"release-2026.11\","
            + "\"last_action\":\"approve_invoice\",\"correlation_id\":\"" + correlation
            + "\",\"committed_at\":\"2026-01-01T00:00:00.000Z\"}";
        var record = DlqTestRecords.materializer(DLQ, i % PARTITIONS, null, key, value, TARGET,
            "VALIDATION_ERROR", correlation, Map.of("correlation-id", correlation));
        bytes += key.length() + value.length();
        for (var header : record.headers()) {
          bytes += header.key().length() + header.value().length;
        }
        producer.send(record);
      }
      producer.flush();
    }
    return bytes;
  }

  /** kafka-console-consumer | kafka-console-producer over the DLQ, keys kept (tab-separated), headers not. */
  private Measurement pipe(String target, List<String> producerOptions) throws Exception {
    List<String> consumer = new ArrayList<>(List.of("org.apache.kafka.tools.consumer.ConsoleConsumer",
        "--bootstrap-server", broker.bootstrapServers(), "--topic", DLQ, "--from-beginning",
        "--max-messages", Integer.toString(records), "--formatter-property", "print.key=true",
        "--formatter-property", "key.separator=\t"));
    List<String> producer = new ArrayList<>(List.of("org.apache.kafka.tools.ConsoleProducer",
        "--bootstrap-server", broker.bootstrapServers(), "--topic", target,
        "--reader-property", "parse.key=true", "--reader-property", "key.separator=\t"));
    producer.addAll(producerOptions);
    ProcessBuilder left = java(consumer).redirectError(work.resolve(target + "-consumer.log").toFile());
    ProcessBuilder right = java(producer).redirectInput(ProcessBuilder.Redirect.PIPE)
        .redirectError(work.resolve(target + "-producer.log").toFile())
        .redirectOutput(work.resolve(target + "-producer.out").toFile());
    long start = System.nanoTime();
    List<Process> pipeline = ProcessBuilder.startPipeline(List.of(left, right));
    try (KafkaConsumer<byte[], byte[]> watcher = watcher(target)) {
      long first = 0;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (true) {
        long visible = endSum(watcher, target);
        long now = System.nanoTime();
        if (first == 0 && visible > 0) {
          first = now;
        }
        if (visible >= records) {
          pipeline.forEach(Process::destroy);
          return new Measurement(records, (now - first) / 1e9, (now - start) / 1e9);
        }
        if (now > deadline || !pipeline.get(1).isAlive()) {
          pipeline.forEach(Process::destroyForcibly);
          throw new IllegalStateException("the pipe stopped at " + visible + " of " + records + " records; see "
              + work);
        }
        Thread.sleep(5);
      }
    }
  }

  /** {@code workloads dlq replay} in its own JVM, like the pipe's tools. */
  private Measurement replay() throws Exception {
    List<String> command = new ArrayList<>(List.of(Main.class.getName(), "dlq", "replay",
        "--bootstrap-servers", broker.bootstrapServers(), "--dlq-topic", DLQ, "--replay-name", "benchmark",
        "--termination-log", work.resolve("replay.json").toString()));
    if (batchRecords != null) {
      command.addAll(List.of("--batch-records", batchRecords));
    }
    Path log = work.resolve("replay.log");
    long start = System.nanoTime();
    Process process = java(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try (KafkaConsumer<byte[], byte[]> watcher = watcher(TARGET)) {
      long first = 0;
      while (process.isAlive()) {
        if (first == 0 && endSum(watcher, TARGET) > 0) {
          first = System.nanoTime();
        }
        process.waitFor(5, TimeUnit.MILLISECONDS);
      }
      long end = System.nanoTime();
      if (process.exitValue() != 0) {
        throw new IllegalStateException("dlq replay exited with " + process.exitValue() + ":\n"
            + Files.readString(log));
      }
      System.out.print(Files.readString(log));
      return new Measurement(records, (end - first) / 1e9, (end - start) / 1e9);
    }
  }

  /** The replay's target holds every DLQ record once, with the provenance headers. */
  private void checkReplay() throws IOException {
    DlqReplayResult result = DlqReplayResult.parse(Files.readString(work.resolve("replay.json")));
    if (!result.succeeded() || result.progress().replayed() != records) {
      throw new IllegalStateException("replay result: " + result);
    }
    Set<String> sources = new HashSet<>();
    long count = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = reader()) {
      List<TopicPartition> partitions = partitions(TARGET);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(java.time.Duration.ofMillis(500))) {
          count++;
          if (count % 97 == 0) {
            sources.add(new String(record.headers().lastHeader("x-replay-source").value(), StandardCharsets.UTF_8));
          }
        }
      }
    }
    if (count != records || sources.size() != records / 97) {
      throw new IllegalStateException("target holds " + count + " committed records, expected " + records);
    }
  }

  private ProcessBuilder java(List<String> mainAndArgs) throws IOException {
    Path argFile = work.resolve("java.args");
    if (!Files.exists(argFile)) {
      List<String> lines = new ArrayList<>(CHILD_JVM);
      lines.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
      lines.add("-cp");
      lines.add("\"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"");
      Files.write(argFile, lines);
    }
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + argFile));
    command.addAll(mainAndArgs);
    ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS").forEach(builder.environment()::remove);
    return builder;
  }

  private KafkaConsumer<byte[], byte[]> watcher(String topic) {
    Map<String, Object> properties = broker.clientProperties();
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private KafkaConsumer<byte[], byte[]> reader() {
    Map<String, Object> properties = broker.clientProperties();
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20_000);
    properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
    return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static List<TopicPartition> partitions(String topic) {
    return IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).toList();
  }

  private static long endSum(KafkaConsumer<byte[], byte[]> watcher, String topic) {
    return watcher.endOffsets(partitions(topic)).values().stream().mapToLong(Long::longValue).sum();
  }

  /** Replaces the block between the markers in the DLQ section of the benchmarks doc with this run's report. */
  private static void updateDoc(Path doc, String report) throws IOException {
    BenchmarkDoc.writeResults(doc, "dlq-replay-benchmark", "scripts/benchmark-dlq-replay.sh", "DLQ replay", report);
  }

}
