package io.reducer.e2e.scenarios;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.reducer.e2e.LocalCluster;
import io.reducer.testsupport.internal.TempDirs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The cluster of a whole test class, registered as a static {@code @RegisterExtension} field. By default it starts
 * the local cluster (broker, database, mock API, kubelet, operator); with {@code -De2e.target=<settings file>} the
 * scenarios run on an existing cluster instead (see {@link KubeconfigTarget} and docs/e2e.md). When a test or the
 * class's setup fails, the state of the cluster is printed (see {@link FailureReport}); passing tests print nothing.
 */
public final class ScenarioCluster implements BeforeAllCallback, AfterAllCallback, TestWatcher,
    LifecycleMethodExecutionExceptionHandler {

  /** The system property that points the scenarios at a settings file; unset or "local" is the local cluster. */
  public static final String TARGET_PROPERTY = "e2e.target";
  public static final String NAMESPACE = "e2e";
  /** A noisy shared 2-core machine starts JVMs slowly: waits are generous, assertions exact. */
  public static final Duration PATIENCE = Duration.ofSeconds(120);

  /** Short probe interval: status follows faults within seconds instead of the default 5 s rounds. */
  private static final String[] LOCAL_OPERATOR_ARGS = {"--probe-interval", "1s", "--client-timeout", "3s"};

  private final String[] operatorArgs;
  private ScenarioTarget target;

  public ScenarioCluster() {
    this.operatorArgs = LOCAL_OPERATOR_ARGS;
  }

  /** A cluster whose local operator also gets {@code extraOperatorArgs}, e.g. --leader-election true. */
  public ScenarioCluster(String... extraOperatorArgs) {
    this.operatorArgs = java.util.stream.Stream.concat(java.util.Arrays.stream(LOCAL_OPERATOR_ARGS),
        java.util.Arrays.stream(extraOperatorArgs)).toArray(String[]::new);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    target = startTarget(System.getProperty(TARGET_PROPERTY, "local"), operatorArgs);
    awaitOperatorReady();
    databaseSecret(ScenarioResources.DATABASE_SECRET);
  }

  /**
   * The target a settings value names: "local"; "loopback", the local cluster reached only through a kubeconfig
   * (see {@link LoopbackSettings}); or the path of a kubeconfig target's settings file.
   */
  static ScenarioTarget startTarget(String setting) throws Exception {
    return startTarget(setting, LOCAL_OPERATOR_ARGS);
  }

  static ScenarioTarget startTarget(String setting, String... operatorArgs) throws Exception {
    if (setting.isBlank() || setting.equals("local")) {
      return LocalTarget.start(NAMESPACE, operatorArgs);
    }
    if (setting.equals("loopback")) {
      LocalCluster local = LocalCluster.start(NAMESPACE, operatorArgs);
      Path directory = TempDirs.create("loopback-target");
      try {
        return KubeconfigTarget.load(LoopbackSettings.write(local, directory), NAMESPACE).closing(() -> {
          local.close();
          TempDirs.deleteQuietly(directory);
        });
      } catch (IOException | RuntimeException e) {
        local.close();
        throw e;
      }
    }
    return KubeconfigTarget.load(Path.of(setting), NAMESPACE);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (target != null) {
      target.close();
      target = null;
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

  public ScenarioTarget target() {
    return target;
  }

  public KubernetesClient client() {
    return target.client();
  }

  public String kafkaBootstrapServers() {
    return target.kafkaBootstrapServers();
  }

  /** Properties for a Kafka client of the test's own. */
  public Map<String, Object> kafkaClientProperties() {
    return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, target.kafkaBootstrapServers());
  }

  /** Creates a topic with replication factor 1, unless it exists. */
  public void createTopic(String name, int partitions) {
    try (Admin admin = Admin.create(kafkaClientProperties())) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic " + name, e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public ScenarioResources resources() {
    return new ScenarioResources(this);
  }

  public ReadModel database() {
    return new ReadModel(target::connectDatabase);
  }

  public MaterializerPods pods(String projection) {
    return new MaterializerPods(target, projection);
  }

  /** Ends a pod at once (see {@link ScenarioTarget#killPod}). */
  public void killPod(String pod) {
    target.killPod(NAMESPACE, pod);
  }

  /**
   * Creates pipeline {@code name} (its topics with {@code partitions}, credentials from the database Secret) and
   * projection {@code <name>-view} of it into table {@code <name>_view}, with {@code extraSpec} lines.
   */
  public WatchedProjection pipelineWithProjection(String name, int partitions, String... extraSpec) {
    resources().pipeline(name, partitions, ScenarioResources.DATABASE_SECRET);
    // As a user would: data goes in once the pipeline reports its topics ready, not while they are being created
    // (a produce racing the topic's creation once waited two minutes for a partition's acknowledgement).
    await("pipeline " + name + " reports its topics ready").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
        .until(() -> ScenarioResources.condition(resources().pipelineStatus(name), "TopicsReady").startsWith("True"));
    resources().projection(name + "-view", name, name + "_view", extraSpec);
    return new WatchedProjection(this, name + "-view", name + "_view", ScenarioResources.stateCommittedTopic(name),
        ScenarioResources.dlqTopic(name));
  }

  /**
   * A producer of state-committed events on 200 keys with a sentinel between each two, one record in 40 poison; the
   * caller closes it.
   */
  public StateCommittedProducer producer(String topic) {
    return new StateCommittedProducer(kafkaBootstrapServers(), topic, 200, 40);
  }

  /** Stops the operator, as a crashed operator pod or a drained node would. */
  public void stopOperator() throws Exception {
    target.stopOperator();
  }

  /** Starts the operator again and waits until it is ready. */
  public void startOperator() throws Exception {
    target.startOperator();
    awaitOperatorReady();
  }

  /**
   * Waits until the operator started last has finished a reconciliation of every resource of {@code kind} in the
   * namespace: it reconciles each once as it starts, so what it has not done by then it does not do unprompted.
   */
  public void awaitEveryReconciled(Class<? extends HasMetadata> kind) {
    int resources = client().resources(kind).inNamespace(NAMESPACE).list().getItems().size();
    String name = HasMetadata.getKind(kind);
    await("the operator has reconciled every " + name).atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
        .until(() -> target.operatorReconciliations(name) >= resources);
  }

  /** Stops the operator and starts a new one on the same API, as a crashed and rescheduled operator pod would. */
  public void restartOperator() throws Exception {
    stopOperator();
    startOperator();
  }

  private void databaseSecret(String name) {
    client().secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName(name)
        .endMetadata().withStringData(Map.of("username", target.databaseUser(), "password",
            target.databasePassword())).build()).createOr(existing -> existing.update());
  }

  private void awaitOperatorReady() {
    await().atMost(PATIENCE).until(target::operatorReady);
  }

  private void report(String what) {
    if (target != null) {
      System.out.println(FailureReport.render(target, what));
    }
  }
}
