package io.reducer.e2e.scenarios;

import static io.reducer.e2e.scenarios.ScenarioCluster.NAMESPACE;
import static io.reducer.e2e.scenarios.ScenarioCluster.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.reducer.api.v1alpha1.WatermarkResetStatus;
import io.reducer.api.v1alpha1.common.PhaseTransition;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL and the Kafka broker killed with SIGKILL (no shutdown of any kind; the next start recovers from its
 * log) while a materializer drains a backlog, while a reset Job applies its plan, and while a replay Job
 * republishes a DLQ. Every state-committed event has a key of its own, so a record skipped or applied twice at the
 * fault point shows as a missing or wrong row: the oracles are the table equal to the model of the topic row for
 * row, the watermarks equal to the log-end offsets, the epoch exactly one higher per reset, and every DLQ record
 * once in the target for a read_committed consumer.
 */
class CrashUnderLoadIT {

  @RegisterExtension
  static final ScenarioCluster cluster = new ScenarioCluster();

  private static final String PIPELINE = "crash";
  private static final int PARTITIONS = 12;
  private static final String TABLE = PIPELINE + "_view";
  private static final String RESET_JOB = "reducer-offsets-reset";
  private static final Duration PHASE_POLL = Duration.ofMillis(50);

  private static WatchedProjection projection;
  private static StateCommittedProducer producer;
  private static InDoubtCommits commits;

  @BeforeAll
  static void createProjection() {
    // One materializer for the twelve partitions: every reset stops and starts one JVM, not twelve.
    projection = cluster.pipelineWithProjection(PIPELINE, PARTITIONS, "scaling: {maxReplicas: 1}");
    // One version per key, one record in 40 poison: a skipped record is a missing row.
    producer = new StateCommittedProducer(cluster.kafkaBootstrapServers(), projection.topic(), Integer.MAX_VALUE, 40);
    commits = new InDoubtCommits(cluster.target()::connectDatabase);
    producer.produce(1_200);
  }

  @AfterAll
  static void closeProducer() {
    if (producer != null) {
      producer.close();
    }
  }

  @Test
  void aDrainSurvivesDatabaseAndBrokerKillsWithEveryRecordAppliedOnce() throws Exception {
    ScenarioTarget.Dependency database = cluster.target().database();
    producer.produce(3_000);
    producer.startPaced(300);
    projection.awaitApplying(300);

    // A COMMIT in flight for certain: held until its materializer waits for the answer, then the server dies.
    commits.hold();
    await("a materializer's COMMIT is in flight").atMost(PATIENCE).pollInterval(PHASE_POLL)
        .until(() -> commits.waiting("reducer-materializer") > 0);
    commits.forgetAtRestart();
    database.kill();
    database.start();
    projection.awaitApplying(300);

    // Anywhere in a batch: twice more, each time once the materializers write again.
    for (int kill = 0; kill < 2; kill++) {
      database.kill();
      database.start();
      projection.awaitApplying(300);
    }

    ScenarioTarget.Dependency broker = cluster.target().broker();
    broker.kill();
    broker.start();
    projection.awaitApplying(300);
    producer.stop();

    assertEveryRecordAppliedOnce();
    projection.awaitReadyAndHealthy();
  }

  @Test
  void aResetWhoseCommitIsInDoubtWhenTheDatabaseDiesCompletesOnce() throws Exception {
    long epoch = caughtUpEpoch();
    // The Job commits twice: its table claim, then the reset. Stop it inside the reset's transaction (at the
    // rebuild's table lock) to hold only the reset's COMMIT, then kill the server with that COMMIT in flight.
    try (TableLock gate = new TableLock(cluster.target()::connectDatabase, TABLE)) {
      cluster.resources().reset("crash-db", projection.name(), "target: {type: earliest}", "rebuild: true",
          "approval: Automatic");
      await("the reset Job waits inside its transaction").atMost(PATIENCE).pollInterval(PHASE_POLL)
          .until(() -> gate.waiting(RESET_JOB) > 0);
      commits.hold();
    }
    await("the reset Job's COMMIT is in flight").atMost(PATIENCE).pollInterval(PHASE_POLL)
        .until(() -> commits.waiting(RESET_JOB) > 0);
    commits.forgetAtRestart();
    ScenarioTarget.Dependency database = cluster.target().database();
    database.kill();
    database.start();

    WatermarkResetStatus status = assertCompletesOnce("crash-db", epoch);
    assertThat(resumingMessage(status)).as("the retried pod found the in-doubt COMMIT committed")
        .contains("the database already showed this reset (epoch " + (epoch + 1) + ")");
    producer.produce(600);
    assertEveryRecordAppliedOnce();
  }

  @Test
  void aResetWhoseBrokerDiesBetweenItsDatabaseCommitAndTheGroupMoveCompletesOnce() throws Exception {
    long epoch = caughtUpEpoch();
    // The Job reads Kafka, then writes PostgreSQL, then moves the group: hold its COMMIT, kill the broker, let
    // the COMMIT through, so the group move meets a dead broker.
    commits.hold();
    cluster.resources().reset("crash-kafka", projection.name(), "target: {type: earliest}", "rebuild: true",
        "approval: Automatic");
    await("the reset Job's COMMIT is in flight").atMost(PATIENCE).pollInterval(PHASE_POLL)
        .until(() -> commits.waiting(RESET_JOB) > 0);
    ScenarioTarget.Dependency broker = cluster.target().broker();
    broker.kill();
    commits.release();
    await("the reset is committed in PostgreSQL").atMost(PATIENCE)
        .until(() -> cluster.database().epoch(projection.name()) == epoch + 1);
    broker.start();

    assertCompletesOnce("crash-kafka", epoch);
    producer.produce(600);
    assertEveryRecordAppliedOnce();
  }

  @Test
  void aReplayWhoseBrokerDiesMidwayLandsEveryRecordOnce() throws Exception {
    ReplayScenario replay = ReplayScenario.seed(cluster, PIPELINE, "crash-replay", 6_000);
    // The rate limit stretches the replay over a few seconds, so the kill lands mid-way.
    replay.create("ratePerSecond: 1000", "approval: Automatic");
    replay.awaitSomeReplayed();
    long replayedBeforeTheKill = replay.replayed();
    ScenarioTarget.Dependency broker = cluster.target().broker();
    broker.kill();
    assertThat(replayedBeforeTheKill).as("the kill lands mid-way").isLessThan(replay.records());
    broker.start();

    replay.awaitPhase(DlqReplayPhase.Succeeded);
    replay.assertEveryRecordReplayedOnce();
  }

  /** The projection's epoch once it has applied everything so far. */
  private static long caughtUpEpoch() throws Exception {
    projection.awaitCaughtUp();
    projection.awaitReadyAndHealthy();
    return cluster.database().epoch(projection.name());
  }

  /**
   * The projection applied every record of its topic, each once: a row per valid record with its version and state
   * (keys are unique, so nothing hides behind a newer version), and each watermark at its partition's log end.
   */
  private static void assertEveryRecordAppliedOnce() throws Exception {
    projection.awaitCaughtUp();
    TopicModel topic = new TopicModel(cluster.kafkaBootstrapServers());
    assertThat(cluster.database().watermarks(projection.name())).as("watermarks against the log-end offsets")
        .isEqualTo(topic.endOffsets(projection.topic()));
    projection.assertEqualsModel();
    assertThat(cluster.database().table(TABLE)).as("one row per valid record")
        .hasSize((int) (topic.records(projection.topic()) - topic.poison(projection.topic()).size()));
  }

  /**
   * The reset completed once: the epoch exactly one higher, as planned; one Job, one successful pod, started
   * once; every planned partition checked by the operator; the projection released.
   */
  private static WatermarkResetStatus assertCompletesOnce(String reset, long epochBefore) throws Exception {
    await("reset " + reset + " finishes").atMost(PATIENCE).until(() -> cluster.resources().resetStatus(reset)
        .getPhase() == WatermarkResetPhase.Completed || cluster.resources().resetStatus(reset).getPhase()
        == WatermarkResetPhase.Failed);
    WatermarkResetStatus status = cluster.resources().resetStatus(reset);
    assertThat(status.getPhase()).as("reset %s: %s", reset, status.getMessage())
        .isEqualTo(WatermarkResetPhase.Completed);
    assertThat(status.getPlan().getCurrentEpoch()).isEqualTo(epochBefore);
    assertThat(status.getPlan().getNewEpoch()).isEqualTo(epochBefore + 1);
    assertThat(cluster.database().epoch(projection.name())).isEqualTo(epochBefore + 1);
    assertThat(resumingMessage(status)).contains("checked all " + PARTITIONS + " planned partitions");
    Job job = cluster.client().batch().v1().jobs().inNamespace(NAMESPACE).withName(reset + "-reset").get();
    assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
    assertThat(cluster.client().v1().events().inNamespace(NAMESPACE).list().getItems())
        .filteredOn(e -> e.getInvolvedObject().getName().equals(reset) && e.getReason().equals("ResetStarted"))
        .singleElement().extracting(e -> e.getCount()).isEqualTo(1);
    await("the projection is released").atMost(PATIENCE)
        .untilAsserted(() -> assertThat(projection.status().getActiveReset()).isNull());
    return status;
  }

  /** What the reset said on entering Resuming: the Job's result, checked by the operator. */
  private static String resumingMessage(WatermarkResetStatus status) {
    return status.getHistory().stream().filter(t -> t.getPhase().equals(WatermarkResetPhase.Resuming.name()))
        .map(PhaseTransition::getMessage).findFirst().orElse("(never entered Resuming)");
  }
}
