package io.reducer.e2e.scenarios;

import static io.reducer.e2e.scenarios.ScenarioCluster.PATIENCE;
import static io.reducer.e2e.scenarios.ScenarioResources.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reducer.api.v1alpha1.ProjectionStatus;
import io.reducer.api.v1alpha1.common.HealthLevel;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A projection a scenario checks the way a user would: its status says it is ready, healthy and without lag, its
 * table holds exactly the model of its topic, its watermarks are the topic's end and its DLQ holds the poison.
 */
public final class WatchedProjection {

  private final ScenarioCluster cluster;
  private final String name;
  private final String table;
  private final String topic;
  private final String dlqTopic;

  WatchedProjection(ScenarioCluster cluster, String name, String table, String topic, String dlqTopic) {
    this.cluster = cluster;
    this.name = name;
    this.table = table;
    this.topic = topic;
    this.dlqTopic = dlqTopic;
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

  /** The projection holds exactly what its whole topic says (see {@link #assertEqualsModelFrom}). */
  public void assertEqualsModel() throws Exception {
    assertEqualsModelFrom(Map.of());
  }

  /**
   * The exact oracle, once caught up: the table holds the newest valid version of every key at or after {@code start}
   * (after a rebuild) and nothing else, every sentinel among them, so one record skipped at a fault point is a
   * missing row; every partition's watermark is the topic's end offset; and the DLQ holds every poison record of the
   * topic and no valid one (at least once: after a crash or a rebuild some twice).
   */
  public void assertEqualsModelFrom(Map<Integer, Long> start) throws Exception {
    TopicModel model = model();
    Map<String, String> expected = model.from(topic, start);
    assertThat(expected.keySet()).as("sentinels in the model of %s", topic)
        .anyMatch(key -> key.startsWith(StateCommittedProducer.SENTINEL));
    assertThat(cluster.database().table(table)).as("table %s against the model of %s", table, topic)
        .containsExactlyInAnyOrderEntriesOf(expected);
    assertThat(nonZero(cluster.database().watermarks(name))).as("watermarks of %s against the end of %s", name, topic)
        .isEqualTo(nonZero(model.endOffsets(topic)));
    Set<String> deadLettered = DeadLetters.read(cluster.kafkaBootstrapServers(), dlqTopic).stream()
        .filter(letter -> topic.equals(letter.header("x-original-topic")))
        .map(letter -> letter.header("x-original-partition") + "/" + letter.header("x-original-offset"))
        .collect(Collectors.toSet());
    assertThat(deadLettered).as("records of %s in %s, by partition/offset", topic, dlqTopic)
        .isEqualTo(model.poison(topic).keySet());
  }

  public ProjectionStatus status() {
    return cluster.resources().projectionStatus(name);
  }

  public MaterializerPods pods() {
    return cluster.pods(name);
  }

  /** Offsets by partition without the partitions at 0: an empty partition may or may not have a watermark row. */
  private static Map<Integer, Long> nonZero(Map<Integer, Long> offsets) {
    Map<Integer, Long> nonZero = new TreeMap<>(offsets);
    nonZero.values().removeIf(offset -> offset == 0);
    return nonZero;
  }

  private TopicModel model() {
    return new TopicModel(cluster.kafkaBootstrapServers());
  }
}
