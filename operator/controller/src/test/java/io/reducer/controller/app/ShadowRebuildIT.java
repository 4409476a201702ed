package io.reducer.controller.app;

import static io.reducer.controller.app.OperatorFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.WatermarkResetStatus;
import io.reducer.api.v1alpha1.common.PhaseTransition;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import io.reducer.controller.reset.ResetHold;
import io.reducer.testsupport.cluster.ImageCatalog;
import io.reducer.testsupport.cluster.ImageEntry;
import io.reducer.testsupport.cluster.LocalKubelet;
import io.reducer.testsupport.cluster.LocalKubeletOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * WatermarkReset with rebuildStrategy Shadow on the local cluster (real broker and PostgreSQL, materializers and Jobs
 * as processes of the workloads code): the live table keeps serving while the shadow fills, and is swapped whole.
 */
class ShadowRebuildIT {

  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final String TOPIC = "sh.state-committed";
  private static final int PARTITIONS = 3;
  private static final int KEYS = 30;
  private static final String PROJECTION = "sh-view";
  private static final String TABLE = "sh_view";

  private static OperatorFixture fixture;
  private static LocalKubelet kubelet;
  /** Records produced so far; record i is version i / KEYS + 1 of key i % KEYS. */
  private static final AtomicLong produced = new AtomicLong();

  @BeforeAll
  static void start() throws Exception {
    fixture = new OperatorFixture();
    fixture.databaseSecret("pg");
    Path work = Files.createTempDirectory("shadow-it");
    kubelet = LocalKubelet.start(fixture.client, ImageCatalog.of(
        ImageEntry.of("reducer-workloads", "io.reducer.workloads.Main").withPortEnv("http", "MATERIALIZER_HTTP_PORT",
            "REDUCER_HTTP_PORT")), work, LocalKubeletOptions.defaults());
    fixture.startOperator();
    await().atMost(Duration.ofSeconds(30)).until(fixture::operatorReady);
    fixture.kafka.createTopic(TOPIC, PARTITIONS);
    fixture.kafka.createTopic("sh.actions", PARTITIONS);
    fixture.kafka.createTopic("sh.dlq", 1);
    fixture.pipeline("sh", fixture.kafka.bootstrapServers(), "pg", "sh");
    fixture.projection(PROJECTION, "sh", "  table: " + TABLE + "\n  scaling: {minReplicas: 1, maxReplicas: 1}");
    try (KafkaProducer<String, String> producer = producer()) {
      produce(producer, 600);
    }
    awaitCaughtUp();
  }

  @AfterEach
  void diagnose(TestInfo test) {
    System.out.println("---- " + test.getDisplayName() + "\n" + kubelet.dump());
  }

  @AfterAll
  static void stop() {
    if (kubelet != null) {
      kubelet.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void aShadowRebuildUnderTrafficNeverShowsReadersFewerRowsOrOlderVersionsAndEndsEqualToTheTopic() throws Exception {
    awaitCaughtUp();
    long epochBefore = epoch();
    long rowsBefore = rowCount();
    Reader reader = new Reader();
    AtomicBoolean producing = new AtomicBoolean(true);
    Thread traffic = new Thread(() -> {
      try (KafkaProducer<String, String> producer = producer()) {
        while (producing.get()) {
          produce(producer, 3);
          Thread.sleep(20);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    traffic.start();
    reader.start();
    try {
      reset("shadow-1", "approval: Automatic");
      await().atMost(Duration.ofSeconds(40)).untilAsserted(() ->
          assertThat(phase("shadow-1")).isIn(WatermarkResetPhase.Filling, WatermarkResetPhase.CuttingOver,
              WatermarkResetPhase.Resuming, WatermarkResetPhase.Completed));
      awaitPhase("shadow-1", WatermarkResetPhase.Completed, Duration.ofSeconds(90));
      Thread.sleep(1000);
    } finally {
      producing.set(false);
      traffic.join();
      reader.stop();
    }

    WatermarkResetStatus status = status("shadow-1");
    assertThat(status.getHistory()).extracting(PhaseTransition::getPhase)
        .containsExactly("Pending", "Filling", "CuttingOver", "Resuming", "Completed");
    assertThat(status.getShadow().getNewEpoch()).isEqualTo(epochBefore + 1);
    assertThat(reader.failures).isEmpty();
    assertThat(reader.fewestRows).isGreaterThanOrEqualTo(rowsBefore);
    assertThat(reader.reads.get()).isGreaterThan(10);

    awaitCaughtUp();
    assertThat(epoch()).isEqualTo(epochBefore + 1);
    assertThat(table()).isEqualTo(model());
    assertShadowGone(status.getShadow().getTable(), status.getShadow().getProjection(),
        status.getShadow().getConsumerGroup(), status.getShadow().getDeployment());
    assertThat(liveReplicas()).isEqualTo(1);
  }

  @Test
  void deletingAShadowRebuildBeforeItsCutoverDiscardsTheShadowAndLeavesTheLiveProjectionAsItWas() throws Exception {
    awaitCaughtUp();
    long epochBefore = epoch();
    reset("shadow-2", "approval: Automatic\n  cutoverApproval: Manual");
    awaitPhase("shadow-2", WatermarkResetPhase.AwaitingCutoverApproval, Duration.ofSeconds(60));
    WatermarkResetStatus status = status("shadow-2");
    // The live projection was never held: its materializer kept running.
    assertThat(liveReplicas()).isEqualTo(1);
    assertThat(query("SELECT COUNT(*) FROM " + status.getShadow().getTable())).isEqualTo(KEYS);

    // An operator restart while the cutover waits for approval changes nothing about it.
    fixture.stopOperator();
    fixture.startOperator();
    await().atMost(Duration.ofSeconds(30)).until(fixture::operatorReady);
    Thread.sleep(2000);
    assertThat(phase("shadow-2")).isEqualTo(WatermarkResetPhase.AwaitingCutoverApproval);
    assertThat(fixture.client.apps().deployments().inNamespace(NAMESPACE).withName(status.getShadow().getDeployment())
        .get().getSpec().getReplicas()).isEqualTo(1);
    assertThat(liveReplicas()).isEqualTo(1);

    fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE).withName("shadow-2").delete();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE).withName("shadow-2").get())
            .isNull());

    assertShadowGone(status.getShadow().getTable(), status.getShadow().getProjection(),
        status.getShadow().getConsumerGroup(), status.getShadow().getDeployment());
    assertThat(fixture.getProjection(PROJECTION).getMetadata().getAnnotations())
        .doesNotContainKey(ResetHold.ANNOTATION);
    try (KafkaProducer<String, String> producer = producer()) {
      produce(producer, 30);
    }
    awaitCaughtUp();
    assertThat(epoch()).isEqualTo(epochBefore);
    assertThat(table()).isEqualTo(model());
  }

  /** Polls the live table: its row count must never drop, and no key's version may go back. */
  private static final class Reader implements Runnable {

    final List<String> failures = new ArrayList<>();
    final AtomicLong reads = new AtomicLong();
    volatile long fewestRows = Long.MAX_VALUE;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, Long> versions = new HashMap<>();
    private Thread thread;

    void start() {
      thread = new Thread(this);
      thread.start();
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join();
    }

    @Override
    public void run() {
      try (Connection c = new ProjectionSql(fixture).connect()) {
        while (running.get()) {
          long rows = 0;
          try (Statement s = c.createStatement();
              ResultSet r = s.executeQuery("SELECT workflow_key, version FROM " + TABLE)) {
            while (r.next()) {
              rows++;
              long version = r.getLong(2);
              Long before = versions.put(r.getString(1), version);
              if (before != null && version < before && failures.size() < 10) {
                failures.add(r.getString(1) + " went from version " + before + " to " + version);
              }
            }
          } catch (java.sql.SQLException e) {
            if (failures.size() < 10) {
              failures.add("read failed: " + e.getMessage());
            }
          }
          fewestRows = Math.min(fewestRows, rows);
          reads.incrementAndGet();
          Thread.sleep(30);
        }
      } catch (Exception e) {
        failures.add("reader stopped: " + e);
      }
    }
  }

  private static void assertShadowGone(String table, String identity, String group, String deployment)
      throws Exception {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(query("SELECT COUNT(*) FROM pg_class WHERE relname = '" + table + "'")).isZero();
      assertThat(query("SELECT COUNT(*) FROM projection_watermarks WHERE projection = '" + identity + "'")).isZero();
      assertThat(fixture.client.apps().deployments().inNamespace(NAMESPACE).withName(deployment).get()).isNull();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", fixture.kafka.bootstrapServers()))) {
        assertThat(admin.listConsumerGroups().all().get()).noneMatch(g -> g.groupId().equals(group));
      }
    });
  }

  private static void reset(String name, String extraSpec) {
    String yaml = String.join("\n",
        "apiVersion: reducer.io/v1alpha1",
        "kind: WatermarkReset",
        "metadata:",
        "  name: " + name,
        "  namespace: " + NAMESPACE,
        "spec:",
        "  projectionRef: {name: " + PROJECTION + "}",
        "  target: {type: earliest}",
        "  rebuild: true",
        "  rebuildStrategy: Shadow",
        "  " + extraSpec);
    fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE)
        .resource(YAML.unmarshal(yaml, WatermarkReset.class)).create();
  }

  private static WatermarkResetStatus status(String name) {
    WatermarkReset reset = fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE).withName(name).get();
    return reset == null || reset.getStatus() == null ? new WatermarkResetStatus() : reset.getStatus();
  }

  private static WatermarkResetPhase phase(String name) {
    return status(name).getPhase();
  }

  private static void awaitPhase(String name, WatermarkResetPhase phase, Duration atMost) {
    await().atMost(atMost).untilAsserted(() ->
        assertThat(phase(name)).as("phase of %s (%s)", name, status(name).getMessage()).isEqualTo(phase));
  }

  private static Integer liveReplicas() {
    var deployment = fixture.client.apps().deployments().inNamespace(NAMESPACE).withName(PROJECTION + "-materializer")
        .get();
    return deployment == null ? null : deployment.getSpec().getReplicas();
  }

  private static KafkaProducer<String, String> producer() {
    return new KafkaProducer<>(Map.of("bootstrap.servers", fixture.kafka.bootstrapServers(), "acks", "all"),
        new StringSerializer(), new StringSerializer());
  }

  private static void produce(KafkaProducer<String, String> producer, int events) {
    for (int n = 0; n < events; n++) {
      long i = produced.getAndIncrement();
      String key = "wf-" + (i % KEYS);
      long version = i / KEYS + 1;
      String json = "{\"workflow_key\":\"" + key + "\",\"version\":" + version + ",\"state\":\"S" + version
          + "\",\"namespace\":\"default\",\"tag\":\"t\",\"last_action\":\"a\",\"correlation_id\":\"" + key + "-"
          + version + "\",\"committed_at\":\"2026-01-01T00:00:00Z\"}";
      producer.send(new ProducerRecord<>(TOPIC, key, json));
    }
    producer.flush();
  }

  /** The materializers have applied every record produced: the live watermarks sum to the count. */
  private static void awaitCaughtUp() {
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
        assertThat(query("SELECT COALESCE(SUM(next_offset), 0) FROM projection_watermarks WHERE projection = '"
            + PROJECTION + "'")).isEqualTo(produced.get()));
  }

  /** The newest version of every key produced (keys are spread over partitions; versions only grow per key). */
  private static Map<String, String> model() {
    Map<String, String> model = new HashMap<>();
    for (long i = 0; i < produced.get(); i++) {
      long version = i / KEYS + 1;
      model.put("wf-" + (i % KEYS), version + ":S" + version);
    }
    return model;
  }

  private static long epoch() throws Exception {
    return query("SELECT COALESCE(MAX(epoch), 0) FROM projection_watermarks WHERE projection = '" + PROJECTION + "'");
  }

  private static long rowCount() throws Exception {
    return query("SELECT COUNT(*) FROM " + TABLE);
  }

  private static long query(String sql) throws Exception {
    return new ProjectionSql(fixture).query(sql);
  }

  private static Map<String, String> table() throws Exception {
    return new ProjectionSql(fixture).table(TABLE);
  }

}
