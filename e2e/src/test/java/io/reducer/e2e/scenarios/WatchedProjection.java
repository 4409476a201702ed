package io.reducer.e2e.scenarios;

import static io.reducer.e2e.scenarios.ScenarioCluster.PATIENCE;
import static io.reducer.e2e.scenarios.ScenarioResources.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reducer.api.v1alpha1.ProjectionStatus;
import io.reducer.api.v1alpha1.common.HealthLevel;
import java.time.Duration;
import java.util.Map;

/**
 * A projection a scenario checks the way a user would: its status says it is ready, healthy and without lag, and
 * its table holds exactly the model of its topic.
 */
public final class WatchedProjection {

  private final ScenarioCluster cluster;
  private final String name;
  private final String table;
  private final String topic;

  WatchedProjection(ScenarioCluster cluster, String name, String table, String topic) {
    this.cluster = cluster;
    this.name = name;
    this.table = table;
    this.topic = topic;
  }

  public String name() {
    return name;
  }

  public String topic() {
    return topic;
  }

  /** Waits until the materializers have applied {@code records} more records: they are busy, not idle. */
  public void awaitApplying(long records) {
    long before = cluster.database().applied(name);
    await("projection " + name + " materializes while events stream in").atMost(PATIENCE)
        .until(() -> cluster.database().applied(name) > before + records);
  }

  /** Waits until the materializers have applied (or dead-lettered) every record of the topic. */
  public void awaitCaughtUp() {
    // Read once: scenarios stop producing before they wait.
    long records = model().records(topic);
    await("projection " + name + " applies every record").atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertThat(cluster.database().applied(name)).isEqualTo(records));
  }

  /** Waits until the status shows what a caught-up, healthy projection shows. */
  public void awaitReadyAndHealthy() {
    await("projection " + name + " Ready, not Degraded, no lag").atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> {
          ProjectionStatus status = status();
          assertThat(condition(status, "Ready")).isEqualTo("True/MaterializersReady");
          assertThat(condition(status, "Degraded")).isEqualTo("False/Healthy");
          assertThat(status.getConsumerLag()).isZero();
          assertThat(status.getHealth()).isEqualTo(HealthLevel.Healthy);
          assertThat(status.getReadyReplicas()).isEqualTo(status.getReplicas());
        });
  }

  /** The table holds exactly the newest valid version of every key in the topic. */
  public void assertEqualsModel() throws Exception {
    assertEqualsModelFrom(Map.of());
  }

  /** As {@link #assertEqualsModel()}, counting only records at or after {@code start} (after a rebuild). */
  public void assertEqualsModelFrom(Map<Integer, Long> start) throws Exception {
    Map<String, String> expected = model().from(topic, start);
    assertThat(expected).as("the model is not empty").isNotEmpty();
    assertThat(cluster.database().table(table)).as("table %s against the model of %s", table, topic)
        .containsExactlyInAnyOrderEntriesOf(expected);
  }

  public ProjectionStatus status() {
    return cluster.resources().projectionStatus(name);
  }

  public MaterializerPods pods() {
    return cluster.pods(name);
  }

  private TopicModel model() {
    return new TopicModel(cluster.kafkaBootstrapServers());
  }
}
