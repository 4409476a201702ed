package io.reducer.workloads.materializer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.AppInfoParser;
import io.reducer.testsupport.DirtyPages;
import io.reducer.testsupport.HostSpeed;
import io.reducer.testsupport.kafka.KafkaBroker;

/**
 * The materializer's performance bars (DESIGN.md section 6) measured in one run against a real broker and
 * PostgreSQL: drain rate of a prefilled topic, the raw batched-upsert rate of the same rows, and projection lag
 * at a fixed offered rate. A command, run by scripts/benchmark-materializer.sh; never part of the build.
 */
public final class MaterializerBenchmark {

  private static final int PARTITIONS = 12;
  private static final String MAX_RECORDS = "5000";
  /**
   * Events sent in the lag phase's first seconds are not counted: new topic, new consumer, empty table, and a broker
   * whose C2 compiler is still compiling its paths for small produce and fetch requests (about 20 s).
   */
  private static final int LAG_WARMUP_SECONDS = 20;
  /** The first seconds of the lag phase whose lag is broken down on its own: a load jumping from none to the rate. */
  private static final int WARMUP_BREAKDOWN_SECONDS = 10;
  /** How long the lag phase's materializer is watched idle after its last event. */
  private static final int IDLE_SECONDS = 10;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final Pattern SAMPLE = Pattern.compile("(?m)^(\\w+)\\{[^}]*\\} (\\S+)$");

  private final TestCluster cluster;
  private final int records;
  private final int keys;
  private final int lagRate;
  private final int lagSeconds;
  private final BenchEvents events;
  private CpuMeter cpu;
  private final HostSpeed speed;

  private MaterializerBenchmark(TestCluster cluster, HostSpeed speed, int records, int keys, int lagRate,
      int lagSeconds) {
    this.cluster = cluster;
    this.speed = speed;
    this.records = records;
    this.keys = keys;
    this.lagRate = lagRate;
    this.lagSeconds = lagSeconds;
    this.events = new BenchEvents(keys, PARTITIONS);
  }

  /**
   * Optional arguments: records, distinct keys, offered rate, measured lag seconds after the warm-up (defaults
   * 1,000,000 100,000 20,000 20; 0 lag seconds skips the lag phase).
   */
  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int keys = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    long started = System.nanoTime();
    // A broker with both JIT compilers, as in production, not the tests' C1-only one: at 20,000 events/s in small
    // requests a C1 broker used a whole core of the two (docs/benchmarks.md, "Materializer").
    System.setProperty(KafkaBroker.FULL_JIT_PROPERTY, "true");
    try (HostSpeed speed = HostSpeed.start(); TestCluster cluster = new TestCluster()) {
      new MaterializerBenchmark(cluster, speed, records, keys, rate, seconds).run();
    }
    System.out.printf("total run time: %.0f s%n", (System.nanoTime() - started) / 1e9);
    System.exit(0);
  }

  private void run() throws Exception {
    System.out.printf("machine: %d cores, Java %s (%s), %s %s; Kafka %s; %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        System.getProperty("java.vm.name"), System.getProperty("os.name"), System.getProperty("os.arch"),
        AppInfoParser.getVersion(), scalar("SELECT version()"));
    cpu = new CpuMeter(CpuMeter.postmaster(scalar("SHOW data_directory")));
    System.out.printf("settings: %d partitions, %,d records, %,d keys, --max-records %s, poll timeout 100 ms%n",
        PARTITIONS, records, keys, MAX_RECORDS);

    // A fresh JVM spends a good part of its first seconds compiling (C2 took 2.8 of 6.9 CPU seconds of one
    // drain): a short drain first, reported as well, so the measured one shows the materializer as it runs for days.
    // Half the records: at about 100,000 events/s that covers the first 5 s of a fresh JVM, the bar's window.
    int phase = speed.mark();
    Drain cold = drain("warmup", records / 2);
    System.out.printf("warm-up drain, fresh JVM: %,.0f events/s (%,d events in %.2f s)%n", cold.rate(),
        cold.events(), cold.seconds());
    System.out.println("warm-up drain CPU: " + cold.cpu());
    System.out.println("warm-up drain " + speed.since(phase));
    phase = speed.mark();
    Drain drain = drain("drain", records);
    System.out.printf("drain: %,.0f events/s (%,d events in %.2f s; mean partition batch %.0f records, mean "
        + "transaction %.0f records; duplicates skipped %.0f)%n", drain.rate(), drain.events(), drain.seconds(),
        drain.meanBatch(), drain.meanTransaction(), drain.duplicates());
    System.out.println("drain CPU: " + drain.cpu());
    System.out.println("drain " + speed.since(phase));

    // As many rows per transaction as the materializer wrote: the raw side commits as often as it did.
    int batch = (int) Math.max(1, Math.round(drain.meanTransaction()));
    phase = speed.mark();
    double raw = raw(batch);
    System.out.printf("raw upsert: %,.0f rows/s (batches of %d, one transaction each)%n", raw, batch);
    System.out.println("raw upsert " + speed.since(phase));
    System.out.printf("ratio materializer/raw: %.0f %%%n", 100 * drain.rate() / raw);

    if (lagSeconds == 0) {
      return; // drain and raw only: a quicker comparison of variants
    }
    // The earlier phases left a million dead row versions; clean them now so autovacuum does not run during it.
    cluster.execute("VACUUM ANALYZE bench_warmup_projection");
    cluster.execute("VACUUM ANALYZE bench_drain_projection");
    cluster.execute("VACUUM ANALYZE bench_raw");
    cluster.execute("CHECKPOINT");
    DirtyPages.writeBack();
    double[] lag = lag();
    System.out.printf("lag at %,.0f events/s offered, after a %d s warm-up (%,.0f events): p50 %.1f ms, "
        + "p95 %.1f ms, p99 %.1f ms, max %.1f ms%n", lag[0], LAG_WARMUP_SECONDS, lag[1], lag[2], lag[3], lag[4],
        lag[5]);
  }


  private record Drain(long events, double seconds, double meanBatch, double meanTransaction, double duplicates,
      String cpu) {
    double rate() {
      return events / seconds;
    }
  }

  /**
   * Prefills a topic with {@code count} events, then times a new materializer from its first commit to every
   * watermark at log end.
   */
  private Drain drain(String name, long count) throws Exception {
    String topic = "bench-" + name;
    String projection = "bench_" + name;
    String table = projection + "_projection";
    cluster.createTopics(topic, PARTITIONS);
    long fillStart = System.nanoTime();
    try (KafkaProducer<String, String> producer = bulkProducer()) {
      for (long i = 0; i < count; i++) {
        StateCommitted row = events.row(i, events.prefillTime(i));
        producer.send(TestEvents.raw(topic, row.workflowKey(), BenchEvents.json(row), row.correlationId()));
      }
      producer.flush();
    }
    System.out.printf("prefill: %,d records in %.1f s%n", count, (System.nanoTime() - fillStart) / 1e9);
    checkPartitioning(topic, count);
    cluster.execute("CHECKPOINT");
    DirtyPages.writeBack();

    Map<String, String> env = cluster.env(topic, projection, table);
    try (WatermarkPoller poller = new WatermarkPoller(cluster.postgres.connect(), projection);
        InProcessMaterializer materializer = new InProcessMaterializer(env, List.of("--max-records", MAX_RECORDS))) {
      TransactionCount transactions = new TransactionCount();
      materializer.materializer.traceBatches(transactions);
      long first = 0;
      long firstCount = 0;
      List<long[]> progress = new ArrayList<>();
      Map<String, Map<Long, Long>> cpuAtFirst = null;
      long pollerAtFirst = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (true) {
        long now = System.nanoTime();
        long done = poller.poll();
        progress.add(new long[] {now, done});
        if (first == 0 && done > 0) {
          first = now;
          firstCount = done;
          cpuAtFirst = cpu.snapshot();
          pollerAtFirst = THREADS.getCurrentThreadCpuTime();
        }
        if (done >= count) {
          // This thread polls the watermarks; its share of the JVM's figure is the benchmark's, not the materializer's.
          String cpuPerEvent = CpuMeter.perEvent(cpuAtFirst, cpu.snapshot(), count - firstCount)
              + String.format(" (of the JVM's: watermark poller %.1f)",
                  (THREADS.getCurrentThreadCpuTime() - pollerAtFirst) / 1e3 / (count - firstCount));
          Map<String, Double> metrics = samples(materializer.metrics().scrape());
          double batches = metrics.get("projection_materializer_batch_size_count");
          double mean = metrics.get("projection_materializer_batch_size_sum") / batches;
          checkProjection(table, count);
          System.out.println(name + " rate by 0.5 s since the first commit: " + rates(progress, first));
          return new Drain(count - firstCount, (now - first) / 1e9, mean, transactions.meanRecords(),
              metrics.get("projection_materializer_duplicate_events_skipped_total"), cpuPerEvent);
        }
        if (now > deadline || materializer.exitCode.isDone()) {
          throw new IllegalStateException("materializer did not drain the topic: " + done + " of " + count);
        }
        Thread.sleep(10);
      }
    }
  }

  /** Records per transaction: the batches of one transaction share its commit stamp. */
  private static final class TransactionCount implements BatchTrace {
    private final Set<Long> commits = new HashSet<>();
    private long records;

    @Override
    public synchronized void committed(int partition, List<ConsumerRecord<byte[], byte[]>> batch, long polledNanos,
        long decodedNanos, long startedNanos, BatchOutcome outcome) {
      commits.add(outcome.committedNanos());
      records += batch.size();
    }

    synchronized double meanRecords() {
      return commits.isEmpty() ? 0 : (double) records / commits.size();
    }
  }

  /** The same rows, the same statement and batch size, straight into PostgreSQL: only database time counts. */
  private double raw(int batch) throws SQLException, IOException, InterruptedException {
    try (Connection connection = cluster.postgres.connect()) {
      connection.setAutoCommit(false);
      ProjectionSchema.create(connection, "public", "bench_raw");
    }
    cluster.execute("CHECKPOINT");
    DirtyPages.writeBack();
    ProjectionUpsert upsert = new ProjectionUpsert("public", "bench_raw");
    List<List<StateCommitted>> pending = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      pending.add(new ArrayList<>());
    }
    long nanos = 0;
    Map<String, Map<Long, Long>> cpuBefore = cpu.snapshot();
    try (Connection connection = cluster.postgres.connect()) {
      connection.setAutoCommit(false);
      for (long i = 0; i < records; i++) {
        StateCommitted row = events.row(i, events.prefillTime(i));
        List<StateCommitted> rows = pending.get(events.partition(row.workflowKey()));
        rows.add(row);
        if (rows.size() == batch) {
          nanos += write(connection, upsert, rows);
        }
      }
      for (List<StateCommitted> rows : pending) {
        nanos += write(connection, upsert, rows);
      }
      // Before the connection closes, while its backend still counts. This JVM's share includes generating the
      // rows, which the rate leaves out.
      System.out.println("raw CPU: " + CpuMeter.perEvent(cpuBefore, cpu.snapshot(), records));
    }
    checkProjection("bench_raw", records);
    return records / (nanos / 1e9);
  }

  /** Upserts and commits one batch as the materializer does (newest version per key first); returns its nanos. */
  private static long write(Connection connection, ProjectionUpsert upsert, List<StateCommitted> rows)
      throws SQLException {
    if (rows.isEmpty()) {
      return 0;
    }
    List<StateCommitted> latest = LatestPerKey.of(rows).latest();
    long start = System.nanoTime();
    upsert.apply(connection, latest);
    connection.commit();
    long took = System.nanoTime() - start;
    rows.clear();
    return took;
  }

  /** This JVM's collections so far and their total milliseconds. */
  private static long[] collections() {
    long[] sums = new long[2];
    for (java.lang.management.GarbageCollectorMXBean collector
        : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      sums[0] += Math.max(0, collector.getCollectionCount());
      sums[1] += Math.max(0, collector.getCollectionTime());
    }
    return sums;
  }

  /**
   * Produces at a fixed rate, each event's committed_at the time it is sent, while the materializer runs; an
   * event's lag is when its watermark became visible minus when it was sent. Returns offered rate, events,
   * p50, p95, p99 and max in milliseconds.
   */
  private double[] lag() throws Exception {
    String topic = "bench-lag";
    // The broker stamps each record with its append time: the breakdown's split between send and poll.
    cluster.broker.createTopic(topic, PARTITIONS, Map.of("message.timestamp.type", "LogAppendTime"));
    cluster.broker.createTopic(topic + ".dlq", 1);
    int total = lagRate * (LAG_WARMUP_SECONDS + lagSeconds);
    long[][] sentAt = new long[PARTITIONS][total];
    Map<String, String> env = cluster.env(topic, "bench_lag", "bench_lag_projection");
    LagBreakdown breakdown = new LagBreakdown();
    try (WatermarkPoller poller = new WatermarkPoller(cluster.postgres.connect(), "bench_lag");
        InProcessMaterializer materializer = new InProcessMaterializer(env, List.of("--max-records", MAX_RECORDS))) {
      materializer.materializer.traceBatches(breakdown);
      while (poller.partitions() < PARTITIONS) {
        poller.poll();
        Thread.sleep(20);
      }
      long[] producing = new long[2];
      long[] gcBefore = collections();
      Thread producer = new Thread(() -> produce(topic, total, sentAt, producing), "paced-producer");
      producer.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(LAG_WARMUP_SECONDS + lagSeconds + 120L).toNanos();
      // CPU of each party while the measured events are sent: what the machine had left decides the lag's tail.
      Map<String, Map<Long, Long>> cpuMeasured = null;
      Map<String, Map<Long, Long>> cpuSent = null;
      int measuredMark = 0;
      String measuredSpeed = null;
      while (poller.poll() < total || producer.isAlive()) {
        if (System.nanoTime() > deadline || materializer.exitCode.isDone()) {
          throw new IllegalStateException("materializer fell behind the paced producer");
        }
        if (cpuMeasured == null && producing[0] != 0
            && System.nanoTime() - producing[0] >= LAG_WARMUP_SECONDS * 1_000_000_000L) {
          cpuMeasured = cpu.snapshot();
          measuredMark = speed.mark();
        }
        if (cpuSent == null && producing[1] != 0) {
          cpuSent = cpu.snapshot();
          measuredSpeed = speed.since(measuredMark);
        }
        Thread.sleep(5);
      }
      long[] gcAfter = collections();
      reportIdle();
      if (cpuMeasured != null && cpuSent != null) {
        System.out.println("CPU while the measured events were sent: "
            + CpuMeter.perEvent(cpuMeasured, cpuSent, (long) lagRate * lagSeconds)
            + " (this JVM's share includes the paced producer)");
        System.out.println("while the measured events were sent, " + measuredSpeed);
      }
      // This JVM runs the producer and the poller too, so its collector pauses stop the materializer's loop.
      System.out.printf("collections in this JVM during the phase, warm-up included: %d, %d ms in all%n",
          gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1]);
      long[] lags = new long[total];
      int windows = (LAG_WARMUP_SECONDS + lagSeconds + 4) / 5;
      List<List<Long>> byWindow = new ArrayList<>();
      for (int w = 0; w < windows; w++) {
        byWindow.add(new ArrayList<>());
      }
      int n = 0;
      for (WatermarkPoller.Visible visible : poller.visible()) {
        for (long offset = visible.from(); offset < visible.to(); offset++) {
          long sent = sentAt[visible.partition()][(int) offset];
          if (sent - producing[0] >= LAG_WARMUP_SECONDS * 1_000_000_000L) {
            lags[n++] = visible.nanos() - sent;
          }
          int window = (int) Math.min(windows - 1, Math.max(0, (sent - producing[0]) / 5_000_000_000L));
          byWindow.get(window).add(visible.nanos() - sent);
        }
      }
      StringBuilder windowed = new StringBuilder("lag p95 by 5 s of sending, warm-up included:");
      for (List<Long> window : byWindow) {
        long[] sorted = window.stream().mapToLong(Long::longValue).sorted().toArray();
        windowed.append(String.format(" %.0f ms", sorted.length == 0 ? 0 : millis(sorted, sorted.length, 0.95)));
      }
      System.out.println(windowed);
      long measuredFrom = producing[0] + LAG_WARMUP_SECONDS * 1_000_000_000L;
      System.out.print(breakdown.report(sentAt, measuredFrom, Long.MAX_VALUE, poller.visible()));
      // A load that jumps from nothing to the offered rate: what the first seconds' lag is made of.
      System.out.print("first " + WARMUP_BREAKDOWN_SECONDS + " s of sending (warm-up), " + breakdown.report(sentAt,
          producing[0], producing[0] + WARMUP_BREAKDOWN_SECONDS * 1_000_000_000L, poller.visible()));
      Arrays.sort(lags, 0, n);
      double offered = total / ((producing[1] - producing[0]) / 1e9);
      return new double[] {offered, n, millis(lags, n, 0.50), millis(lags, n, 0.95), millis(lags, n, 0.99),
          lags[n - 1] / 1e6};
    }
  }

  /**
   * With every event materialized and nothing sent, what an idle materializer costs: its fetches a second (the
   * consumer's {@code fetch-total}) and each party's CPU, over {@link #IDLE_SECONDS}.
   */
  private void reportIdle() throws Exception {
    Thread.sleep(2000);
    double fetchesBefore = ConsumerFetches.total("reducer-materializer-");
    Map<String, Map<Long, Long>> before = cpu.snapshot();
    long start = System.nanoTime();
    Thread.sleep(IDLE_SECONDS * 1000L);
    double seconds = (System.nanoTime() - start) / 1e9;
    double fetches = ConsumerFetches.total("reducer-materializer-") - fetchesBefore;
    System.out.printf("idle for %d s: the materializer sent %.1f fetches/s; CPU: %s%n", IDLE_SECONDS,
        fetches / seconds, CpuMeter.perSecond(before, cpu.snapshot(), seconds));
  }

  /** Sends {@code total} events paced to the offered rate; records each one's send time by partition and offset. */
  private void produce(String topic, int total, long[][] sentAt, long[] window) {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(lagProducerProperties(),
        new StringSerializer(), new StringSerializer())) {
      long start = System.nanoTime();
      window[0] = start;
      int sent = 0;
      while (sent < total) {
        long due = Math.min(total, (System.nanoTime() - start) * lagRate / 1_000_000_000L);
        while (sent < due) {
          long nanos = System.nanoTime();
          StateCommitted row = events.row(sent, Instant.now());
          producer.send(TestEvents.raw(topic, row.workflowKey(), BenchEvents.json(row), row.correlationId()),
              (metadata, error) -> {
                if (error == null) {
                  sentAt[metadata.partition()][(int) metadata.offset()] = nanos;
                }
              });
          sent++;
        }
        LockSupport.parkNanos(200_000);
      }
      window[1] = System.nanoTime();
      producer.flush();
    }
  }

  private KafkaProducer<String, String> bulkProducer() {
    Map<String, Object> properties = cluster.broker.clientProperties();
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
    return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
  }

  private Map<String, Object> lagProducerProperties() {
    Map<String, Object> properties = cluster.broker.clientProperties();
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    return properties;
  }

  /** The default partitioner must put each key where {@link BenchEvents#partition} says, or the raw phase differs. */
  private void checkPartitioning(String topic, long count) {
    long[] expected = new long[PARTITIONS];
    for (long i = 0; i < count; i++) {
      expected[events.partition(events.key(i))]++;
    }
    Map<Integer, Long> end = cluster.logEnd(topic, PARTITIONS);
    for (int p = 0; p < PARTITIONS; p++) {
      if (end.get(p) != expected[p]) {
        throw new IllegalStateException("partition " + p + " holds " + end.get(p) + " records, expected "
            + expected[p]);
      }
    }
  }

  /** Every key present at its last version: the run measured correct work. */
  private void checkProjection(String table, long count) {
    long wrong = Long.parseLong(scalar("SELECT count(*) FROM " + table + " WHERE version <> "
        + "(" + (count - 1) + " - right(workflow_key, 7)::bigint) / " + keys + " + 1"));
    long rows = Long.parseLong(scalar("SELECT count(*) FROM " + table));
    if (wrong != 0 || rows != Math.min(keys, count)) {
      throw new IllegalStateException(table + ": " + rows + " rows, " + wrong + " at a wrong version");
    }
  }

  private String scalar(String sql) {
    try (Connection connection = cluster.postgres.connect(); Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private static Map<String, Double> samples(String scrape) {
    Map<String, Double> result = new HashMap<>();
    Matcher matcher = SAMPLE.matcher(scrape);
    while (matcher.find()) {
      result.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
    }
    return result;
  }

  /** Events/s in each half second since {@code first}, from the watermark poller's (time, events done) samples. */
  private static String rates(List<long[]> progress, long first) {
    StringBuilder out = new StringBuilder();
    long window = 500_000_000L;
    long previous = 0;
    long end = first + window;
    for (long[] sample : progress) {
      if (sample[0] <= first) {
        previous = sample[1];
        continue;
      }
      while (sample[0] >= end) {
        out.append(String.format(" %,.0f", (sample[1] - previous) * 2.0)).append(';');
        previous = sample[1];
        end += window;
      }
    }
    long[] last = progress.get(progress.size() - 1);
    out.append(String.format(" %,.0f (last %.2f s)", (last[1] - previous) / ((last[0] - (end - window)) / 1e9),
        (last[0] - (end - window)) / 1e9));
    return out.toString();
  }

  private static double millis(long[] sorted, int n, double quantile) {
    return sorted[Math.min(n - 1, (int) Math.ceil(quantile * n) - 1)] / 1e6;
  }
}
