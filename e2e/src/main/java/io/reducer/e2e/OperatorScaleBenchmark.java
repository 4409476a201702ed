package io.reducer.e2e;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.testsupport.BenchmarkDoc;
import io.reducer.testsupport.internal.ChildJvm;
import io.reducer.testsupport.internal.FreePorts;
import io.reducer.testsupport.kafka.KafkaBroker;
import io.reducer.testsupport.kubernetes.MockKubernetes;
import io.reducer.testsupport.postgres.PostgresServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The operator's own cost at scale: Projections over 10 pipelines on the mock API server, a real broker and
 * database, the operator in its own JVM started as its pod starts it ({@link OperatorImage}: the image's classpath,
 * JVM flags and environment, the chart's jvmOptions and memory limit), and no materializer pods (their Deployments
 * are created, nothing runs them), so every figure is the operator's. For each size it starts a fresh operator and
 * reports how long until it has reconciled every Projection once, what it does at rest (status writes, API
 * requests, Kafka admin requests and database work per probe interval, CPU), how long a spec change takes to show
 * in status, and the process's RSS (at the end and at its peak) and heap. Writes its figures to docs/benchmarks.md
 * unless given --no-doc.
 *
 * <p>Usage: {@code OperatorScaleBenchmark [size ...] [--rest SECONDS] [--no-doc] [--request-log]
 * [--operator-jvm "OPTIONS"]} (default sizes 100 1000 3000, rest 60 s). With {@code --request-log}, every write the
 * API server answers from each operator's start is logged with its answer's code and its body to
 * {@code api-writes-SIZE.log} beside the operator's log. {@code --operator-jvm} adds JVM options after the image's
 * (e.g. {@code -XX:NativeMemoryTracking=summary}, for {@code jcmd PID VM.native_memory summary}).
 */
public final class OperatorScaleBenchmark {

  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final String NAMESPACE = "scale";
  private static final int PIPELINES = 10;
  private static final int PARTITIONS = 12;
  private static final int SPEC_CHANGES = 100;
  /** The operator's default probe interval. */
  private static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private OperatorScaleBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = new ArrayList<>();
    Duration rest = Duration.ofSeconds(60);
    boolean doc = true;
    boolean requestLog = false;
    List<String> extraJvm = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--no-doc")) {
        doc = false;
      } else if (args[i].equals("--request-log")) {
        requestLog = true;
      } else if (args[i].equals("--operator-jvm")) {
        extraJvm.addAll(List.of(args[++i].trim().split("\\s+")));
      } else if (args[i].equals("--rest")) {
        rest = Duration.ofSeconds(Long.parseLong(args[++i]));
      } else if (!args[i].isBlank()) {
        sizes.add(Integer.parseInt(args[i]));
      }
    }
    if (sizes.isEmpty()) {
      sizes = new ArrayList<>(List.of(100, 1000, 3000));
    }
    Collections.sort(sizes);
    OperatorImage image = OperatorImage.fromBuild();
    StringBuilder report = new StringBuilder();
    report.append(String.format("machine: %d cores, Java %s; load average at start: %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), loadAverage()));
    report.append(String.format("settings: %d pipelines (%d partitions each), Projections spread evenly over them; "
        + "operator JVM as its pod starts it (%s)%s; probe interval %d s; at rest measured over %d s; %d spec "
        + "changes, 10 a second%n", PIPELINES, PARTITIONS, image.describe(),
        extraJvm.isEmpty() ? "" : ", plus " + String.join(" ", extraJvm), PROBE_INTERVAL.toSeconds(),
        rest.toSeconds(), SPEC_CHANGES));
    report.append(String.format("%-11s %11s %11s %26s %14s %13s %16s %14s %11s %9s %9s %9s %5s%n", "projections",
        "reconciled", "lag shown", "spec change p50/p95/p99", "status wr/min", "API req/min", "Kafka req/p/int",
        "DB runs/p/int", "CPU at rest", "RSS", "peak RSS", "heap", "warns"));
    Path directory = Files.createTempDirectory("operator-scale");
    System.out.println("operator logs in " + directory);
    ApiRequestCounter api = new ApiRequestCounter();
    List<String> routes = new ArrayList<>();
    try (KafkaBroker kafka = KafkaBroker.start(); PostgresServer postgres = PostgresServer.start();
        MockKubernetes kubernetes = MockKubernetes.withCommittedCrds(api)) {
      KubernetesClient client = kubernetes.client();
      createPipelines(client, kafka, postgres);
      Path kubeconfig = Kubeconfig.write(directory.resolve("kubeconfig"), client.getMasterUrl().toString(),
          NAMESPACE, "scale-benchmark");
      int created = 0;
      for (int size : sizes) {
        for (; created < size; created++) {
          createProjection(client, created);
        }
        Figures figures = measure(client, kafka, api, image, extraJvm, kubeconfig, directory, size, rest,
            requestLog);
        routes.add(figures.routes());
        report.append(figures.row()).append('\n');
        System.out.print(figures.row() + "\n");
      }
    }
    routes.forEach(line -> report.append(line).append('\n'));
    report.append(String.format("columns: reconciled = operator start until it has "
        + "finished the reconciliations it queued for every Projection at its start; lag shown = one record produced to every partition of every "
        + "pipeline until every Projection's status.consumerLag shows it; spec change = a spec edit until status.observedGeneration shows "
        + "it; at rest = nothing changes; Kafka req/p/int and DB runs/p/int = the operator's Kafka admin requests "
        + "and database runs per pipeline per probe interval (its own counters); CPU at rest = the operator's user and system CPU time over the at-rest window, in %% of one core; RSS and heap used at the end, peak RSS the most the operator's RSS ever was (its first pass included); warns = WARN and ERROR lines in the operator's "
        + "log%n"));
    report.append("bars at 1,000: RSS <= 256 MiB, spec change p95 < 1 s, 0 status writes at rest, Kafka requests "
        + "per pipeline per interval constant in the number of projections\n");
    report.append(String.format("load average at end: %s%n", loadAverage()));
    System.out.print(report);
    if (doc) {
      BenchmarkDoc.writeResults(Path.of("docs/benchmarks.md"), "operator-scale-benchmark",
          "scripts/benchmark-operator-scale.sh", "Operator at scale", report.toString());
      System.out.println("results written to docs/benchmarks.md");
    }
    System.exit(0);
  }

  private static void createPipelines(KubernetesClient client, KafkaBroker kafka, PostgresServer postgres) {
    client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName("pg")
        .endMetadata().withStringData(Map.of("username", postgres.user(), "password", postgres.password())).build())
        .create();
    LocalPipeline.Endpoints endpoints = new LocalPipeline.Endpoints(kafka.bootstrapServers(), "127.0.0.1",
        postgres.port(), "postgres");
    for (int i = 0; i < PIPELINES; i++) {
      LocalPipeline.topics(pipeline(i), PARTITIONS).forEach(kafka::createTopic);
      client.resources(ReducerPipeline.class).inNamespace(NAMESPACE)
          .resource(LocalPipeline.manifest(NAMESPACE, pipeline(i), PARTITIONS, "pg", endpoints)).create();
    }
  }

  private static void createProjection(KubernetesClient client, int index) {
    client.resources(Projection.class).inNamespace(NAMESPACE).resource(YAML.unmarshal(String.join("\n",
        "apiVersion: reducer.io/v1alpha1",
        "kind: Projection",
        "metadata: {name: " + projection(index) + ", namespace: " + NAMESPACE + "}",
        "spec:",
        "  pipelineRef: {name: " + pipeline(index % PIPELINES) + "}",
        "  table: " + projection(index).replace('-', '_')), Projection.class)).create();
  }

  private static Figures measure(KubernetesClient client, KafkaBroker kafka, ApiRequestCounter api, OperatorImage image,
      List<String> extraJvm, Path kubeconfig, Path directory, int size, Duration rest, boolean requestLog)
      throws Exception {
    int port = FreePorts.pick();
    Path log = directory.resolve("operator-" + size + ".log");
    List<String> jvm = new ArrayList<>(image.jvmOptions());
    jvm.addAll(extraJvm);
    ProcessBuilder builder = new ChildJvm(directory.resolve("operator.args"), jvm, image.classpath()).builder(List.of(),
        "io.reducer.controller.app.OperatorMain", List.of("--namespaces", NAMESPACE, "--namespace", "ops",
            "--leader-election", "false", "--workloads-image", "registry.test/reducer-workloads:1",
            "--http-port", Integer.toString(port)), log);
    builder.environment().putAll(image.environment());
    if (!image.javaToolOptions().isEmpty()) {
      builder.environment().put("JAVA_TOOL_OPTIONS", image.javaToolOptions());
    }
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    if (requestLog) {
      api.logWritesTo(directory.resolve("api-writes-" + size + ".log"));
    }
    long start = System.nanoTime();
    Process operator = builder.start();
    try {
      awaitAllReconciled(port, size, operator, log, Duration.ofMinutes(10));
      double reconciled = seconds(System.nanoTime() - start);

      // At rest: let the first rounds settle, then count what nothing asked for.
      Thread.sleep(2 * PROBE_INTERVAL.toMillis());
      Map<String, Double> before = metrics(port);
      long statusBefore = api.statusWrites();
      long requestsBefore = api.requests();
      Map<String, Long> routesBefore = api.byRoute();
      long restStart = System.nanoTime();
      double cpuBefore = cpuSeconds(operator.pid());
      Thread.sleep(rest.toMillis());
      double restMinutes = (System.nanoTime() - restStart) / 60e9;
      double cpuAtRest = (cpuSeconds(operator.pid()) - cpuBefore) / (restMinutes * 60);
      long statusWrites = api.statusWrites() - statusBefore;
      long requests = api.requests() - requestsBefore;
      String busiest = busiestRoutes(routesBefore, api.byRoute(), restMinutes);
      Map<String, Double> after = metrics(port);
      double intervals = restMinutes * 60 / PROBE_INTERVAL.toSeconds();
      double kafkaPerPipeline = delta(before, after, "reducer_operator_kafka_admin_requests_total")
          / intervals / PIPELINES;
      double databasePerPipeline = delta(before, after, "reducer_operator_database_runs_total")
          / intervals / PIPELINES;

      double lagShown = lagChangeShown(client, kafka, Duration.ofMinutes(5));
      List<Double> latencies = specChanges(client, size);
      Map<String, Double> end = metrics(port);
      return new Figures(size, reconciled, lagShown, percentile(latencies, 50), percentile(latencies, 95),
          percentile(latencies, 99), statusWrites / restMinutes, requests / restMinutes, kafkaPerPipeline,
          databasePerPipeline, cpuAtRest, memoryMiB(operator.pid(), "VmRSS:"), memoryMiB(operator.pid(), "VmHWM:"),
          end.getOrDefault("heap", Double.NaN) / (1 << 20), busiest, logWarnings(log));
    } finally {
      operator.destroy();
      if (!operator.waitFor(30, TimeUnit.SECONDS)) {
        operator.destroyForcibly();
      }
    }
  }

  /**
   * Until the operator has reconciled every Projection once: it queues one reconciliation per Projection at its
   * start ({@code reducer_operator_reconciliations_total} counts them when queued, not when run), so this waits for
   * that count to reach the number of Projections and then for as many reconciliations to have finished (queued
   * minus {@code reducer_operator_reconciliations_pending}). Waiting for the count alone, as this benchmark first
   * did, started the at-rest window while a restarted operator was still working through its first pass.
   */
  private static void awaitAllReconciled(int port, int size, Process operator, Path log, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    double firstPass = Double.NaN;
    while (System.nanoTime() < deadline) {
      if (!operator.isAlive()) {
        throw new IllegalStateException("the operator exited with " + operator.exitValue() + "; its log: " + log);
      }
      try {
        Map<String, Double> metrics = metrics(port);
        double queued = metrics.getOrDefault("projections queued", 0.0);
        if (Double.isNaN(firstPass) && queued >= size) {
          firstPass = queued;
        }
        if (!Double.isNaN(firstPass) && queued - metrics.getOrDefault("projections pending", 0.0) >= firstPass) {
          return;
        }
      } catch (IOException notListeningYet) {
        // the operator's HTTP server starts with it
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("the operator did not reconcile every Projection within " + timeout + "; log: "
        + log);
  }

  /**
   * Produces one record to every partition of every pipeline's state-committed topic (nothing consumes them) and
   * returns the seconds until every Projection's status shows its lag grown by one per partition.
   */
  private static double lagChangeShown(KubernetesClient client, KafkaBroker kafka, Duration timeout)
      throws Exception {
    Map<String, Long> before = new HashMap<>();
    for (Projection projection : client.resources(Projection.class).inNamespace(NAMESPACE).list().getItems()) {
      Long lag = projection.getStatus() == null ? null : projection.getStatus().getConsumerLag();
      if (lag == null) {
        throw new IllegalStateException(projection.getMetadata().getName() + " shows no lag to compare with");
      }
      before.put(projection.getMetadata().getName(), lag);
    }
    long start = System.nanoTime();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.clientProperties(),
        new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < PIPELINES; i++) {
        for (int partition = 0; partition < PARTITIONS; partition++) {
          producer.send(new ProducerRecord<>(LocalPipeline.stateCommittedTopic(pipeline(i)), partition, "k", "{}"));
        }
      }
      producer.flush();
    }
    long deadline = start + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean all = client.resources(Projection.class).inNamespace(NAMESPACE).list().getItems().stream()
          .allMatch(p -> p.getStatus() != null && p.getStatus().getConsumerLag() != null
              && p.getStatus().getConsumerLag() >= before.get(p.getMetadata().getName()) + PARTITIONS);
      if (all) {
        return seconds(System.nanoTime() - start);
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("not every Projection showed the new lag within " + timeout);
  }

  /**
   * Edits {@value #SPEC_CHANGES} Projections spread over all, ten a second, and returns for each the seconds from
   * the edit until a watch shows its new generation observed in status.
   */
  private static List<Double> specChanges(KubernetesClient client, int size) throws Exception {
    Map<String, long[]> pending = new ConcurrentHashMap<>(); // name -> {generation, sent nanos}
    List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    try (Watch watch = client.resources(Projection.class).inNamespace(NAMESPACE).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Projection projection) {
        long[] change = pending.get(projection.getMetadata().getName());
        Long observed = projection.getStatus() == null ? null : projection.getStatus().getObservedGeneration();
        if (change != null && observed != null && observed >= change[0]
            && pending.remove(projection.getMetadata().getName(), change)) {
          latencies.add(seconds(System.nanoTime() - change[1]));
        }
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    })) {
      int changes = Math.min(SPEC_CHANGES, size);
      for (int i = 0; i < changes; i++) {
        String name = projection(i * (size / changes));
        int seconds = 100 + size + i; // differs from every earlier edit, so each bumps the generation
        long generation = client.resources(Projection.class).inNamespace(NAMESPACE).withName(name).get()
            .getMetadata().getGeneration();
        // Registered before the edit: the operator may write the new status before the edit call returns here.
        pending.put(name, new long[] {generation + 1, System.nanoTime()});
        client.resources(Projection.class).inNamespace(NAMESPACE).withName(name).edit(p -> {
          p.getSpec().getHealth().setStalledAfterSeconds(seconds);
          return p;
        });
        Thread.sleep(100);
      }
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (!pending.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      if (!pending.isEmpty()) {
        throw new IllegalStateException(pending.size() + " spec changes never showed in status");
      }
    }
    return latencies;
  }

  private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-z_]+)(\\{[^}]*\\})? (\\S+)$");

  /** The operator's counters this benchmark reads, and its heap in use (sum over heap pools) as "heap". */
  private static Map<String, Double> metrics(int port) throws IOException, InterruptedException {
    String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    Map<String, Double> values = new ConcurrentHashMap<>();
    Matcher matcher = SAMPLE.matcher(text);
    while (matcher.find()) {
      String name = matcher.group(1);
      double value = Double.parseDouble(matcher.group(3));
      if (name.equals("jvm_memory_used_bytes") && matcher.group(2) != null
          && matcher.group(2).contains("area=\"heap\"")) {
        values.merge("heap", value, Double::sum);
      } else if (name.startsWith("reducer_operator_")) {
        values.merge(name, value, Double::sum);
        if (matcher.group(2) != null && matcher.group(2).contains("kind=\"Projection\"")) {
          if (name.equals("reducer_operator_reconciliations_total")) {
            values.merge("projections queued", value, Double::sum);
          } else if (name.equals("reducer_operator_reconciliations_pending")) {
            values.merge("projections pending", value, Double::sum);
          }
        }
      }
    }
    return values;
  }

  /** The three routes with the most requests at rest, per minute. */
  private static String busiestRoutes(Map<String, Long> before, Map<String, Long> after, double minutes) {
    return after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
        .map(e -> String.format("%.0f/min %s", e.getValue() / minutes, e.getKey()))
        .collect(java.util.stream.Collectors.joining("; "));
  }

  /** Lines of the operator's log at WARN or ERROR: normal operation should have none. */
  private static long logWarnings(Path log) throws IOException {
    try (var lines = Files.lines(log)) {
      return lines.filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")).count();
    }
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String name) {
    if (!before.containsKey(name) || !after.containsKey(name)) {
      return Double.NaN;
    }
    return after.get(name) - before.get(name);
  }

  /** User and system CPU time of a process so far (/proc/PID/stat, in clock ticks of 1/100 s). */
  private static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
  }

  /** VmRSS (resident now) or VmHWM (the most it ever was) of a process. */
  private static double memoryMiB(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
      }
    }
    return Double.NaN;
  }

  private static double percentile(List<Double> values, int percentile) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static String loadAverage() throws IOException {
    String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return fields[0] + " " + fields[1] + " " + fields[2];
  }

  private static String pipeline(int index) {
    return "p" + index;
  }

  private static String projection(int index) {
    return String.format("view-%04d", index);
  }

  private record Figures(int size, double reconciledSeconds, double lagShownSeconds, double p50, double p95, double p99,
      double statusWritesPerMinute, double requestsPerMinute, double kafkaPerPipelineInterval,
      double databasePerPipelineInterval, double cpuAtRest, double rssMiB, double peakRssMiB, double heapMiB,
      String busiestRoutes, long logWarnings) {

    String row() {
      return String.format("%-11d %9.1f s %9.1f s %9.0f/%.0f/%.0f ms %14.1f %13.1f %16.1f %14.1f %9.0f %% %5.0f MiB"
          + " %5.0f MiB %5.0f MiB %5d", size, reconciledSeconds, lagShownSeconds, p50 * 1000, p95 * 1000, p99 * 1000,
          statusWritesPerMinute, requestsPerMinute, kafkaPerPipelineInterval, databasePerPipelineInterval,
          cpuAtRest * 100, rssMiB, peakRssMiB, heapMiB, logWarnings);
    }

    String routes() {
      return String.format("  at rest with %d projections, busiest API routes: %s", size, busiestRoutes);
    }
  }
}
