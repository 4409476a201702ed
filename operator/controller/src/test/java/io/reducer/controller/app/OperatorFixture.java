package io.reducer.controller.app;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.testsupport.cluster.ImageCatalog;
import io.reducer.testsupport.cluster.ImageEntry;
import io.reducer.testsupport.cluster.LocalKubelet;
import io.reducer.testsupport.cluster.LocalKubeletOptions;
import io.reducer.testsupport.kafka.KafkaBroker;
import io.reducer.testsupport.kubernetes.Edits;
import io.reducer.testsupport.kubernetes.MockKubernetes;
import io.reducer.testsupport.postgres.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A real broker and PostgreSQL, the mock API server in CRUD mode with our CRDs, and the operator running
 * against them with a one-second probe interval. Shared by the operator's integration tests.
 */
public final class OperatorFixture implements AutoCloseable {

  public static final String NAMESPACE = "orders";
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  public final KafkaBroker kafka;
  public final PostgresServer postgres;
  public final MockKubernetes kubernetes;
  public final KubernetesClient client;
  public final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private ReducerOperator operator;
  private LocalKubelet cluster;

  public OperatorFixture() {
    kafka = KafkaBroker.start();
    postgres = PostgresServer.start();
    kubernetes = MockKubernetes.withCommittedCrds();
    client = kubernetes.client();
  }

  /** @param extraArgs further operator flags, e.g. --finished-history-limit 2 */
  public void startOperator(String... extraArgs) throws OperatorConfigException {
    startOperator(client, extraArgs);
  }

  /** {@link #startOperator(String...)} with the operator talking to the API server through {@code operatorClient}. */
  public void startOperator(KubernetesClient operatorClient, String... extraArgs) throws OperatorConfigException {
    List<String> args = new ArrayList<>(List.of("--namespaces", NAMESPACE, "--namespace", NAMESPACE,
        "--leader-election", "false", "--probe-interval", "1s", "--client-timeout", "3s",
        "--workloads-image", "registry.test/reducer-workloads:1"));
    args.addAll(List.of(extraArgs));
    OperatorConfig config = OperatorConfig.parse(args, Map.of(), null);
    operator = new ReducerOperator(operatorClient, config, registry, Clock.systemUTC());
    operator.start();
  }

  /**
   * Runs the pods of the mock API server as local processes (the local cluster): the workloads image, as materializer
   * and reducer, and {@code more} images. Closed with the fixture, before the operator's broker and database.
   */
  public LocalKubelet startLocalCluster(ImageEntry... more) throws IOException {
    return startLocalCluster(LocalKubeletOptions.defaults(), more);
  }

  /** {@link #startLocalCluster(ImageEntry...)} with the local cluster's periods and backoffs. */
  public LocalKubelet startLocalCluster(LocalKubeletOptions options, ImageEntry... more) throws IOException {
    List<ImageEntry> images = new ArrayList<>(List.of(ImageEntry.of("reducer-workloads", "io.reducer.workloads.Main")
        .withPortEnv("http", "MATERIALIZER_HTTP_PORT", "REDUCER_HTTP_PORT")));
    images.addAll(List.of(more));
    cluster = LocalKubelet.start(client, ImageCatalog.of(images.toArray(ImageEntry[]::new)),
        Files.createTempDirectory("local-cluster"), options);
    return cluster;
  }

  /**
   * Creates the database Secret {@code pg} that the tests' pipelines name, starts the operator and waits until it is
   * ready.
   */
  public void startOperatorReady(String... extraArgs) throws OperatorConfigException {
    databaseSecret("pg");
    startOperator(extraArgs);
    await().atMost(Duration.ofSeconds(30)).until(this::operatorReady);
  }

  public boolean operatorReady() {
    return operator != null && operator.ready();
  }

  /** Why the running operator can no longer work (an informer stopped on an error), if it cannot. */
  public Optional<String> fatalFailure() {
    return operator == null ? Optional.empty() : operator.fatalFailure();
  }

  public void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  public Secret databaseSecret(String name) {
    return client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName(name)
        .endMetadata().withStringData(Map.of("username", postgres.user(), "password", postgres.password())).build())
        .create();
  }

  /**
   * A pipeline on the test broker and database; the topics follow the given prefix. Their partitions are not
   * declared: the operator creates a missing topic with the broker's default and leaves the count of one a test
   * created alone.
   */
  public ReducerPipeline pipeline(String name, String bootstrapServers, String secret, String topicPrefix) {
    // No reducer pods where a test is about something else: they would only compete for the machine.
    return pipeline(name, bootstrapServers, secret, topicPrefix, 0);
  }

  /** {@link #pipeline(String, String, String, String)} with {@code reducers} reducer replicas. */
  public ReducerPipeline pipeline(String name, String bootstrapServers, String secret, String topicPrefix,
      int reducers) {
    return pipeline(name, bootstrapServers, secret, topicPrefix, reducers, p -> { });
  }

  /**
   * {@link #pipeline(String, String, String, String, int)} changed by {@code customize} before it is created, so the
   * operator never sees it without the change (an edit right after creating it may reach the operator's cache only
   * after a resource created next).
   */
  public ReducerPipeline pipeline(String name, String bootstrapServers, String secret, String topicPrefix,
      int reducers, Consumer<ReducerPipeline> customize) {
    String yaml = String.join("\n",
        "apiVersion: reducer.io/v1alpha1",
        "kind: ReducerPipeline",
        "metadata:",
        "  name: " + name,
        "  namespace: " + NAMESPACE,
        "spec:",
        "  kafka:",
        "    bootstrapServers: " + bootstrapServers,
        "  topics:",
        "    actions: {name: " + topicPrefix + ".actions, replicationFactor: 1}",
        "    stateCommitted: {name: " + topicPrefix + ".state-committed, replicationFactor: 1}",
        "    dlq: {name: " + topicPrefix + ".dlq, replicationFactor: 1}",
        "  postgres:",
        "    host: 127.0.0.1",
        "    port: " + postgres.port(),
        "    database: postgres",
        "    schema: public",
        "    sslMode: disable",
        "    credentials: {secretName: " + secret + ", usernameKey: username, passwordKey: password}",
        "  reducer: {replicas: " + reducers + "}");
    ReducerPipeline pipeline = YAML.unmarshal(yaml, ReducerPipeline.class);
    customize.accept(pipeline);
    return client.resources(ReducerPipeline.class).inNamespace(NAMESPACE).resource(pipeline).create();
  }

  Projection projection(String name, String pipeline, String extraSpecYaml) {
    String yaml = String.join("\n",
        "apiVersion: reducer.io/v1alpha1",
        "kind: Projection",
        "metadata:",
        "  name: " + name,
        "  namespace: " + NAMESPACE,
        "spec:",
        "  pipelineRef: {name: " + pipeline + "}",
        extraSpecYaml);
    Projection projection = YAML.unmarshal(yaml, Projection.class);
    return client.resources(Projection.class).inNamespace(NAMESPACE).resource(projection).create();
  }

  Projection getProjection(String name) {
    return client.resources(Projection.class).inNamespace(NAMESPACE).withName(name).get();
  }

  ReducerPipeline getPipeline(String name) {
    return client.resources(ReducerPipeline.class).inNamespace(NAMESPACE).withName(name).get();
  }

  /**
   * Changes a resource as {@code kubectl edit} would, again on a conflict with the operator's status write.
   *
   * @return the resource as the API server wrote it
   */
  public <T extends HasMetadata> T edit(Class<T> type, String name, Consumer<T> change) {
    return Edits.edit(client, type, NAMESPACE, name, change);
  }

  @Override
  public void close() {
    if (cluster != null) {
      cluster.close();
    }
    stopOperator();
    kubernetes.close();
    postgres.close();
    kafka.close();
  }
}
