package io.reducer.controller.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.common.HealthLevel;
import io.reducer.api.v1alpha1.common.UpperThreshold;
import io.reducer.api.v1alpha1.pipeline.StateMachineSpec;
import io.reducer.api.v1alpha1.pipeline.StateTransitionSpec;
import io.reducer.testsupport.cluster.ImageCatalog;
import io.reducer.testsupport.cluster.ImageEntry;
import io.reducer.testsupport.cluster.LocalKubelet;
import io.reducer.testsupport.cluster.LocalKubeletOptions;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pipeline's health from real reducer processes on the local cluster: two reducers fighting over one hot workflow
 * show in the conflict rate, poison actions (and the storm's give-ups) in the DLQ depth; while the broker or the
 * database is down its figures are absent (never 0) and the health is never Healthy, and they are measured again
 * once it is back.
 */
class PipelineHealthIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private static OperatorFixture fixture;
  private static LocalKubelet kubelet;

  @BeforeAll
  static void start() throws Exception {
    fixture = new OperatorFixture();
    fixture.databaseSecret("pg");
    kubelet = LocalKubelet.start(fixture.client, ImageCatalog.of(
        ImageEntry.of("reducer-workloads", "io.reducer.workloads.Main")
            .withPortEnv("http", "MATERIALIZER_HTTP_PORT", "REDUCER_HTTP_PORT")),
        Files.createTempDirectory("health-it"), LocalKubeletOptions.defaults());
    fixture.startOperator();
    await().atMost(Duration.ofSeconds(30)).until(fixture::operatorReady);
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
  void aConflictStormAndPoisonShowInStatusAndAnOutageIsUnknownUntilTheBrokerIsBack() throws Exception {
    fixture.kafka.createTopic("hh.actions", 2);
    fixture.pipeline("hh", fixture.kafka.bootstrapServers(), "pg", "hh", 2);
    // One workflow that flips between two states: every action is valid, and both reducers want its row.
    fixture.edit(ReducerPipeline.class, "hh", p -> {
      p.getSpec().getReducer().setStateMachine(flipFlop());
      // The storm's give-ups go to the DLQ for as long as it lasts, which depends on the machine; a DLQ depth that
      // reached Critical would rightly win over Unknown below, where only the database's figures are at stake.
      p.getSpec().getHealth().setDlqDepth(new UpperThreshold(1_000_000, 2_000_000));
    });
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(status().getReducersReady()).isEqualTo("2/2"));

    // A storm, not a burst: the conflict rate covers the reducers' latest stats window, so actions keep coming
    // until the operator has seen it.
    AtomicBoolean storming = new AtomicBoolean(true);
    Thread storm = new Thread(() -> {
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(fixture.kafka.clientProperties(),
          new StringSerializer(), new StringSerializer())) {
        for (int i = 0; i < 5; i++) {
          producer.send(new ProducerRecord<>("hh.actions", "poison-" + i, "not json " + i));
        }
        for (int i = 0; storming.get(); i++) {
          // Sub-keys spread the hot workflow over both partitions, so both reducers fold into the same row.
          producer.send(new ProducerRecord<>("hh.actions", "hot:" + i, "{\"action_id\":\"a-" + i + "\","
              + "\"workflow_key\":\"hot\",\"action\":\"flip\",\"payload\":{}}"));
          if (i % 100 == 99) {
            producer.flush();
            Thread.sleep(50);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "conflict-storm");
    storm.start();
    try {
      await().atMost(PATIENCE).untilAsserted(() -> {
        ReducerPipelineStatus status = status();
        assertThat(status.getMetrics()).isNotNull();
        assertThat(status.getMetrics().getConflictRatePercent()).isNotNull().isPositive();
        // The poison, and whatever the storm made give up after its last attempt (REDUCER_GAVE_UP).
        assertThat(status.getMetrics().getDlqDepth()).isGreaterThanOrEqualTo(5L);
        assertThat(status.getHealth()).isNotEqualTo(HealthLevel.Unknown);
      });
    } finally {
      storming.set(false);
      storm.join();
    }

    // Broker down: the DLQ depth cannot be measured, so it is absent and the pipeline is never Healthy. (A figure
    // from the database that is Critical, such as the storm's commit p95, still wins over Unknown.)
    fixture.kafka.stop();
    try {
      await().atMost(PATIENCE).untilAsserted(() -> {
        ReducerPipelineStatus status = status();
        assertThat(status.getMetrics().getDlqDepth()).isNull();
        assertThat(status.getHealth()).isIn(HealthLevel.Unknown, HealthLevel.Critical);
      });
    } finally {
      fixture.kafka.restart();
    }
    await().atMost(PATIENCE).untilAsserted(() ->
        assertThat(status().getMetrics().getDlqDepth()).isGreaterThanOrEqualTo(5L));

    // Database down: every figure of the canonical store is absent, the health is Unknown, and Degraded says why.
    fixture.postgres.stop();
    try {
      await().atMost(PATIENCE).untilAsserted(() -> {
        ReducerPipelineStatus status = status();
        assertThat(status.getHealth()).isEqualTo(HealthLevel.Unknown);
        assertThat(status.getMetrics().getConflictRatePercent()).isNull();
        assertThat(status.getMetrics().getOutboxBacklog()).isNull();
        assertThat(status.condition("Degraded").map(c -> c.getStatus().name()).orElse("")).isEqualTo("Unknown");
      });
    } finally {
      fixture.postgres.restart();
    }
    await().atMost(PATIENCE).untilAsserted(() -> {
      ReducerPipelineStatus status = status();
      assertThat(status.getMetrics().getOutboxBacklog()).isNotNull();
      assertThat(status.getHealth()).isNotEqualTo(HealthLevel.Unknown);
    });
  }

  private static StateMachineSpec flipFlop() {
    StateMachineSpec machine = new StateMachineSpec();
    machine.setStates(List.of("UP", "DOWN"));
    machine.setTransitions(List.of(transition("UP", "DOWN"), transition("DOWN", "UP")));
    return machine;
  }

  private static StateTransitionSpec transition(String from, String to) {
    StateTransitionSpec transition = new StateTransitionSpec();
    transition.setFrom(from);
    transition.setTo(to);
    transition.setTrigger("flip");
    return transition;
  }

  private static ReducerPipelineStatus status() {
    ReducerPipeline pipeline = fixture.getPipeline("hh");
    return pipeline == null || pipeline.getStatus() == null ? new ReducerPipelineStatus() : pipeline.getStatus();
  }
}
