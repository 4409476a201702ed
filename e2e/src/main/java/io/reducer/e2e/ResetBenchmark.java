package io.reducer.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import io.reducer.testsupport.BenchmarkDoc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Times a WatermarkReset from apply to Completed on a 12-partition projection whose 12 materializers run on the
 * local cluster: rebuild from the earliest offsets, approval Automatic. Each phase's first sighting is recorded
 * (status polled every 20 ms), so the time spent waiting for the materializer pods to stop (Quiescing) is
 * reported apart from the rest. Writes its figures to docs/benchmarks.md unless given --no-doc.
 *
 * <p>Usage: {@code ResetBenchmark [runs] [--no-doc]} (default 3 runs).
 */
public final class ResetBenchmark {

  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final String NAMESPACE = "bench";
  private static final String PROJECTION = "bench-view";
  private static final int PARTITIONS = 12;
  private static final int EVENTS = 24_000;
  private static final int KEYS = 2_000;

  private ResetBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int runs = 3;
    boolean doc = true;
    for (String arg : args) {
      if (arg.equals("--no-doc")) {
        doc = false;
      } else if (!arg.isBlank()) {
        runs = Integer.parseInt(arg);
      }
    }
    StringBuilder report = new StringBuilder();
    try (LocalCluster cluster = LocalCluster.start(NAMESPACE, "--probe-interval", "1s", "--client-timeout", "3s")) {
      prepare(cluster);
      report.append(String.format("machine: %d cores, Java %s; %d partitions, %d events of %d keys; 12 materializer "
          + "pods and the reset Job as local JVMs (-Xmx256m, SerialGC)%n", Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"), PARTITIONS, EVENTS, KEYS));
      report.append(String.format("%-4s %9s %11s %9s %11s %10s %9s %12s%n", "run", "total", "quiescing", "planned",
          "resetting", "resuming", "beyond", "pods ready"));
      List<Long> totals = new ArrayList<>();
      List<Long> beyond = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        awaitRunning(cluster);
        Map<WatermarkResetPhase, Long> seen = timeReset(cluster, "bench-" + run);
        long total = seen.get(WatermarkResetPhase.Completed);
        long quiescing = seen.get(WatermarkResetPhase.Planned) - seen.getOrDefault(WatermarkResetPhase.Quiescing, 0L);
        long afterQuiesce = total - quiescing;
        long readyAgain = awaitRunning(cluster);
        totals.add(total);
        beyond.add(afterQuiesce);
        report.append(String.format("%-4d %7d ms %8d ms %6d ms %8d ms %7d ms %6d ms %9d ms%n", run, total, quiescing,
            seen.getOrDefault(WatermarkResetPhase.Resetting, 0L) - seen.get(WatermarkResetPhase.Planned),
            seen.get(WatermarkResetPhase.Resuming) - seen.getOrDefault(WatermarkResetPhase.Resetting, 0L),
            total - seen.get(WatermarkResetPhase.Resuming), afterQuiesce, readyAgain));
      }
      report.append("columns: total = apply to Completed; quiescing = waiting for the 12 pods to stop and the group to "
          + "empty; planned = plan to Job created; resetting = the Job (JVM start, one transaction, group offsets); "
          + "resuming = hold released to Completed; beyond = total minus quiescing; pods ready = Completed until the "
          + "materializers are ready again and caught up (not part of the reset)\n");
      long medianBeyond = median(beyond);
      report.append(String.format("median apply -> Completed %d ms, beyond pod shutdown %d ms; bar < 5,000 ms beyond "
          + "pod shutdown: %s%n", median(totals), medianBeyond, medianBeyond < 5_000 ? "met" : "NOT met"));
    }
    System.out.print(report);
    if (doc) {
      BenchmarkDoc.writeResults(Path.of("docs/benchmarks.md"), "watermark-reset-benchmark",
          "scripts/benchmark-watermark-reset.sh", "Watermark reset", report.toString());
      System.out.println("results written to docs/benchmarks.md");
    }
    System.exit(0);
  }

  private static void prepare(LocalCluster cluster) throws Exception {
    cluster.databaseSecret("pg");
    LocalPipeline.create(cluster, "bench", PARTITIONS, "pg");
    KubernetesClient client = cluster.client();
    client.resources(Projection.class).inNamespace(NAMESPACE).resource(YAML.unmarshal(String.join("\n",
        "apiVersion: reducer.io/v1alpha1",
        "kind: Projection",
        "metadata: {name: " + PROJECTION + ", namespace: " + NAMESPACE + "}",
        "spec:",
        "  pipelineRef: {name: bench}",
        "  table: bench_view"), Projection.class)).create();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(cluster.kafka().clientProperties(),
        new StringSerializer(), new StringSerializer())) {
      String topic = LocalPipeline.stateCommittedTopic("bench");
      for (int i = 0; i < EVENTS; i++) {
        String key = "wf-" + (i % KEYS);
        long version = i / KEYS + 1;
        producer.send(new ProducerRecord<>(topic, key, "{\"workflow_key\":\"" + key
            + "\",\"version\":" + version + ",\"state\":\"S" + version + "\",\"namespace\":\"bench\",\"tag\":\"t\","
            + "\"last_action\":\"a\",\"correlation_id\":\"c-" + i + "\",\"committed_at\":\"2026-01-01T00:00:00Z\"}"));
      }
    }
  }

  /** Applies a rebuild-from-earliest reset and records when each phase is first seen, in ms after apply. */
  private static Map<WatermarkResetPhase, Long> timeReset(LocalCluster cluster, String name) throws Exception {
    Map<WatermarkResetPhase, Long> seen = new EnumMap<>(WatermarkResetPhase.class);
    long start = System.nanoTime();
    new BenchmarkProjection(cluster, PROJECTION).applyRebuild(name, "InPlace");
    long deadline = start + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      WatermarkReset reset = cluster.client().resources(WatermarkReset.class).inNamespace(NAMESPACE).withName(name)
          .get();
      WatermarkResetPhase phase = reset.getStatus() == null ? null : reset.getStatus().getPhase();
      if (phase != null) {
        seen.putIfAbsent(phase, (System.nanoTime() - start) / 1_000_000);
      }
      if (phase == WatermarkResetPhase.Failed) {
        throw new IllegalStateException("reset " + name + " failed: " + reset.getStatus().getMessage());
      }
      if (phase == WatermarkResetPhase.Completed) {
        // A phase passed between two polls counts from the next one seen.
        seen.putIfAbsent(WatermarkResetPhase.Resuming, seen.get(WatermarkResetPhase.Completed));
        seen.putIfAbsent(WatermarkResetPhase.Planned, seen.getOrDefault(WatermarkResetPhase.Resetting,
            seen.get(WatermarkResetPhase.Resuming)));
        return seen;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("reset " + name + " did not complete in 3 minutes");
  }

  /** Waits until all 12 materializers are ready and have applied every event; returns how long that took. */
  private static long awaitRunning(LocalCluster cluster) throws Exception {
    return new BenchmarkProjection(cluster, PROJECTION).awaitRunning(PARTITIONS, EVENTS, Duration.ofMinutes(4));
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
