package io.reducer.controller.app;

import static io.reducer.controller.app.OperatorFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.DlqReplayStatus;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.WatermarkResetStatus;
import io.reducer.api.v1alpha1.common.Approval;
import io.reducer.api.v1alpha1.common.PhaseTransition;
import io.reducer.controller.dlq.Cancellation;
import io.reducer.controller.reset.ResetHold;
import io.reducer.testsupport.cluster.LocalKubeletOptions;
import io.reducer.testsupport.kubernetes.Annotations;
import io.reducer.testsupport.kubernetes.DyingClient.Fault;
import io.reducer.testsupport.kubernetes.DyingClient.Write;
import io.reducer.testsupport.kubernetes.DyingClient;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * An operator that dies between two API calls, in every phase of a WatermarkReset and a DlqReplay. Each run walks
 * one resource through its phases; at each kill point the operator's client dies at the write that enters the
 * phase (or the write after it), that write either lost on the way or applied with its answer lost, and a new
 * operator with a healthy client takes over. Whatever the kill points, the resource ends in its terminal phase once,
 * with one Job (and one pod) per step, no Event of a transition twice, the projection released and running, the
 * epoch bumped once and every replayed record landing once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorCrashIT {

  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(90);
  private static final String PROJECTION = "crash-view";
  private static final String TOPIC = "crash.state-committed";
  private static final int EVENTS = 30;
  private static final int DLQ_RECORDS = 12;
  private static final List<String> RESET_PHASES = List.of("Pending", "Quiescing", "Planned", "AwaitingApproval",
      "Resetting", "Resuming", "Completed");
  private static final List<String> REPLAY_PHASES = List.of("Pending", "Previewing", "AwaitingApproval", "Replaying",
      "Succeeded");

  private static OperatorFixture fixture;
  private static DyingClient dying;

  /** Where the operator dies: the {@code after}-th write following the first one that enters {@code phase}. */
  private record KillPoint(String phase, int after, Fault fault) {

    @Override
    public String toString() {
      return phase + (after == 0 ? "" : "+" + after) + "/" + fault;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    fixture = new OperatorFixture();
    fixture.databaseSecret("pg");
    Duration quick = Duration.ofMillis(200);
    fixture.startLocalCluster(LocalKubeletOptions.defaults().withResyncPeriod(quick).withGcPeriod(quick)
        .withJobBackoff(quick));
    fixture.startOperator();
    await().atMost(Duration.ofSeconds(30)).until(fixture::operatorReady);
    fixture.kafka.createTopic(TOPIC, 1);
    fixture.kafka.createTopic("crash.actions", 1);
    fixture.kafka.createTopic("crash.dlq", 1);
    fixture.pipeline("crash", fixture.kafka.bootstrapServers(), "pg", "crash");
    fixture.projection(PROJECTION, "crash", "  table: crash_view");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        "bootstrap.servers", fixture.kafka.bootstrapServers(), "acks", "all"),
        new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < EVENTS; i++) {
        producer.send(new ProducerRecord<>(TOPIC, "wf-" + i, "{\"workflow_key\":\"wf-" + i + "\",\"version\":1,"
            + "\"state\":\"S\",\"namespace\":\"default\",\"tag\":\"t\",\"last_action\":\"a\",\"correlation_id\":\"c"
            + i + "\",\"committed_at\":\"2026-01-01T00:00:00Z\"}"));
      }
    }
    // The materializer starts while the replays run; the resets wait for it.
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
    if (dying != null) {
      dying.close();
    }
  }

  @Test
  @Order(3)
  void aResetSurvivesTheOperatorDyingAtEveryPhaseAndAtTheWriteAfterIt() throws Exception {
    for (int after = 0; after <= 1; after++) {
      String name = "reset-" + after;
      awaitProjectionRunning();
      long epochBefore = epoch();
      List<KillPoint> points = killPoints(RESET_PHASES, after);
      List<String> deaths = crashThrough("watermarkresets", name, points, RESET_PHASES, () -> reset(name, ""),
          () -> phase(name), phase -> {
            if ("AwaitingApproval".equals(phase)) {
              Annotations.annotate(fixture.client, WatermarkReset.class, NAMESPACE, name, Approval.ANNOTATION, "true");
            }
          });

      WatermarkResetStatus done = resetStatus(name);
      assertThat(phases(done.getHistory())).as("%s after deaths %s", name, deaths).isEqualTo(RESET_PHASES);
      assertThat(epoch()).as("epoch after %s", deaths).isEqualTo(epochBefore + 1);
      assertOneJobWithOnePod(name + "-reset", deaths);
      assertNoEventTwice(name, deaths);
      awaitProjectionRunning();
    }
  }

  @Test
  @Order(4)
  void aResetThatFailsStaysFailedOnceAndReleasesTheProjection() throws Exception {
    awaitProjectionRunning();
    long epochBefore = epoch();
    List<String> phases = List.of("Pending", "Quiescing", "Planned", "AwaitingApproval", "Failed");
    List<String> deaths = crashThrough("watermarkresets", "unapproved", List.of(
        new KillPoint("Failed", 0, Fault.RESPONSE_LOST), new KillPoint("Failed", 1, Fault.NOT_SENT)), phases, () -> reset("unapproved", "\n  approvalTimeout: PT2S"),
        () -> phase("unapproved"), phase -> { });

    assertThat(phases(resetStatus("unapproved").getHistory())).as("after deaths %s", deaths).isEqualTo(phases);
    assertThat(epoch()).isEqualTo(epochBefore);
    assertThat(fixture.client.batch().v1().jobs().inNamespace(NAMESPACE).withName("unapproved-reset").get()).isNull();
    assertNoEventTwice("unapproved", deaths);
    awaitProjectionRunning();
  }

  /**
   * One replay, so its two Jobs run once: the first status write enters Pending and Previewing together, and a kill
   * at the write after a phase follows a kill at that phase's write that never reached the server, which the next
   * operator writes again.
   */
  @Test
  @Order(1)
  void aReplaySurvivesTheOperatorDyingAtEveryPhaseAndAtTheWriteAfterIt() throws Exception {
    produceDlq(DLQ_RECORDS);
    String name = "replay";
    List<KillPoint> points = List.of(new KillPoint("Pending", 0, Fault.NOT_SENT),
        new KillPoint("Previewing", 1, Fault.RESPONSE_LOST), new KillPoint("AwaitingApproval", 0, Fault.NOT_SENT),
        new KillPoint("AwaitingApproval", 1, Fault.RESPONSE_LOST), new KillPoint("Replaying", 0, Fault.RESPONSE_LOST),
        new KillPoint("Succeeded", 0, Fault.NOT_SENT), new KillPoint("Succeeded", 1, Fault.RESPONSE_LOST));
    List<String> deaths = crashThrough("dlqreplays", name, points, REPLAY_PHASES,
        () -> replay(name, "  pipelineRef: {name: crash}"), () -> replayPhase(name), phase -> {
          if ("AwaitingApproval".equals(phase)) {
            Annotations.annotate(fixture.client, DlqReplay.class, NAMESPACE, name, Approval.ANNOTATION, "true");
          }
        });

    DlqReplayStatus done = replayStatus(name);
    assertThat(phases(done.getHistory())).as("after deaths %s", deaths).isEqualTo(REPLAY_PHASES);
    assertThat(done.getProgress().getReplayed()).isEqualTo(DLQ_RECORDS);
    assertThat(replayed(name)).as("records landed after %s", deaths).isEqualTo(DLQ_RECORDS);
    assertOneJobWithOnePod(name + "-inspect", deaths);
    assertOneJobWithOnePod(name + "-replay", deaths);
    assertNoEventTwice(name, deaths);
  }

  @Test
  @Order(2)
  void aReplayThatIsCancelledOrRefusedEndsSoOnce() throws Exception {
    produceDlq(DLQ_RECORDS);
    List<String> cancelledPhases = List.of("Pending", "Previewing", "AwaitingApproval", "Cancelled");
    List<String> deaths = crashThrough("dlqreplays", "cancelled", List.of(
        new KillPoint("Cancelled", 0, Fault.NOT_SENT), new KillPoint("Cancelled", 1, Fault.RESPONSE_LOST)),
        cancelledPhases,
        () -> replay("cancelled", "  pipelineRef: {name: crash}"), () -> replayPhase("cancelled"), phase -> {
          if ("AwaitingApproval".equals(phase)) {
            Annotations.annotate(fixture.client, DlqReplay.class, NAMESPACE, "cancelled", Cancellation.ANNOTATION,
                "true");
          }
        });
    assertThat(phases(replayStatus("cancelled").getHistory())).as("after %s", deaths).isEqualTo(cancelledPhases);
    assertThat(fixture.client.batch().v1().jobs().inNamespace(NAMESPACE).withName("cancelled-replay").get()).isNull();
    assertNoEventTwice("cancelled", deaths);

    List<String> refusedPhases = List.of("Pending", "Failed");
    deaths = crashThrough("dlqreplays", "refused", List.of(new KillPoint("Failed", 0, Fault.RESPONSE_LOST),
        new KillPoint("Failed", 1, Fault.NOT_SENT)), refusedPhases,
        () -> replay("refused", "  pipelineRef: {name: crash, namespace: payments}"), () -> replayPhase("refused"),
        phase -> { });
    assertThat(phases(replayStatus("refused").getHistory())).as("after %s", deaths).isEqualTo(refusedPhases);
    assertNoEventTwice("refused", deaths);
  }

  /** A kill point per phase, at the write that enters it plus {@code after}, alternating the kind of fault. */
  private static List<KillPoint> killPoints(List<String> phases, int after) {
    List<KillPoint> points = new ArrayList<>();
    for (int i = 0; i < phases.size(); i++) {
      points.add(new KillPoint(phases.get(i), after, (i + after) % 2 == 0 ? Fault.NOT_SENT : Fault.RESPONSE_LOST));
    }
    return points;
  }

  /**
   * Creates the resource under an operator armed to die at the first kill point, and at each death starts a new one
   * armed for the next; a healthy operator then takes it to its end. A kill point's trigger is the first write that
   * sets its phase or a later one, so a phase that an earlier death already wrote still costs a death.
   *
   * @param nudge what a user does on seeing a phase (approve, cancel), called as the phase is polled
   * @return the writes each operator died at
   */
  private static List<String> crashThrough(String plural, String name, List<KillPoint> points, List<String> phases,
      Runnable create, Supplier<String> phase, java.util.function.Consumer<String> nudge) throws Exception {
    List<String> deaths = new ArrayList<>();
    boolean created = false;
    for (KillPoint point : points) {
      List<String> fromHere = phases.subList(phases.indexOf(point.phase()), phases.size());
      long restarting = System.nanoTime();
      startOperator(DyingClient.dyingAt(fixture.client, Write.entersPhase(plural, name, fromHere), point.after(),
          point.fault()));
      if (!created) {
        create.run();
        created = true;
      }
      long started = System.nanoTime();
      awaitPhase(point + " after " + deaths, phase, nudge, now -> dying.dead() || isLast(now, phases));
      String took = " (restart " + Duration.ofNanos(started - restarting).toMillis() + " ms, then "
          + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms)";
      if (!dying.dead()) {
        // Only the write after the terminal one may never come: then there is nothing left to kill.
        assertThat(point.after() > 0 && isLast(point.phase(), phases)).as("%s never came after %s", point, deaths)
            .isTrue();
        deaths.add(point + ": no write" + took);
        break;
      }
      deaths.add(point + ": " + dying.fatalWrite() + took);
    }
    startOperator(null);
    awaitPhase("the end after " + deaths, phase, nudge, now -> isLast(now, phases));
    System.out.println(plural + "/" + name + " died at " + String.join("; ", deaths));
    return deaths;
  }

  /** Polls the phase, nudging, until {@code done}; says where it stood and what the operator wrote if it never is. */
  private static void awaitPhase(String waitingFor, Supplier<String> phase, java.util.function.Consumer<String> nudge,
      java.util.function.Predicate<String> done) {
    try {
      await().atMost(PHASE_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
        String now = phase.get();
        nudge.accept(now);
        return done.test(now);
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("waiting for " + waitingFor + ": phase " + phase.get() + ", writes "
          + (dying == null ? "(healthy operator)" : dying.writes()), e);
    }
  }

  private static boolean isLast(String phase, List<String> phases) {
    return phases.get(phases.size() - 1).equals(phase);
  }

  /** Stops the running operator (a dead one reaches nothing) and starts one with {@code next}, or a healthy one. */
  private static void startOperator(DyingClient next) throws Exception {
    fixture.stopOperator();
    if (dying != null) {
      dying.close();
    }
    dying = next;
    fixture.startOperator(next == null ? fixture.client : next.client());
    await().atMost(Duration.ofSeconds(30)).until(fixture::operatorReady);
  }

  private static void assertOneJobWithOnePod(String job, List<String> deaths) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(fixture.client.pods().inNamespace(NAMESPACE)
        .withLabel("job-name", job).list().getItems()).as("pods of Job %s after %s", job, deaths).hasSize(1));
    assertThat(fixture.client.batch().v1().jobs().inNamespace(NAMESPACE).withName(job).get().getStatus()
        .getSucceeded()).as("Job %s", job).isEqualTo(1);
  }

  /** Every Event on the resource is about something that happened once: no reason and message recorded twice. */
  private static void assertNoEventTwice(String involved, List<String> deaths) {
    List<Event> events = fixture.client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> involved.equals(e.getInvolvedObject().getName())).toList();
    Map<String, Integer> recorded = events.stream().collect(Collectors.toMap(
        e -> e.getReason() + ": " + e.getMessage(), e -> e.getCount() == null ? 1 : e.getCount(), Integer::sum));
    assertThat(recorded).as("Events on %s after %s", involved, deaths).allSatisfy((event, count) ->
        assertThat(count).as(event).isEqualTo(1));
  }

  /** The projection held by no reset, its materializer back and every record applied. */
  private static void awaitProjectionRunning() {
    await().atMost(PHASE_TIMEOUT).ignoreExceptions().untilAsserted(() -> {
      assertThat(fixture.getProjection(PROJECTION).getMetadata().getAnnotations()).doesNotContainKey(
          ResetHold.ANNOTATION);
      assertThat(fixture.getProjection(PROJECTION).getStatus().getActiveReset()).isNull();
      assertThat(fixture.client.apps().deployments().inNamespace(NAMESPACE).withName(PROJECTION + "-materializer")
          .get().getSpec().getReplicas()).isEqualTo(1);
      assertThat(query("SELECT COALESCE(SUM(next_offset), 0) FROM projection_watermarks WHERE projection = '"
          + PROJECTION + "'")).isEqualTo(EVENTS);
    });
  }

  private static void reset(String name, String extraSpec) {
    create(WatermarkReset.class, name, "  projectionRef: {name: " + PROJECTION + "}\n  target: {type: earliest}\n"
        + "  approval: Manual" + extraSpec);
  }

  private static void replay(String name, String spec) {
    create(DlqReplay.class, name, spec);
  }

  private static <T extends CustomResource<?, ?>> void create(Class<T> type, String name, String spec) {
    String yaml = String.join("\n", "apiVersion: reducer.io/v1alpha1", "kind: " + type.getSimpleName(), "metadata:",
        "  name: " + name, "  namespace: " + NAMESPACE, "spec:", spec);
    fixture.client.resources(type).inNamespace(NAMESPACE).resource(YAML.unmarshal(yaml, type)).create();
  }

  private static WatermarkResetStatus resetStatus(String name) {
    WatermarkReset reset = fixture.client.resources(WatermarkReset.class).inNamespace(NAMESPACE).withName(name).get();
    return reset == null || reset.getStatus() == null ? new WatermarkResetStatus() : reset.getStatus();
  }

  private static String phase(String name) {
    return nameOf(resetStatus(name).getPhase());
  }

  private static DlqReplayStatus replayStatus(String name) {
    DlqReplay replay = fixture.client.resources(DlqReplay.class).inNamespace(NAMESPACE).withName(name).get();
    return replay == null || replay.getStatus() == null ? new DlqReplayStatus() : replay.getStatus();
  }

  private static String replayPhase(String name) {
    return nameOf(replayStatus(name).getPhase());
  }

  private static String nameOf(Enum<?> phase) {
    return phase == null ? null : phase.name();
  }

  private static List<String> phases(List<PhaseTransition> history) {
    return history.stream().map(PhaseTransition::getPhase).toList();
  }

  private static long epoch() throws Exception {
    return query("SELECT COALESCE(MAX(epoch), 0) FROM projection_watermarks WHERE projection = '" + PROJECTION + "'");
  }

  private static long query(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(fixture.postgres.jdbcUrl(), fixture.postgres.user(),
        fixture.postgres.password()); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static void produceDlq(int count) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(fixture.kafka.clientProperties(),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < count; i++) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("crash.dlq", 0, bytes("wf-" + i),
            bytes("{\"workflow_key\":\"wf-" + i + "\"}"));
        record.headers().add("x-error-type", bytes("TIMEOUT"));
        record.headers().add("x-original-topic", bytes("crash.actions"));
        record.headers().add("x-original-partition", bytes("0"));
        record.headers().add("x-original-offset", bytes(String.valueOf(i)));
        producer.send(record);
      }
      producer.flush();
    }
  }

  /** How many committed records on the actions topic the replay named {@code name} published. */
  private static long replayed(String name) {
    fixture.kafka.awaitNoOpenTransaction("crash.actions");
    Map<String, Object> properties = fixture.kafka.clientProperties();
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition("crash.actions", 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      long count = 0;
      long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (consumer.position(partition) < end && System.nanoTime() < until) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          var header = record.headers().lastHeader("x-replay-name");
          if (header != null && new String(header.value(), StandardCharsets.UTF_8).equals(NAMESPACE + "." + name)) {
            count++;
          }
        }
      }
      return count;
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
