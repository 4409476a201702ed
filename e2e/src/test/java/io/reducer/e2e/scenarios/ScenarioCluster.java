package io.reducer.e2e.scenarios;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.reducer.e2e.LocalCluster;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One local cluster (broker, database, mock API, kubelet, operator) for a whole test class, registered as a static
 * {@code @RegisterExtension} field. When a test or the class's setup fails, the state of the cluster is printed
 * (see {@link FailureReport}); passing tests print nothing.
 */
public final class ScenarioCluster implements BeforeAllCallback, AfterAllCallback, TestWatcher,
    LifecycleMethodExecutionExceptionHandler {

  public static final String NAMESPACE = "e2e";
  /** A noisy shared 2-core machine starts JVMs slowly: waits are generous, assertions exact. */
  public static final Duration PATIENCE = Duration.ofSeconds(120);

  private LocalCluster cluster;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    // Short probe interval: status follows faults within seconds instead of the default 5 s rounds.
    cluster = LocalCluster.start(NAMESPACE, "--probe-interval", "1s", "--client-timeout", "3s");
    awaitOperatorReady();
    cluster.databaseSecret(ScenarioResources.DATABASE_SECRET);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    report(context.getDisplayName());
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    report("setup of " + context.getDisplayName());
    throw throwable;
  }

  public LocalCluster local() {
    return cluster;
  }

  public KubernetesClient client() {
    return cluster.client();
  }

  public ScenarioResources resources() {
    return new ScenarioResources(cluster);
  }

  public ReadModel database() {
    return new ReadModel(cluster.postgres());
  }

  public MaterializerPods pods(String projection) {
    return new MaterializerPods(cluster, projection);
  }

  /**
   * Creates pipeline {@code name} (its topics with {@code partitions}, credentials from the database Secret) and
   * projection {@code <name>-view} of it into table {@code <name>_view}, with {@code extraSpec} lines.
   */
  public WatchedProjection pipelineWithProjection(String name, int partitions, String... extraSpec) {
    resources().pipeline(name, partitions, ScenarioResources.DATABASE_SECRET);
    resources().projection(name + "-view", name, name + "_view", extraSpec);
    return new WatchedProjection(this, name + "-view", name + "_view", ScenarioResources.stateCommittedTopic(name));
  }

  /** A producer of state-committed events on 200 keys, one record in 40 poison; the caller closes it. */
  public StateCommittedProducer producer(String topic) {
    return new StateCommittedProducer(cluster.kafka().bootstrapServers(), topic, 200, 40);
  }

  /** Stops the operator and starts a new one on the same API, as a crashed and rescheduled operator pod would. */
  public void restartOperator() throws Exception {
    cluster.stopOperator();
    cluster.startOperator();
    awaitOperatorReady();
  }

  private void awaitOperatorReady() {
    await().atMost(PATIENCE).until(cluster::operatorReady);
  }

  private void report(String what) {
    if (cluster != null) {
      System.out.println(FailureReport.render(cluster, what));
    }
  }
}
