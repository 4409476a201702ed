package io.reducer.controller.app;

import static io.reducer.controller.app.OperatorFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.WatermarkResetStatus;
import io.reducer.api.v1alpha1.common.PhaseTransition;
import io.reducer.api.v1alpha1.reset.RebuildStrategy;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import io.reducer.controller.reset.ResetHold;
import io.reducer.controller.reset.ShadowRebuilds;
import io.reducer.testsupport.cluster.ImageCatalog;
import io.reducer.testsupport.cluster.ImageEntry;
import io.reducer.testsupport.cluster.LocalKubelet;
import io.reducer.testsupport.cluster.LocalKubeletOptions;
import io.reducer.testsupport.cluster.PodMain;
import io.reducer.testsupport.internal.ChildJvm;
import io.reducer.testsupport.internal.Hold;
import io.reducer.testsupport.internal.TempDirs;
import io.reducer.testsupport.kubernetes.Annotations;
import io.reducer.testsupport.kubernetes.DyingClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
    try (Traffic traffic = new Traffic()) {
      reader.start();
      reset("shadow-1", "approval: Automatic");
      await().atMost(Duration.ofSeconds(40)).untilAsserted(() ->
          assertThat(phase("shadow-1")).isIn(WatermarkResetPhase.Filling, WatermarkResetPhase.CuttingOver,
              WatermarkResetPhase.Resuming, WatermarkResetPhase.Completed));
      awaitPhase("shadow-1", WatermarkResetPhase.Completed, Duration.ofSeconds(90));
      Thread.sleep(1000);
    } finally {
      reader.stop();
    }

    assertThat(reader.reads.get()).isGreaterThan(10);
    assertRebuiltOnceEqualToTheTopic(status("shadow-1"), epochBefore, rowsBefore, reader);
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

  /**
   * One rebuild under traffic with cutoverApproval Manual through every fault the issue names, each phase held open by
   * a fixture rather than by timing:
   *
   * <ol>
   *   <li>Filling, the create Job's pod held back: the operator stops; the Job runs while no operator watches.
   *   <li>Filling, the shadow materializer's batch waiting on a lock the test holds on the shadow table: the operator
   *       stops and the materializer is killed with SIGKILL; it restarts in place and commits nothing meanwhile.
   *   <li>AwaitingCutoverApproval: the operator restarts; the shadow and the live projection keep running.
   *   <li>CuttingOver before the cutover Job exists: the shadow kept behind the live positions by the lock
   *       (ShadowBehind), the operator restarts.
   *   <li>CuttingOver, stopping the shadow materializers: the operator dies at its write that scales them to zero
   *       (applied, its answer lost); restarted, it does not start them again and cuts over once their group is empty.
   *   <li>CuttingOver, the cutover Job's pod held back while the operator is stopped: its first pod commits the swap
   *       and is killed with SIGKILL at its exit, its answer lost; the retried pod finds nothing left to swap and
   *       changes nothing.
   *   <li>Resuming: the operator dies at its first write after it recorded Resuming.
   * </ol>
   *
   * The rebuild completes once: each phase once, the create Job ran one pod and the cutover Job two (the killed one
   * and its retry), one ResetStarted and one ResetCompleted Event, epoch + 1 (also in the EPOCH column), the table
   * equals the topic.
   */
  @Test
  void aShadowRebuildResumesAfterOperatorRestartsInEveryPhaseAndLosesNothingToKilledPods() throws Exception {
    String name = "shadow-3";
    String cutoverJob = name + "-shadow-cutover";
    awaitCaughtUp();
    long epochBefore = epoch();
    long rowsBefore = rowCount();
    Reader reader = new Reader();
    try (Traffic traffic = new Traffic(); Hold create = kubelet.holdJobPods(NAMESPACE, name + "-shadow-create");
        Hold cutover = kubelet.holdJobPods(NAMESPACE, cutoverJob);
        Hold cutoverExits = kubelet.holdJobPodExits(NAMESPACE, cutoverJob)) {
      reader.start();
      reset(name, "approval: Automatic\n  cutoverApproval: Manual");

      // 1. Filling, the create Job created and its pod held back.
      await().atMost(Duration.ofSeconds(30)).until(() -> job(name + "-shadow-create") != null
          && phase(name) == WatermarkResetPhase.Filling);
      fixture.stopOperator();
      assertThat(phase(name)).isEqualTo(WatermarkResetPhase.Filling);
      create.close();
      awaitSucceeded(name + "-shadow-create");
      WatermarkResetStatus filling = status(name);
      String table = filling.getShadow().getTable();
      assertThat(query("SELECT COUNT(*) FROM pg_class WHERE relname = '" + table + "'")).isOne();

      // 2. Filling, the shadow materializer's first batch waiting on the shadow table: stop, kill -9, start.
      try (ShadowTableLock lock = new ShadowTableLock(table)) {
        startOperator();
        await().atMost(Duration.ofSeconds(60)).until(() -> lock.insertsWaiting() == 1);
        fixture.stopOperator();
        assertThat(phase(name)).isEqualTo(WatermarkResetPhase.Filling);
        assertThat(query("SELECT COUNT(*) FROM " + table)).as("nothing of the shadow committed").isZero();
        String shadowPod = shadowPod(name).getMetadata().getName();
        kubelet.kill(NAMESPACE, shadowPod);
        // Restarted in place, it prepares its tables again, reads its watermarks and sends its first batch, which
        // waits at the shadow table like the killed one's. That backend still waits too: PostgreSQL notices the closed
        // connection only once it has the lock, then rolls back. It holds ROW EXCLUSIVE on projection_watermarks
        // meanwhile, so a start that asked for a conflicting lock there would wait behind it and hold up the live
        // materializer's next batch: the live projection keeps being materialized.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          assertThat(restartCount(shadowPod(name))).isEqualTo(1);
          assertThat(lock.insertsWaiting()).as("sessions of the database:\n%s", lock.sessions()).isEqualTo(2);
        });
        long live = liveOffsets();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(liveOffsets())
            .as("the live watermarks; sessions of the database:\n%s", lock.sessions()).isGreaterThan(live));
        assertThat(query("SELECT COUNT(*) FROM " + table)).as("nothing of the shadow committed").isZero();
        startOperator();
      }

      // 3. AwaitingCutoverApproval: a restarted operator looks again (the live offsets it shows move with the
      // traffic) and changes nothing.
      awaitPhase(name, WatermarkResetPhase.AwaitingCutoverApproval, Duration.ofSeconds(90));
      fixture.stopOperator();
      long liveOffsets = status(name).getShadow().getLiveOffsets();
      startOperator();
      await().atMost(Duration.ofSeconds(30)).until(() -> status(name).getShadow().getLiveOffsets() != liveOffsets);
      assertThat(phase(name)).isEqualTo(WatermarkResetPhase.AwaitingCutoverApproval);
      assertThat(fixture.client.apps().deployments().inNamespace(NAMESPACE).withName(filling.getShadow()
          .getDeployment()).get().getSpec().getReplicas()).isEqualTo(1);
      assertThat(liveReplicas()).isEqualTo(1);

      // 4. CuttingOver before the cutover Job exists: the shadow's next batch waits on the lock while the live
      // materializer passes it; approved, the cutover holds the live materializers and waits for the shadow.
      try (ShadowTableLock lock = new ShadowTableLock(table)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> lock.insertsWaiting() >= 1
            && partitionsAhead(filling.getShadow().getProjection()) > 0);
        Annotations.annotate(fixture.client, WatermarkReset.class, NAMESPACE, name,
            RebuildStrategy.CUTOVER_ANNOTATION, "true");
        awaitReason(name, "ShadowBehind");
        assertThat(liveReplicas()).as("the live materializers are held for the cutover").isZero();
        fixture.stopOperator();
        startOperator();
        awaitReason(name, "ShadowBehind");
        assertThat(job(cutoverJob)).isNull();
        fixture.stopOperator();
      }

      // 5. CuttingOver, stopping the shadow materializers: released while no operator watches, the shadow reaches the
      // live positions; the operator dies at its write that scales the shadow Deployment to zero (applied, its answer
      // lost). Restarted, it finds them stopping, never starts them again and cuts over once their group is empty.
      String shadowDeployment = filling.getShadow().getDeployment();
      try (DyingClient dying = DyingClient.dyingAt(fixture.client, w -> scalesToZero(w, shadowDeployment), 0,
          DyingClient.Fault.RESPONSE_LOST)) {
        fixture.startOperator(dying.client());
        await().atMost(Duration.ofSeconds(90)).until(dying::dead);
        fixture.stopOperator();
        System.out.println("---- the operator died stopping the shadow at " + dying.fatalWrite());
      }
      assertThat(phase(name)).isEqualTo(WatermarkResetPhase.CuttingOver);
      assertThat(partitionsAhead(filling.getShadow().getProjection())).as("the shadow reached the live positions")
          .isZero();
      Deployment stopped = fixture.client.apps().deployments().inNamespace(NAMESPACE).withName(shadowDeployment).get();
      assertThat(stopped.getSpec().getReplicas()).isZero();
      assertThat(job(cutoverJob)).isNull();
      startOperator();

      // 6. CuttingOver, the cutover Job created and its pod held back: it runs while no operator watches, commits,
      // and is killed at its exit with its answer lost. The retry finds the swap done and changes nothing.
      await().atMost(Duration.ofSeconds(60)).until(() -> job(cutoverJob) != null);
      fixture.stopOperator();
      assertThat(phase(name)).isEqualTo(WatermarkResetPhase.CuttingOver);
      assertThat(fixture.client.apps().deployments().inNamespace(NAMESPACE).withName(shadowDeployment).get())
          .as("the shadow materializers were not started again").satisfies(d -> {
            assertThat(d.getSpec().getReplicas()).isZero();
            assertThat(d.getMetadata().getGeneration()).isEqualTo(stopped.getMetadata().getGeneration());
          });
      assertThat(fixture.client.pods().inNamespace(NAMESPACE).withLabel(ShadowRebuilds.RESET_LABEL, name).list()
          .getItems()).as("shadow materializer pods").isEmpty();
      assertThat(liveReplicas()).as("the live materializers are held for the cutover").isZero();
      cutover.close();
      String first = await().atMost(Duration.ofSeconds(60)).until(() -> jobPods(cutoverJob).stream()
          .map(p -> p.getMetadata().getName()).filter(p -> kubelet.logs(NAMESPACE, p).contains(PodMain.EXIT_HELD))
          .findFirst(), Optional::isPresent).orElseThrow();
      assertThat(query("SELECT COUNT(*) FROM pg_class WHERE relname = '" + table + "'")).as("swapped").isZero();
      assertThat(epoch()).isEqualTo(epochBefore + 1);
      long liveTable = query("SELECT '" + TABLE + "'::regclass::oid");
      String watermarks = watermarks();
      Files.writeString(kubelet.terminationLog(NAMESPACE, first), "");
      kubelet.kill(NAMESPACE, first);
      cutoverExits.close();
      awaitSucceeded(cutoverJob);
      assertThat(jobPods(cutoverJob)).extracting(p -> p.getStatus().getPhase())
          .containsExactlyInAnyOrder("Failed", "Succeeded");
      assertThat(jobPods(cutoverJob)).filteredOn(p -> "Succeeded".equals(p.getStatus().getPhase())).singleElement()
          .satisfies(p -> assertThat(kubelet.logs(NAMESPACE, p.getMetadata().getName()))
              .contains("nothing to cut over"));
      assertThat(query("SELECT '" + TABLE + "'::regclass::oid")).as("the retry left the table alone")
          .isEqualTo(liveTable);
      assertThat(watermarks()).as("the retry bumped no epoch").isEqualTo(watermarks);

      // 7. Resuming: the operator dies at its first write after it recorded Resuming (the shadow is finished then).
      try (DyingClient dying = DyingClient.dyingAt(fixture.client, DyingClient.Write.entersPhase("watermarkresets",
          name, List.of(WatermarkResetPhase.Resuming.name())), 1, DyingClient.Fault.NOT_SENT)) {
        fixture.startOperator(dying.client());
        await().atMost(Duration.ofSeconds(60)).until(dying::dead);
        fixture.stopOperator();
        System.out.println("---- the operator died in Resuming at " + dying.fatalWrite());
      }
      assertThat(phase(name)).isEqualTo(WatermarkResetPhase.Resuming);
      startOperator();
      awaitPhase(name, WatermarkResetPhase.Completed, Duration.ofSeconds(60));
    } finally {
      reader.stop();
    }

    assertThat(jobPods(name + "-shadow-create")).extracting(p -> p.getStatus().getPhase())
        .containsExactly("Succeeded");
    for (String reason : List.of("ResetStarted", "ResetCompleted")) {
      assertThat(fixture.client.v1().events().inNamespace(NAMESPACE).list().getItems())
          .filteredOn(e -> e.getInvolvedObject().getName().equals(name) && e.getReason().equals(reason))
          .as(reason).singleElement().extracting(e -> e.getCount()).isEqualTo(1);
    }
    WatermarkResetStatus status = status(name);
    assertThat(status.getShadow().getLockMillis()).as("the swap's answer was lost").isNull();
    assertThat(status.getHistory()).filteredOn(t -> t.getPhase().equals("Resuming")).singleElement()
        .satisfies(t -> assertThat(t.getMessage()).contains("earlier attempt of Job " + cutoverJob));
    assertThat(fixture.getProjection(PROJECTION).getStatus().getCompletedResets())
        .filteredOn(r -> r.getName().equals(name)).hasSize(1);
    assertRebuiltOnceEqualToTheTopic(status, epochBefore, rowsBefore, reader, "Pending", "Filling",
        "AwaitingCutoverApproval", "CuttingOver", "Resuming", "Completed");
  }

  /**
   * The rebuild went through each phase once and left nothing of its shadow; the reader never saw fewer rows or an
   * older version; caught up, the live table is the topic's model at epoch + 1 and the live materializer runs.
   */
  private static void assertRebuiltOnceEqualToTheTopic(WatermarkResetStatus status, long epochBefore, long rowsBefore,
      Reader reader, String... phases) throws Exception {
    assertThat(status.getHistory()).extracting(PhaseTransition::getPhase).containsExactly(phases.length == 0
        ? new String[] {"Pending", "Filling", "CuttingOver", "Resuming", "Completed"} : phases);
    assertThat(status.getShadow().getNewEpoch()).isEqualTo(epochBefore + 1);
    assertThat(status.getPlan().getNewEpoch()).as("the EPOCH column of kubectl get wmr").isEqualTo(epochBefore + 1);
    assertThat(reader.failures).isEmpty();
    assertThat(reader.fewestRows).isGreaterThanOrEqualTo(rowsBefore);

    awaitCaughtUp();
    assertThat(epoch()).isEqualTo(epochBefore + 1);
    assertThat(table()).isEqualTo(model());
    assertShadowGone(status.getShadow().getTable(), status.getShadow().getProjection(),
        status.getShadow().getConsumerGroup(), status.getShadow().getDeployment());
    assertThat(liveReplicas()).isEqualTo(1);
  }

  /**
   * A live materializer outside the live group (started by hand) is frozen with SIGSTOP before a Shadow rebuild and
   * thawed after its cutover, with the projection paused so that nothing else writes: it still holds the old epoch,
   * its batch is refused (exit code 3, FENCED), and the new live table and its watermarks stay as they were.
   */
  @Test
  void aLiveMaterializerFrozenBeforeTheCutoverWritesNothingAfterItAndExitsFenced() throws Exception {
    String name = "shadow-4";
    awaitCaughtUp();
    long epochBefore = epoch();
    try (HandStartedMaterializer zombie = HandStartedMaterializer.likeLive(Map.of(
        "MATERIALIZER_GROUP", "escaped-from-the-rebuild", "MATERIALIZER_HTTP_PORT", "0",
        // longer than the freeze: thawed, it is still a member with its partitions and its epoch in memory
        "MATERIALIZER_SESSION_TIMEOUT_MS", "180000"))) {
      await("the zombie has its partitions").atMost(Duration.ofSeconds(60))
          .until(() -> zombie.log().split("resuming at offset", -1).length - 1 == PARTITIONS);
      zombie.signal("STOP");
      try {
        reset(name, "approval: Automatic");
        awaitPhase(name, WatermarkResetPhase.Completed, Duration.ofSeconds(90));
        assertThat(status(name).getShadow().getNewEpoch()).isEqualTo(epochBefore + 1);
        awaitCaughtUp();
        paused(true);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(livePods()).isEmpty());
        Map<String, String> table = table();
        String watermarks = watermarks();
        try (KafkaProducer<String, String> producer = producer()) {
          produce(producer, 60);
        }

        zombie.signal("CONT");
        assertThat(zombie.awaitExit(Duration.ofSeconds(60))).as("exit code of the zombie:\n%s", zombie.log())
            .isEqualTo(3);
        assertThat(zombie.log()).contains("FENCED", "this process holds epoch " + epochBefore + " (a reset happened)");
        assertThat(table()).as("the new live table").isEqualTo(table);
        assertThat(watermarks()).isEqualTo(watermarks);
      } finally {
        zombie.signal("CONT");
        paused(false);
      }
    }
    awaitCaughtUp();
    assertThat(epoch()).isEqualTo(epochBefore + 1);
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
      if (thread != null) {
        thread.join();
      }
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

  /** Keeps producing 3 records every 20 ms until closed. */
  private static final class Traffic implements AutoCloseable {

    private final AtomicBoolean producing = new AtomicBoolean(true);
    private final Thread thread = new Thread(() -> {
      try (KafkaProducer<String, String> producer = producer()) {
        while (producing.get()) {
          produce(producer, 3);
          Thread.sleep(20);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });

    Traffic() {
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      producing.set(false);
      thread.join();
    }
  }

  /**
   * A SHARE lock on the shadow table, held by the test's open transaction until closed: readers pass, a
   * materializer's INSERT waits with its batch in flight (uncommitted). Releasing it writes nothing.
   */
  private static final class ShadowTableLock implements AutoCloseable {

    private final String table;
    private final Connection connection;

    ShadowTableLock(String table) throws Exception {
      this.table = table;
      connection = new ProjectionSql(fixture).connect();
      connection.setAutoCommit(false);
      try (Statement s = connection.createStatement()) {
        s.execute("LOCK TABLE " + table + " IN SHARE MODE");
      }
    }

    /** Sessions waiting for a lock with an INSERT into the shadow table. */
    long insertsWaiting() throws Exception {
      try (Connection c = new ProjectionSql(fixture).connect(); PreparedStatement s = c.prepareStatement(
          "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO %' "
              + "AND position(? IN query) > 0")) {
        s.setString(1, table);
        try (ResultSet r = s.executeQuery()) {
          r.next();
          return r.getLong(1);
        }
      }
    }

    /** Every client session of the database: what it waits for and its statement's start, for a failure message. */
    String sessions() throws Exception {
      try (Connection c = new ProjectionSql(fixture).connect(); Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT pid, backend_start, wait_event_type, wait_event, state, "
              + "application_name || ' ' || client_port || ' ' || left(query, 100) FROM pg_stat_activity "
              + "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' "
              + "ORDER BY backend_start")) {
        StringBuilder rows = new StringBuilder();
        while (r.next()) {
          rows.append(r.getInt(1)).append(' ').append(r.getString(2)).append(' ').append(r.getString(3)).append('/')
              .append(r.getString(4)).append(' ').append(r.getString(5)).append(": ").append(r.getString(6))
              .append('\n');
        }
        return rows.toString();
      }
    }

    @Override
    public void close() throws Exception {
      try {
        connection.rollback();
      } finally {
        connection.close();
      }
    }
  }

  /**
   * A materializer started by hand (not a pod) with the live Deployment's environment, {@code overrides} replacing
   * variables: the live table, identity and epoch, in a group of its own.
   */
  private static final class HandStartedMaterializer implements AutoCloseable {

    private final Process process;
    private final Path directory;

    private HandStartedMaterializer(Process process, Path directory) {
      this.process = process;
      this.directory = directory;
    }

    static HandStartedMaterializer likeLive(Map<String, String> overrides) throws Exception {
      Deployment live = fixture.client.apps().deployments().inNamespace(NAMESPACE)
          .withName(PROJECTION + "-materializer").get();
      Map<String, String> env = new HashMap<>();
      for (EnvVar variable : live.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
        if (variable.getValueFrom() == null) {
          env.put(variable.getName(), variable.getValue());
        } else if (variable.getValueFrom().getSecretKeyRef() != null) {
          // The Secret pg holds the fixture's login under username and password.
          env.put(variable.getName(), "username".equals(variable.getValueFrom().getSecretKeyRef().getKey())
              ? fixture.postgres.user() : fixture.postgres.password());
        } // a fieldRef (the pod's name as group instance id): a process started by hand is no pod
      }
      env.putAll(overrides);
      Path directory = TempDirs.create("hand-started-materializer");
      ProcessBuilder builder = new ChildJvm(directory.resolve("jvm.args"), ImageEntry.DEFAULT_JVM_OPTIONS)
          .builder(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=info"), "io.reducer.workloads.Main",
              List.of("materialize"), directory.resolve("materializer.log"));
      builder.environment().clear();
      builder.environment().put("PATH", System.getenv("PATH"));
      builder.environment().putAll(env);
      return new HandStartedMaterializer(builder.start(), directory);
    }

    /** kill -SIGNAL to the process (STOP freezes it, CONT thaws it). */
    void signal(String signal) throws Exception {
      if (process.isAlive()) {
        new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start().waitFor();
      }
    }

    int awaitExit(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the hand-started materializer still runs after " + timeout + ":\n" + log());
      }
      return process.exitValue();
    }

    String log() {
      try {
        Path log = directory.resolve("materializer.log");
        return Files.exists(log) ? Files.readString(log) : "";
      } catch (java.io.IOException e) {
        return "(unreadable log: " + e + ")";
      }
    }

    @Override
    public void close() {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      TempDirs.deleteQuietly(directory);
    }
  }

  private static void startOperator() throws Exception {
    fixture.startOperator();
    await().atMost(Duration.ofSeconds(30)).until(fixture::operatorReady);
  }

  private static List<Pod> jobPods(String job) {
    return fixture.client.pods().inNamespace(NAMESPACE).withLabel("job-name", job).list().getItems();
  }

  /** Partitions on which the live projection is past the shadow (or the shadow has no row yet). */
  private static long partitionsAhead(String shadowIdentity) throws Exception {
    return query("SELECT COUNT(*) FROM projection_watermarks l LEFT JOIN projection_watermarks s ON "
        + "s.namespace = l.namespace AND s.partition = l.partition AND s.projection = '" + shadowIdentity + "' "
        + "WHERE l.projection = '" + PROJECTION + "' AND (s.next_offset IS NULL OR s.next_offset < l.next_offset)");
  }

  /** Waits until the reset's Reconciling condition gives this reason. */
  private static void awaitReason(String name, String reason) {
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(status(name).getConditions())
        .as("conditions of %s (%s)", name, status(name).getMessage())
        .anySatisfy(c -> {
          assertThat(c.getType()).isEqualTo("Reconciling");
          assertThat(c.getReason()).isEqualTo(reason);
        }));
  }

  /** A write that sets the replicas of this Deployment to zero (a JSON patch of /spec/replicas, or a whole object). */
  private static boolean scalesToZero(DyingClient.Write write, String deployment) {
    if (!write.path().endsWith("/deployments/" + deployment) || write.body() == null) {
      return false;
    }
    try {
      JsonNode body = new ObjectMapper().readTree(write.body());
      if (body == null) {
        return false;
      }
      if (body.isObject()) {
        return body.at("/spec/replicas").isInt() && body.at("/spec/replicas").asInt() == 0;
      }
      for (JsonNode op : body) {
        if (op.path("path").asText().equals("/spec/replicas") && op.path("value").asInt(-1) == 0) {
          return true;
        }
      }
      return false;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static Job job(String name) {
    return fixture.client.batch().v1().jobs().inNamespace(NAMESPACE).withName(name).get();
  }

  /** Kubernetes (the local kubelet) runs the Job to its end, with or without an operator. */
  private static void awaitSucceeded(String name) {
    await("Job " + name + " succeeds").atMost(Duration.ofSeconds(60)).until(() -> {
      Job job = job(name);
      return job != null && job.getStatus() != null && Integer.valueOf(1).equals(job.getStatus().getSucceeded());
    });
  }

  private static Pod shadowPod(String reset) {
    List<Pod> pods = fixture.client.pods().inNamespace(NAMESPACE).withLabel(ShadowRebuilds.RESET_LABEL, reset).list()
        .getItems();
    assertThat(pods).as("shadow materializer pods of %s", reset).hasSize(1);
    return pods.get(0);
  }

  private static int restartCount(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
        || pod.getStatus().getContainerStatuses().isEmpty()
        || pod.getStatus().getContainerStatuses().get(0).getRestartCount() == null ? 0
        : pod.getStatus().getContainerStatuses().get(0).getRestartCount();
  }

  private static List<Pod> livePods() {
    Deployment live = fixture.client.apps().deployments().inNamespace(NAMESPACE).withName(PROJECTION + "-materializer")
        .get();
    return fixture.client.pods().inNamespace(NAMESPACE).withLabels(live.getSpec().getSelector().getMatchLabels())
        .list().getItems();
  }

  private static void paused(boolean paused) {
    fixture.edit(Projection.class, PROJECTION, p -> p.getSpec().setPaused(paused));
  }

  /** The live watermark rows: partition, next offset and epoch of each. */
  private static String watermarks() throws Exception {
    try (Connection c = new ProjectionSql(fixture).connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT partition, next_offset, epoch FROM projection_watermarks WHERE "
            + "projection = '" + PROJECTION + "' ORDER BY partition")) {
      StringBuilder rows = new StringBuilder();
      while (r.next()) {
        rows.append(r.getInt(1)).append(':').append(r.getLong(2)).append(" epoch ").append(r.getLong(3)).append('\n');
      }
      return rows.toString();
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

  private static long liveOffsets() throws Exception {
    return query("SELECT COALESCE(SUM(next_offset), 0) FROM projection_watermarks WHERE projection = '" + PROJECTION
        + "'");
  }

  /** The materializers have applied every record produced: the live watermarks sum to the count. */
  private static void awaitCaughtUp() {
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
        assertThat(liveOffsets()).isEqualTo(produced.get()));
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
