package io.reducer.controller.app;

import static io.reducer.controller.app.OperatorFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.reducer.api.v1alpha1.Projection;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A burst of spec changes: 500 edits from several threads, without pauses, spread over 100 Projections of one
 * pipeline (mock API server, real broker and database; the materializer Deployments are created but run no pods).
 * Every Projection must end with its last spec judged (observedGeneration) and its Deployment showing the last value
 * written, with no reconciliation failing and nothing logged as an error. The projections are not rescheduled during
 * the test, so only the events of the changes can bring them there.
 */
class SpecBurstIT {

  private static final int PROJECTIONS = 100;
  private static final int CHANGES = 500;
  private static final int WRITERS = 8;
  private static final int PARTITIONS = 2;

  private static OperatorFixture fixture;
  private static PrintStream originalErr;
  private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();

  /** What one change wrote: the absolute values of the three fields, and the generation the API server gave it. */
  private record Change(long generation, int maxReplicas, boolean paused, int maxRecords) {

    int expectedReplicas() {
      return paused ? 0 : Math.min(PARTITIONS, maxReplicas);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    // The operator logs through slf4j-simple to System.err: keep a copy to look for errors in.
    originalErr = System.err;
    System.setErr(new PrintStream(new Tee(originalErr, LOG), true, StandardCharsets.UTF_8));
    fixture = new OperatorFixture();
    fixture.startOperatorReady();
  }

  @AfterAll
  static void stop() {
    try {
      if (fixture != null) {
        fixture.close();
      }
    } finally {
      System.setErr(originalErr);
    }
  }

  @Test
  void everyProjectionEndsOnItsLastSpecAfterABurstOfConcurrentEdits() throws Exception {
    LoggerFactory.getLogger(SpecBurstIT.class).warn("burst test: operator log captured from here");
    fixture.kafka.createTopic("burst.state-committed", PARTITIONS);
    fixture.pipeline("burst", fixture.kafka.bootstrapServers(), "pg", "burst");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < PROJECTIONS; i++) {
      String name = "burst-" + i;
      names.add(name);
      // No periodic reconciliation within the test: only the events of the changes themselves can converge it, so a
      // change the operator lost would not be covered up by the next scheduled pass.
      fixture.projection(name, "burst", "  table: burst_" + i + "\n  health: {probeIntervalSeconds: 3600}");
    }
    Map<String, Change> initial = names.stream().collect(Collectors.toMap(Function.identity(),
        n -> new Change(1, PARTITIONS, false, 500)));
    long created = System.nanoTime();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertConverged(initial));
    System.out.printf("SpecBurstIT: %d projections created and converged in %d ms%n", PROJECTIONS,
        (System.nanoTime() - created) / 1_000_000);

    // The burst: each change writes absolute values, and a distinct maxRecords so every one is a new generation.
    Map<String, List<Change>> written = new ConcurrentHashMap<>();
    Random random = new Random(19);
    List<Runnable> edits = new ArrayList<>();
    for (int i = 0; i < CHANGES; i++) {
      String name = names.get(random.nextInt(PROJECTIONS));
      int maxReplicas = 1 + random.nextInt(PARTITIONS);
      boolean paused = random.nextInt(4) == 0;
      int maxRecords = 1000 + i;
      edits.add(() -> {
        Projection after = fixture.edit(Projection.class, name, p -> {
          p.getSpec().getScaling().setMaxReplicas(maxReplicas);
          p.getSpec().setPaused(paused);
          p.getSpec().getMaterializer().getBatch().setMaxRecords(maxRecords);
        });
        assertThat(after.getSpec().getMaterializer().getBatch().getMaxRecords()).isEqualTo(maxRecords);
        written.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>())
            .add(new Change(after.getMetadata().getGeneration(), maxReplicas, paused, maxRecords));
      });
    }
    ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
    long burst = System.nanoTime();
    try {
      List<Future<?>> done = edits.stream().<Future<?>>map(writers::submit).toList();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      writers.shutdown();
    }
    long burstMs = (System.nanoTime() - burst) / 1_000_000;

    // The API server kept every change: generations 2..n+1 for a projection edited n times, each once.
    Map<String, Change> last = new ConcurrentHashMap<>(initial);
    assertThat(written.values().stream().mapToInt(List::size).sum()).isEqualTo(CHANGES);
    written.forEach((name, changes) -> {
      assertThat(changes).extracting(Change::generation).doesNotHaveDuplicates()
          .allSatisfy(g -> assertThat(g).isBetween(2L, (long) changes.size() + 1));
      last.put(name, changes.stream().max(Comparator.comparingLong(Change::generation)).orElseThrow());
    });

    await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertConverged(last));
    long convergedMs = (System.nanoTime() - burst) / 1_000_000;
    System.out.printf("SpecBurstIT: %d changes over %d projections written in %d ms by %d threads; converged %d ms "
        + "after the burst began (%d ms after its last write)%n", CHANGES, written.size(), burstMs, WRITERS,
        convergedMs, convergedMs - burstMs);

    // Nothing from an earlier change comes back: three more probe rounds, still the last values.
    Thread.sleep(3_000);
    assertConverged(last);

    assertThat(fixture.fatalFailure()).isEmpty();
    assertThat(fixture.operatorReady()).isTrue();
    assertThat(fixture.registry.scrape().lines()
        .filter(l -> l.startsWith("reducer_operator_reconciliation_failures_total")).toList()).isEmpty();
    String log = LOG.toString(StandardCharsets.UTF_8);
    assertThat(log).as("the capture works").contains("burst test: operator log captured from here");
    assertThat(log.lines().filter(l -> l.contains(" ERROR ")).toList()).isEmpty();
  }

  /** Every projection judged at its generation, its status and Deployment on {@code expected}. */
  private static void assertConverged(Map<String, Change> expected) {
    Map<String, Projection> projections = fixture.client.resources(Projection.class).inNamespace(NAMESPACE).list()
        .getItems().stream().collect(Collectors.toMap(p -> p.getMetadata().getName(), Function.identity()));
    Map<String, Deployment> deployments = fixture.client.apps().deployments().inNamespace(NAMESPACE).list()
        .getItems().stream().collect(Collectors.toMap(d -> d.getMetadata().getName(), Function.identity()));
    List<String> behind = new ArrayList<>();
    expected.forEach((name, change) -> {
      Projection p = projections.get(name);
      Deployment d = deployments.get(name + "-materializer");
      String wanted = "generation " + change.generation() + ", observed " + change.generation() + ", replicas "
          + change.expectedReplicas() + "/" + change.expectedReplicas() + ", maxRecords " + change.maxRecords();
      String actual = "generation " + p.getMetadata().getGeneration() + ", observed "
          + (p.getStatus() == null ? null : p.getStatus().getObservedGeneration()) + ", replicas "
          + (p.getStatus() == null ? null : p.getStatus().getReplicas()) + "/"
          + (d == null ? null : d.getSpec().getReplicas()) + ", maxRecords " + (d == null ? null : maxRecords(d));
      if (!wanted.equals(actual)) {
        behind.add(name + ": wanted " + wanted + ", has " + actual);
      }
    });
    assertThat(behind).isEmpty();
  }

  private static String maxRecords(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals("MATERIALIZER_MAX_RECORDS")).map(EnvVar::getValue).findFirst().orElse(null);
  }

  /** Writes to two streams. */
  private static final class Tee extends OutputStream {

    private final PrintStream first;
    private final ByteArrayOutputStream second;

    Tee(PrintStream first, ByteArrayOutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public synchronized void write(int b) {
      first.write(b);
      synchronized (second) {
        second.write(b);
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      first.write(b, off, len);
      synchronized (second) {
        second.write(b, off, len);
      }
    }

    @Override
    public void flush() {
      first.flush();
    }
  }
}
