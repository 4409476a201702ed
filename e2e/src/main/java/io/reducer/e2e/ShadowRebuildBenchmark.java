package io.reducer.e2e;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.WatermarkResetStatus;
import io.reducer.api.v1alpha1.common.PhaseTransition;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import io.reducer.testsupport.BenchmarkDoc;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a reader of a projection sees while it is rebuilt from the earliest offsets, with {@code rebuildStrategy:
 * InPlace} and then with {@code Shadow}, in one run on the local cluster: a 12-partition topic of N events (10
 * versions of N / 10 keys), 12 live materializer pods (and for Shadow 12 shadow ones) and the Jobs as local JVMs.
 * A reader polls {@code SELECT count(*)} of the live table in a loop from before the reset is applied until the
 * projection has caught up again after it, and reports:
 *
 * <ul>
 *   <li><b>downtime</b>: the longest stretch in which its reads found fewer rows than before the reset (an incomplete
 *       table) or failed, from the answer of the first such read to the answer of the next complete one;
 *   <li><b>longest read</b>: the slowest single read, which includes any wait for a lock (the cutover's, or the
 *       in-place TRUNCATE's);
 *   <li><b>cutover lock</b>: Shadow only, {@code status.shadow.lockMillis}, from asking for the locks to the commit
 *       of the swap.
 * </ul>
 *
 * <p>Bar (issue "WatermarkReset rebuildStrategy: Shadow"): Shadow downtime 0 and cutover lock under 100 ms.
 *
 * <p>Usage: {@code ShadowRebuildBenchmark [events] [--materializers N] [--no-doc]} (default 1,000,000 events and 12
 * materializers, one per partition). Only a run of the default size writes its figures to docs/benchmarks.md; a
 * smaller one only prints them. Fewer materializers (each a JVM, twice over while a shadow fills) let a small or busy
 * machine run it at all.
 */
public final class ShadowRebuildBenchmark {

  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final String NAMESPACE = "bench";
  private static final String PIPELINE = "bench";
  private static final String PROJECTION = "bench-view";
  private static final String TABLE = "bench_view";
  private static final int PARTITIONS = 12;
  private static final int DEFAULT_EVENTS = 1_000_000;
  private static final int VERSIONS_PER_KEY = 10;
  private static final long LOCK_BAR_MILLIS = 100;

  private ShadowRebuildBenchmark() {
  }

  /** One reset's figures, in ms. */
  private record Result(String strategy, long completed, long caughtUp, long downtime, long incompleteReads,
      long reads, long longestRead, Long lockMillis, long filling) {
  }

  public static void main(String[] args) throws Exception {
    int events = DEFAULT_EVENTS;
    int materializers = PARTITIONS;
    boolean doc = true;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--no-doc")) {
        doc = false;
      } else if (args[i].equals("--materializers") && i + 1 < args.length) {
        materializers = Integer.parseInt(args[++i]);
      } else if (!args[i].isBlank()) {
        events = Integer.parseInt(args[i].replace("_", "").replace(",", ""));
      }
    }
    if (materializers < 1 || materializers > PARTITIONS) {
      throw new IllegalArgumentException("--materializers: 1 to " + PARTITIONS);
    }
    if (events < VERSIONS_PER_KEY * PARTITIONS) {
      throw new IllegalArgumentException("at least " + VERSIONS_PER_KEY * PARTITIONS + " events");
    }
    int keys = events / VERSIONS_PER_KEY;
    events = keys * VERSIONS_PER_KEY;
    Duration patience = Duration.ofMinutes(5).plusSeconds(events / 1_000);
    StringBuilder report = new StringBuilder();
    try (LocalCluster cluster = LocalCluster.start(NAMESPACE, "--probe-interval", "1s", "--client-timeout", "3s")) {
      prepare(cluster, events, keys, materializers);
      long produced = events;
      System.out.println("produced " + events + " events of " + keys + " keys; waiting for the " + materializers
          + " materializers");
      awaitRunning(cluster, materializers, produced, patience);
      long rows = count(cluster);
      if (rows != keys) {
        throw new IllegalStateException("the table has " + rows + " rows, expected " + keys);
      }
      Result inPlace = run(cluster, "bench-inplace", "InPlace", rows, materializers, produced, patience);
      System.out.println(inPlace);
      Result shadow = run(cluster, "bench-shadow", "Shadow", rows, materializers, produced, patience);
      System.out.println(shadow);

      report.append(String.format("machine: %d cores, Java %s; %d partitions, %d events of %d keys (%d rows); %d live "
          + "materializer pods, %d shadow ones (Shadow) and the Jobs as local JVMs (-Xmx256m, SerialGC); one reader "
          + "polling SELECT count(*) of the live table%n", Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"), PARTITIONS, events, keys, rows, materializers, materializers));
      report.append(String.format("%-8s %11s %11s %10s %11s %17s %13s %13s%n", "strategy", "completed", "caught up",
          "filling", "downtime", "incomplete reads", "longest read", "cutover lock"));
      for (Result r : new Result[] {inPlace, shadow}) {
        report.append(String.format("%-8s %8d ms %8d ms %10s %8d ms %17s %10d ms %13s%n", r.strategy(), r.completed(),
            r.caughtUp(), r.strategy().equals("Shadow") ? r.filling() + " ms" : "-", r.downtime(),
            r.incompleteReads() + " of " + r.reads(), r.longestRead(),
            r.lockMillis() == null ? "-" : r.lockMillis() + " ms"));
      }
      report.append("columns: completed = apply to Completed; caught up = apply until every event is applied again "
          + "(the reader stops there); filling = Shadow's Filling phase; downtime = longest stretch of reads that "
          + "found fewer rows than before the reset or failed; incomplete reads = such reads of all reads; longest "
          + "read = slowest single count(*), lock waits included; cutover lock = status.shadow.lockMillis\n");
      boolean met = shadow.downtime() == 0 && shadow.incompleteReads() == 0 && shadow.lockMillis() != null
          && shadow.lockMillis() < LOCK_BAR_MILLIS;
      report.append(String.format("bar: Shadow downtime 0 (%d ms, %d incomplete reads) and cutover lock < %d ms (%s): "
          + "%s%n", shadow.downtime(), shadow.incompleteReads(), LOCK_BAR_MILLIS,
          shadow.lockMillis() == null ? "not reported" : shadow.lockMillis() + " ms", met ? "met" : "NOT met"));
    }
    System.out.print(report);
    if (doc && events == DEFAULT_EVENTS && materializers == PARTITIONS) {
      BenchmarkDoc.writeResults(Path.of("docs/benchmarks.md"), "shadow-rebuild-benchmark",
          "scripts/benchmark-shadow-rebuild.sh", "Shadow rebuild", report.toString());
      System.out.println("results written to docs/benchmarks.md");
    } else if (doc) {
      System.out.println("not written to docs/benchmarks.md: only a run of the default " + DEFAULT_EVENTS
          + " events and " + PARTITIONS + " materializers is");
    }
    System.exit(0);
  }

  private static void prepare(LocalCluster cluster, int events, int keys, int materializers) {
    cluster.databaseSecret("pg");
    LocalPipeline.create(cluster, PIPELINE, PARTITIONS, "pg");
    cluster.client().resources(Projection.class).inNamespace(NAMESPACE).resource(YAML.unmarshal(String.join("\n",
        "apiVersion: reducer.io/v1alpha1",
        "kind: Projection",
        "metadata: {name: " + PROJECTION + ", namespace: " + NAMESPACE + "}",
        "spec:",
        "  pipelineRef: {name: " + PIPELINE + "}",
        "  table: " + TABLE,
        "  scaling: {minReplicas: " + materializers + ", maxReplicas: " + materializers + "}"), Projection.class))
        .create();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(cluster.kafka().clientProperties(),
        new StringSerializer(), new StringSerializer())) {
      String topic = LocalPipeline.stateCommittedTopic(PIPELINE);
      for (int i = 0; i < events; i++) {
        String key = "wf-" + (i % keys);
        long version = i / keys + 1;
        producer.send(new ProducerRecord<>(topic, key, "{\"workflow_key\":\"" + key + "\",\"version\":" + version
            + ",\"state\":\"S" + version + "\",\"namespace\":\"" + NAMESPACE + "\",\"tag\":\"t\",\"last_action\":"
            + "\"a\",\"correlation_id\":\"c-" + i + "\",\"committed_at\":\"2026-01-01T00:00:00Z\"}"));
      }
    }
  }

  /** Applies a rebuild from earliest with the strategy, with a reader polling the table until it has caught up. */
  private static Result run(LocalCluster cluster, String name, String strategy, long rows, int materializers,
      long produced, Duration patience) throws Exception {
    Reader reader = new Reader(cluster, rows);
    Thread thread = new Thread(reader, "reader-" + strategy);
    thread.start();
    try {
      Thread.sleep(1_000); // a second of complete reads before the reset
      long start = System.nanoTime();
      new BenchmarkProjection(cluster, PROJECTION).applyRebuild(name, strategy);
      WatermarkResetStatus status = awaitCompleted(cluster, name, start, patience);
      long completed = (System.nanoTime() - start) / 1_000_000;
      awaitRunning(cluster, materializers, produced, patience);
      // The reader stops at its first complete read from here on.
      reader.stopWhenComplete();
      thread.join(patience.toMillis());
      long caughtUp = (System.nanoTime() - start) / 1_000_000;
      Long lock = status.getShadow() == null ? null : status.getShadow().getLockMillis();
      return new Result(strategy, completed, caughtUp, reader.longestIncompleteMillis(), reader.incompleteReads,
          reader.reads, reader.longestReadNanos / 1_000_000, lock, filling(status));
    } finally {
      reader.stopNow();
      thread.join(10_000);
    }
  }

  /** Milliseconds from entering Filling to entering CuttingOver; 0 without. */
  private static long filling(WatermarkResetStatus status) {
    Instant from = null;
    Instant to = null;
    for (PhaseTransition t : status.getHistory()) {
      if (t.getPhase().equals(WatermarkResetPhase.Filling.name()) && t.getTime() != null) {
        from = Instant.parse(t.getTime());
      } else if (t.getPhase().equals(WatermarkResetPhase.CuttingOver.name()) && t.getTime() != null) {
        to = Instant.parse(t.getTime());
      }
    }
    return from == null || to == null ? 0 : Duration.between(from, to).toMillis();
  }

  private static WatermarkResetStatus awaitCompleted(LocalCluster cluster, String name, long start,
      Duration patience) throws InterruptedException {
    long deadline = start + patience.toNanos();
    while (System.nanoTime() < deadline) {
      WatermarkReset reset = cluster.client().resources(WatermarkReset.class).inNamespace(NAMESPACE).withName(name)
          .get();
      WatermarkResetStatus status = reset == null ? null : reset.getStatus();
      WatermarkResetPhase phase = status == null ? null : status.getPhase();
      if (phase == WatermarkResetPhase.Failed) {
        throw new IllegalStateException("reset " + name + " failed: " + status.getMessage());
      }
      if (phase == WatermarkResetPhase.Completed) {
        return status;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("reset " + name + " did not complete within " + patience + ":\n"
        + cluster.kubelet().dump());
  }

  /** Polls count(*) of the live table; an answer below the rows before the reset, or a failure, is incomplete. */
  private static final class Reader implements Runnable {

    private final LocalCluster cluster;
    private final long rows;
    private final AtomicBoolean stopWhenComplete = new AtomicBoolean();
    private final AtomicBoolean stopNow = new AtomicBoolean();
    volatile long reads;
    volatile long incompleteReads;
    volatile long longestReadNanos;
    private volatile long longestIncompleteNanos;
    private long incompleteSince = -1;

    Reader(LocalCluster cluster, long rows) {
      this.cluster = cluster;
      this.rows = rows;
    }

    void stopWhenComplete() {
      stopWhenComplete.set(true);
    }

    void stopNow() {
      stopNow.set(true);
    }

    long longestIncompleteMillis() {
      long open = incompleteSince < 0 ? 0 : System.nanoTime() - incompleteSince;
      return Math.max(longestIncompleteNanos, open) / 1_000_000;
    }

    @Override
    public void run() {
      Connection connection = null;
      while (!stopNow.get()) {
        long started = System.nanoTime();
        boolean complete;
        try {
          if (connection == null) {
            connection = new BenchmarkProjection(cluster, PROJECTION).connect();
          }
          try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM "
              + TABLE)) {
            r.next();
            complete = r.getLong(1) >= rows;
          }
        } catch (SQLException e) {
          complete = false;
          close(connection);
          connection = null;
        }
        long answered = System.nanoTime();
        reads++;
        longestReadNanos = Math.max(longestReadNanos, answered - started);
        if (!complete) {
          incompleteReads++;
          if (incompleteSince < 0) {
            incompleteSince = answered;
          }
        } else {
          if (incompleteSince >= 0) {
            longestIncompleteNanos = Math.max(longestIncompleteNanos, answered - incompleteSince);
            incompleteSince = -1;
          }
          if (stopWhenComplete.get()) {
            break;
          }
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      close(connection);
    }

    private static void close(Connection connection) {
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException e) {
          // going away anyway
        }
      }
    }
  }

  /** Waits until the live materializers are ready and have applied every event. */
  private static void awaitRunning(LocalCluster cluster, int materializers, long produced, Duration patience)
      throws Exception {
    new BenchmarkProjection(cluster, PROJECTION).awaitRunning(materializers, produced, patience);
  }

  private static long count(LocalCluster cluster) throws SQLException {
    try (Connection c = new BenchmarkProjection(cluster, PROJECTION).connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM " + TABLE)) {
      r.next();
      return r.getLong(1);
    }
  }
}
