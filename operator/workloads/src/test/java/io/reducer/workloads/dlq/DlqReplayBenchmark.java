package io.reducer.workloads.dlq;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import io.reducer.testsupport.DirtyPages;
import io.reducer.testsupport.HostSpeed;
import io.reducer.testsupport.kafka.KafkaBroker;
import io.reducer.workloads.Main;
import io.reducer.workloads.materializer.CpuMeter;

/**
 * The DLQ replay's performance bars (DESIGN.md section 6 and the performance issue) measured in one run against a
 * real broker: a DLQ topic filled with N records in our format is replayed by {@code workloads dlq replay} (exactly
 * once, headers kept); the same records are piped through Kafka's console consumer into its console producer
 * (neither); and Kafka's own producer benchmark ({@code kafka-producer-perf-test}, idempotent) writes N records into
 * a topic of the same partitions, the broker's write limit for a single producer: once with payloads of the DLQ
 * records' size (each a DLQ value padded to its record's key+value+headers bytes; the third bar's baseline), once
 * with the DLQ values alone (the ceiling for bare values). It sends no keys and no headers in either. A command,
 * run by scripts/benchmark-dlq-replay.sh; never part of the build. It rewrites the results block of
 * docs/benchmarks.md unless told not to.
 */
public final class DlqReplayBenchmark {

  private static final int PARTITIONS = 3;
  private static final String DLQ = "bench.dlq";
  private static final String TARGET = "bench.state-committed";
  private static final String PIPE_TARGET = "bench.pipe";
  private static final String PIPE_TUNED_TARGET = "bench.pipe-tuned";
  private static final String PERF_TARGET = "bench.perf";
  private static final String PERF_VALUES_TARGET = "bench.perf-values";
  private static final String PERF_DEFAULTS_TARGET = "bench.perf-defaults";
  /**
   * Payloads the producer benchmark sends, picked at random per record, from the first DLQ records: a sample is
   * enough, they are alike.
   */
  private static final int PAYLOAD_SAMPLE = 10_000;
  /**
   * The replay's producer settings (DlqClients.transactionalProducer) that are not about transactions, for the
   * producer benchmark; acks=all and idempotence are required by the replay's transactions.
   */
  private static final List<String> REPLAY_PRODUCER_PROPS = List.of("enable.idempotence=true", "acks=all",
      "compression.type=none", "linger.ms=10", "batch.size=" + 512 * 1024, "max.request.size=" + 8 * 1024 * 1024,
      "buffer.memory=" + 128L * 1024 * 1024, "send.buffer.bytes=" + 1024 * 1024);
  /** The producer benchmark's summary line: "N records sent, R records/sec (M MB/sec), ...". */
  private static final Pattern SUMMARY = Pattern.compile(" records sent, ([0-9.]+) records/sec");
  private static final double BAR_RATE = 150_000;
  private static final double BAR_PIPE_RATIO = 2.0;
  private static final double BAR_PERF_SHARE = 0.60;
  private static final List<String> CHILD_JVM = List.of("-Xms512m", "-Xmx1g");
  /** What the replay Job adds to the image's JVM options (DlqJobs.REPLAY_JVM_OPTIONS in the controller). */
  private static final List<String> REPLAY_JVM = List.of("-XX:+UseSerialGC", "-XX:NewRatio=1",
      "-XX:+UseTransparentHugePages", "-XX:+AlwaysPreTouch", "-Xlog:pagesize=error");

  private final KafkaBroker broker;
  private final HostSpeed speed;
  private final int records;
  private final String batchRecords;
  private final Path work;
  /** CPU per record of the last replay and of the broker meanwhile. */
  private String replayCpu = "";

  private DlqReplayBenchmark(KafkaBroker broker, HostSpeed speed, int records, String batchRecords, Path work) {
    this.broker = broker;
    this.speed = speed;
    this.records = records;
    this.batchRecords = batchRecords;
    this.work = work;
  }

  /** A replay variant of an A/B run: extra JVM options of the replay's process. */
  private record Variant(String name, List<String> jvmOptions) {
    static Variant parse(String spec) {
      int equals = spec.indexOf('=');
      String options = equals < 0 ? "" : spec.substring(equals + 1);
      return new Variant(equals < 0 ? spec : spec.substring(0, equals),
          options.isEmpty() ? List.of() : List.of(options.split(",")));
    }
  }

  /**
   * Optional arguments: records (default 1,000,000), records per transaction (default: the command's default),
   * "--no-doc" to leave docs/benchmarks.md alone. An A/B run instead: "--rounds R" and two or more
   * "--variant NAME=JVM-OPTION,..." (the replay's process gets these options instead of its Job's; "NAME=" for
   * none, that is the image's defaults); each round measures the producer benchmark, the pipe and every variant,
   * in an order that rotates from round to round.
   */
  public static void main(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(List.of(args));
    boolean writeDoc = !rest.remove("--no-doc");
    int rounds = 0;
    List<Variant> variants = new ArrayList<>();
    for (int i = rest.indexOf("--rounds"); i >= 0; i = rest.indexOf("--rounds")) {
      rounds = Integer.parseInt(rest.remove(i + 1));
      rest.remove(i);
    }
    for (int i = rest.indexOf("--variant"); i >= 0; i = rest.indexOf("--variant")) {
      variants.add(Variant.parse(rest.remove(i + 1)));
      rest.remove(i);
    }
    int records = rest.size() > 0 ? Integer.parseInt(rest.get(0)) : 1_000_000;
    String batchRecords = rest.size() > 1 ? rest.get(1) : null;
    long started = System.nanoTime();
    Path work = Files.createTempDirectory("dlq-bench-");
    String report;
    try (HostSpeed speed = HostSpeed.start(); KafkaBroker broker = KafkaBroker.start()) {
      DlqReplayBenchmark benchmark = new DlqReplayBenchmark(broker, speed, records, batchRecords, work);
      report = rounds > 0 ? benchmark.compare(rounds, variants) : benchmark.run();
    }
    writeDoc &= rounds == 0;
    report += String.format("%ntotal run time: %.0f s%n", (System.nanoTime() - started) / 1e9);
    System.out.print(report);
    if (writeDoc) {
      updateDoc(Path.of("docs/benchmarks.md"), report);
      System.out.println("results written to docs/benchmarks.md");
    }
    System.exit(0);
  }

  private String run() throws Exception {
    for (String topic : List.of(TARGET, PIPE_TARGET, PIPE_TUNED_TARGET, PERF_TARGET, PERF_VALUES_TARGET,
        PERF_DEFAULTS_TARGET)) {
      broker.createTopic(topic, PARTITIONS);
    }
    StringBuilder report = new StringBuilder();
    Fill fill = prepare(report);
    Measurement pipe = side(report, "pipe, console tools' defaults", () -> pipe(PIPE_TARGET, List.of()));
    Measurement tuned = side(report, "pipe, producer batch 512 KiB linger 10 ms", () -> pipe(PIPE_TUNED_TARGET,
        List.of("--batch-size", Integer.toString(512 * 1024), "--timeout", "10")));
    Measurement perf = side(report, "producer-perf, record-sized, replay's settings",
        () -> producerPerf(PERF_TARGET, sizedPayloadFile(), REPLAY_PRODUCER_PROPS));
    Measurement perfValues = side(report, "producer-perf, values only, replay's settings",
        () -> producerPerf(PERF_VALUES_TARGET, valuePayloadFile(), REPLAY_PRODUCER_PROPS));
    Measurement perfDefaults = side(report, "producer-perf, values only, defaults",
        () -> producerPerf(PERF_DEFAULTS_TARGET, valuePayloadFile(), List.of("enable.idempotence=true", "acks=all")));
    Measurement replay = side(report, "dlq replay, exactly once",
        () -> replay(TARGET, "benchmark", REPLAY_JVM, List.of()));
    report.append("dlq replay CPU: ").append(replayCpu).append('\n');
    System.out.println("dlq replay CPU: " + replayCpu);
    checkReplay();
    report.append(String.format("producer-perf: no keys or headers; record-sized: DLQ values padded to their "
        + "record's key+value+headers (mean %d bytes), values only: DLQ values (mean %d bytes); its own figures: "
        + "%,.0f, %,.0f and %,.0f records/s%n", fill.sizedPayloadMean(), fill.valuePayloadMean(), perf.ownRate(),
        perfValues.ownRate(), perfDefaults.ownRate()));
    report.append(String.format("ratio replay / pipe (defaults): %.2f; replay / tuned pipe: %.2f; "
        + "replay / producer-perf record-sized: %.2f (values only: %.2f, values only with defaults: %.2f)%n",
        replay.rate() / pipe.rate(), replay.rate() / tuned.rate(), replay.rate() / perf.rate(),
        replay.rate() / perfValues.rate(), replay.rate() / perfDefaults.rate()));
    report.append(String.format("bars: >= 150,000 records/s exactly once: %s; >= 2x the pipe: %s; >= 60 %% of "
        + "producer-perf record-sized: %s%n", met(replay.rate() >= BAR_RATE),
        met(replay.rate() >= BAR_PIPE_RATIO * pipe.rate()), met(replay.rate() >= BAR_PERF_SHARE * perf.rate())));
    return report.toString();
  }

  /** Creates and fills the DLQ and describes the run. */
  private Fill prepare(StringBuilder report) throws IOException {
    report.append(String.format("machine: %d cores, Java %s (%s), %s %s; Kafka %s (broker: test-support KafkaBroker)%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        System.getProperty("java.vm.name"), System.getProperty("os.name"), System.getProperty("os.arch"),
        AppInfoParser.getVersion()));
    report.append(String.format("load average at the start: %s%n", loadAverage()));
    broker.createTopic(DLQ, PARTITIONS);
    long fillStart = System.nanoTime();
    Fill fill = fill();
    report.append(String.format("DLQ: %,d records in our format on %d partitions, mean %d bytes of key+value+headers, "
        + "%d of value (filled in %.1f s)%n", records, PARTITIONS, fill.bytes() / records, fill.valueBytes() / records,
        (System.nanoTime() - fillStart) / 1e9));
    report.append(String.format("each side in its own JVM (%s; the replay also %s, as its Job); replay "
        + "--batch-records %s; pipe keys kept, headers dropped%n", String.join(" ", CHILD_JVM),
        String.join(" ", REPLAY_JVM), batchRecords == null ? "default" : batchRecords));
    System.out.print(report);
    return fill;
  }

  /**
   * A/B run: per round the producer benchmark (record-sized payloads, the replay's producer settings), the pipe
   * (console tools' defaults)
   * and each variant, into fresh topics; a variant's figure is judged by its ratios to the two baselines of its
   * own round, which cancel most of what other load on the machine does to all of them.
   */
  private String compare(int rounds, List<Variant> variants) throws Exception {
    StringBuilder report = new StringBuilder();
    prepare(report);
    Map<String, List<double[]>> results = new LinkedHashMap<>();
    variants.forEach(variant -> results.put(variant.name(), new ArrayList<>()));
    for (int round = 1; round <= rounds; round++) {
      String prefix = "bench.r" + round + ".";
      for (String topic : List.of("perf", "pipe")) {
        broker.createTopic(prefix + topic, PARTITIONS);
      }
      String load = loadAverage();
      int roundMark = speed.mark();
      double perf = producerPerf(prefix + "perf", sizedPayloadFile(), REPLAY_PRODUCER_PROPS).rate();
      double pipe = pipe(prefix + "pipe", List.of()).rate();
      StringBuilder line = new StringBuilder(String.format("round %d (load %s): producer-perf record-sized %,.0f, "
          + "pipe %,.0f",
          round, load, perf, pipe));
      for (int i = 0; i < variants.size(); i++) {
        Variant variant = variants.get((i + round) % variants.size());
        String target = prefix + variant.name();
        broker.createTopic(target, PARTITIONS);
        double rate = replay(target, "r" + round + "-" + variant.name(), variant.jvmOptions(),
            List.of("--target-topic", target, "--ledger-topic", target + ".ledger")).rate();
        results.get(variant.name()).add(new double[] {rate, rate / perf, rate / pipe});
        line.append(String.format("; %s %,.0f (%.2f of perf, %.2fx pipe)", variant.name(), rate, rate / perf,
            rate / pipe));
      }
      line.append("; ").append(speed.since(roundMark));
      System.out.println(line);
      report.append(line).append(System.lineSeparator());
    }
    results.forEach((name, figures) -> report.append(String.format(
        "median %s: %,.0f records/s, %.2f of producer-perf record-sized, %.2fx the pipe%n", name, median(figures, 0),
        median(figures, 1), median(figures, 2))));
    return report.toString();
  }

  /** Other work on the machine, which the figures depend on: the 1, 5 and 15 minute load averages. */
  private static String loadAverage() throws IOException {
    Path loadavg = Path.of("/proc/loadavg");
    return Files.exists(loadavg) ? String.join(" ", List.of(Files.readString(loadavg).trim().split(" ")).subList(0, 3))
        : "unknown";
  }

  private static double median(List<double[]> figures, int column) {
    double[] values = figures.stream().mapToDouble(f -> f[column]).sorted().toArray();
    return values.length % 2 == 1 ? values[values.length / 2]
        : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
  }

  private static String met(boolean met) {
    return met ? "met" : "NOT met";
  }

  /**
   * Rate over the window from the first record visible in the target to the last: for the pipe, the log end
   * reaching N; for the replay, its process exiting after the final commit (that includes its JVM's exit, so
   * it is counted against the replay). Wall time includes JVM start for both.
   */
  private record Measurement(long records, double windowSeconds, double wallSeconds, double ownRate) {
    Measurement(long records, double windowSeconds, double wallSeconds) {
      this(records, windowSeconds, wallSeconds, Double.NaN);
    }

    double rate() {
      return records / windowSeconds;
    }
  }


  /** Measures one side and reports it with how fast the machine's cores ran meanwhile. */
  private Measurement side(StringBuilder report, String name, Callable<Measurement> side) throws Exception {
    int mark = speed.mark();
    Measurement measurement = side.call();
    line(report, name, measurement);
    String text = "  " + speed.since(mark) + System.lineSeparator();
    report.append(text);
    System.out.print(text);
    return measurement;
  }

  private static void line(StringBuilder report, String name, Measurement m) {
    String text = String.format("%-48s %,9.0f records/s (%,d records in %.2f s from first to last; %.2f s with "
        + "JVM start)%n", name + ":", m.rate(), m.records(), m.windowSeconds(), m.wallSeconds());
    report.append(text);
    System.out.print(text);
  }

  /**
   * Bytes written to the DLQ: key, value and headers, and the values alone; the mean bytes of a line of either
   * payload file.
   */
  private record Fill(long bytes, long valueBytes, long sizedPayloadMean, long valuePayloadMean) {
  }

  /**
   * Fills the DLQ as the materializer would: the failed state-committed record plus its error headers. The first
   * records also go to the producer benchmark's payload files, one a line (JSON without line breaks): their values,
   * and their values padded to the record's key+value+headers bytes.
   */
  private Fill fill() throws IOException {
    Map<String, Object> properties = broker.clientProperties();
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
    long bytes = 0;
    long valueBytes = 0;
    List<String> values = new ArrayList<>();
    List<String> sized = new ArrayList<>();
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
        // Key, value and header keys are ASCII: a char is a byte.
        long recordBytes = key.length() + value.length();
        for (var header : record.headers()) {
          recordBytes += header.key().length() + header.value().length;
        }
        bytes += recordBytes;
        valueBytes += value.length();
        if (values.size() < PAYLOAD_SAMPLE) {
          values.add(value);
          sized.add(padded(value, recordBytes));
        }
        producer.send(record);
      }
      producer.flush();
    }
    Files.write(valuePayloadFile(), values);
    Files.write(sizedPayloadFile(), sized);
    return new Fill(bytes, valueBytes, meanLength(sized), meanLength(values));
  }

  /** The JSON value with a "pad" field that makes it {@code size} bytes long (ASCII), still one line. */
  private static String padded(String value, long size) {
    String open = value.substring(0, value.lastIndexOf('}')) + ",\"pad\":\"";
    long pad = size - open.length() - 2;
    if (pad < 0) {
      throw new IllegalArgumentException("a value of " + value.length() + " bytes cannot be padded to " + size);
    }
    return open + "x".repeat((int) pad) + "\"}";
  }

  private static long meanLength(List<String> lines) {
    return Math.round(lines.stream().mapToInt(String::length).average().orElse(0));
  }

  /** DLQ values, one a line. */
  private Path valuePayloadFile() {
    return work.resolve("payloads-values.txt");
  }

  /** DLQ values padded to their record's key+value+headers bytes, one a line. */
  private Path sizedPayloadFile() {
    return work.resolve("payloads-record-sized.txt");
  }

  /** kafka-console-consumer | kafka-console-producer over the DLQ, keys kept (tab-separated), headers not. */
  private Measurement pipe(String target, List<String> producerOptions) throws Exception {
    DirtyPages.writeBack();
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
    // The console producer waits for more input until the consumer's end closes its stdin: stopped at N.
    return watch(target, start, ProcessBuilder.startPipeline(List.of(left, right)), true);
  }

  /**
   * Kafka's producer benchmark (what kafka-producer-perf-test runs) in its own JVM: N records as fast as it can,
   * values from the payload file, no keys or headers (it sends none), with the given producer properties.
   */
  private Measurement producerPerf(String target, Path payloads, List<String> producerProps) throws Exception {
    DirtyPages.writeBack();
    List<String> command = new ArrayList<>(List.of("org.apache.kafka.tools.ProducerPerformance",
        "--bootstrap-server", broker.bootstrapServers(), "--topic", target, "--num-records", Integer.toString(records),
        "--payload-file", payloads.toString(), "--throughput", "-1", "--producer-props"));
    command.addAll(producerProps);
    Path out = work.resolve(target + ".out");
    ProcessBuilder builder = java(command).redirectError(work.resolve(target + ".log").toFile())
        .redirectOutput(out.toFile());
    long start = System.nanoTime();
    Process process = builder.start();
    Measurement measured = watch(target, start, List.of(process), false);
    if (!process.waitFor(1, TimeUnit.MINUTES)) {
      process.destroyForcibly();
    }
    // Its summary is the last line.
    List<String> lines = Files.readAllLines(out);
    String summary = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    Matcher own = SUMMARY.matcher(summary);
    return new Measurement(measured.records(), measured.windowSeconds(), measured.wallSeconds(),
        own.find() ? Double.parseDouble(own.group(1)) : Double.NaN);
  }

  /**
   * Polls the target's end offsets until they reach N, from the first record visible, then stops the processes if
   * told to. The last process is the writer: if it ends before N records are visible, the run fails.
   */
  private Measurement watch(String target, long start, List<Process> processes, boolean stop) throws Exception {
    try (KafkaConsumer<byte[], byte[]> watcher = watcher(target)) {
      long first = 0;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      Process writer = processes.get(processes.size() - 1);
      while (true) {
        boolean writerEnded = !writer.isAlive();
        long visible = endSum(watcher, target);
        long now = System.nanoTime();
        if (first == 0 && visible > 0) {
          first = now;
        }
        if (visible >= records) {
          if (stop) {
            processes.forEach(Process::destroy);
          }
          return new Measurement(records, (now - first) / 1e9, (now - start) / 1e9);
        }
        if (now > deadline || writerEnded) {
          processes.forEach(Process::destroyForcibly);
          throw new IllegalStateException("the writer to " + target + " stopped at " + visible + " of " + records
              + " records; see " + work);
        }
        Thread.sleep(5);
      }
    }
  }

  /** {@code workloads dlq replay} in its own JVM, like the pipe's tools, writing to {@code target}. */
  private Measurement replay(String target, String name, List<String> jvmOptions, List<String> options)
      throws Exception {
    DirtyPages.writeBack();
    List<String> command = new ArrayList<>(jvmOptions);
    command.addAll(List.of(Main.class.getName(), "dlq", "replay", "--bootstrap-servers", broker.bootstrapServers(),
        "--dlq-topic", DLQ, "--replay-name", name, "--termination-log", work.resolve(name + ".json").toString()));
    command.addAll(options);
    if (batchRecords != null) {
      command.addAll(List.of("--batch-records", batchRecords));
    }
    Path log = work.resolve(name + ".log");
    long start = System.nanoTime();
    long brokerBefore = brokerTicks();
    Process process = java(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try (KafkaConsumer<byte[], byte[]> watcher = watcher(target)) {
      long first = 0;
      long replayTicks = 0;
      Map<String, Long> byThread = Map.of();
      long threadTicks = 0;
      int samples = 0;
      while (process.isAlive()) {
        if (first == 0 && endSum(watcher, target) > 0) {
          first = System.nanoTime();
        }
        // The last reading before the process exits: its CPU time, within a few milliseconds. Its threads every
        // 100 ms (reading them costs this JVM CPU the replay competes for), keeping the reading with the most time.
        replayTicks = Math.max(replayTicks, CpuMeter.ticks(process.pid()));
        if (++samples % 20 == 0) {
          Map<String, Long> threads = CpuMeter.ticksByThread(process.pid());
          long sum = threads.values().stream().mapToLong(Long::longValue).sum();
          if (sum > threadTicks) {
            threadTicks = sum;
            byThread = threads;
          }
        }
        process.waitFor(5, TimeUnit.MILLISECONDS);
      }
      long end = System.nanoTime();
      StringBuilder threads = new StringBuilder();
      byThread.forEach((kind, ticks) -> threads.append(threads.length() == 0 ? "" : ", ").append(kind)
          .append(String.format(" %.1f", ticks / CpuMeter.TICKS_PER_SECOND * 1e6 / records)));
      replayCpu = String.format("replay JVM %.1f (by thread, up to its last 100 ms: %s), broker %.1f CPU us/record"
          + " (the replay's JVM start included)",
          replayTicks / CpuMeter.TICKS_PER_SECOND * 1e6 / records, threads,
          (brokerTicks() - brokerBefore) / CpuMeter.TICKS_PER_SECOND * 1e6 / records);
      if (process.exitValue() != 0) {
        throw new IllegalStateException("dlq replay exited with " + process.exitValue() + ":\n"
            + Files.readString(log));
      }
      DlqReplayResult result = DlqReplayResult.parse(Files.readString(work.resolve(name + ".json")));
      if (!result.succeeded() || result.progress().replayed() != records) {
        throw new IllegalStateException("replay result: " + result);
      }
      return new Measurement(records, (end - first) / 1e9, (end - start) / 1e9);
    }
  }

  /** CPU ticks of this JVM's child processes alive now: the broker, once the tools it measured have exited. */
  private static long brokerTicks() {
    return ProcessHandle.current().children().mapToLong(child -> CpuMeter.ticks(child.pid())).sum();
  }

  /** The replay's target holds every DLQ record once, with the provenance headers. */
  private void checkReplay() {
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
