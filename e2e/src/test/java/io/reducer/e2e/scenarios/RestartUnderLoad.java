package io.reducer.e2e.scenarios;

import static io.reducer.e2e.scenarios.ScenarioCluster.NAMESPACE;
import static io.reducer.e2e.scenarios.ScenarioCluster.PATIENCE;
import static io.reducer.e2e.scenarios.ScenarioResources.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;

/**
 * A dependency (the broker or the database) stopped while events stream in, then started again on the same
 * address with its data. While it is down, the pipeline's reachability condition and Ready are False and the
 * projection is Degraded with Ready Unknown and no lag figure (unknown, never zero); once it is back they return
 * to True, the lag drains, the table is exactly the model of the topic, and no materializer restarted.
 */
final class RestartUnderLoad {

  private final ScenarioCluster cluster;
  private final String pipeline;
  private final String reachable;
  private final String unreachableReason;

  /**
   * @param reachable the pipeline condition that tracks the dependency, e.g. DatabaseReachable
   * @param unreachableReason its reason while the dependency is down, e.g. DatabaseUnreachable
   */
  RestartUnderLoad(ScenarioCluster cluster, String pipeline, String reachable, String unreachableReason) {
    this.cluster = cluster;
    this.pipeline = pipeline;
    this.reachable = reachable;
    this.unreachableReason = unreachableReason;
  }

  void run(ScenarioTarget.Dependency dependency) throws Exception {
    ScenarioResources resources = cluster.resources();
    WatchedProjection projection = cluster.pipelineWithProjection(pipeline, 3);

    try (StateCommittedProducer producer = cluster.producer(projection.topic())) {
      producer.produce(600);
      projection.awaitReadyAndHealthy();
      assertThat(condition(resources.pipelineStatus(pipeline), reachable)).isEqualTo("True/Connected");
      producer.startPaced(300);
      projection.awaitApplying(300);

      dependency.stop();
      await("the outage shows in status").atMost(PATIENCE).untilAsserted(() -> {
        assertThat(condition(resources.pipelineStatus(pipeline), reachable)).isEqualTo("False/" + unreachableReason);
        assertThat(condition(resources.pipelineStatus(pipeline), "Ready")).isEqualTo("False/" + unreachableReason);
        assertThat(condition(projection.status(), "Degraded")).isEqualTo("True/" + unreachableReason);
        assertThat(condition(projection.status(), "Ready")).isEqualTo("Unknown/" + unreachableReason);
      });
      assertThat(projection.status().getConsumerLag()).as("lag cannot be measured: unknown, not zero").isNull();

      dependency.start();
      await("the pipeline is connected again").atMost(PATIENCE).untilAsserted(() -> {
        assertThat(condition(resources.pipelineStatus(pipeline), reachable)).isEqualTo("True/Connected");
        assertThat(condition(resources.pipelineStatus(pipeline), "Ready")).isEqualTo("True/Connected");
      });
      // Traffic goes on until the materializers have applied some of it again: the recovery is under load.
      projection.awaitApplying(300);
      producer.stop();
    }

    projection.awaitCaughtUp();
    projection.awaitReadyAndHealthy();
    projection.assertEqualsModel();
    assertThat(projection.pods().list()).extracting(MaterializerPods::restartCount).containsOnly(0);
    assertThat(cluster.client().v1().events().inNamespace(NAMESPACE).list().getItems())
        .filteredOn(e -> e.getInvolvedObject().getName().equals(pipeline))
        .extracting(Event::getReason)
        .contains("ConnectionFailed", "ConnectionRestored");
  }
}
