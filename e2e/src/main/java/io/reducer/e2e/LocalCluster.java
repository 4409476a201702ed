package io.reducer.e2e;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.reducer.controller.app.OperatorConfig;
import io.reducer.controller.app.OperatorConfigException;
import io.reducer.controller.app.ReducerOperator;
import io.reducer.testsupport.cluster.ImageCatalog;
import io.reducer.testsupport.cluster.ImageEntry;
import io.reducer.testsupport.cluster.LocalKubelet;
import io.reducer.testsupport.cluster.LocalKubeletOptions;
import io.reducer.testsupport.internal.TempDirs;
import io.reducer.testsupport.kafka.KafkaBroker;
import io.reducer.testsupport.kubernetes.MockKubernetes;
import io.reducer.testsupport.postgres.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local cluster the sandbox, the end-to-end scenarios and the benchmarks run on: a real Kafka broker, a real
 * PostgreSQL, the mock API server with our CRDs, the local kubelet running the workloads' pods as JVM processes,
 * and the operator. Test infrastructure: nothing here is part of the product.
 */
public final class LocalCluster implements AutoCloseable {

  /** The workloads image the operator is told to use; the local kubelet runs it from this classpath. */
  public static final String WORKLOADS_IMAGE = "ghcr.io/reducer-io/reducer-workloads:local";

  /**
   * Pods log as in the image (Kafka's clients at warn, the rest at info): the test classpath they share may quiet
   * slf4j-simple to warn for the test's own clients, and a failing scenario needs the materializers' partition and
   * epoch messages.
   */
  private static final ImageEntry WORKLOADS = ImageEntry.of("reducer-workloads", "io.reducer.workloads.Main")
      .withPortEnv("http", "MATERIALIZER_HTTP_PORT", "REDUCER_HTTP_PORT")
      .withJvmOptions(concat(ImageEntry.DEFAULT_JVM_OPTIONS, "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
          "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn"));

  private final String namespace;
  private final List<String> operatorArgs;
  private final KafkaBroker kafka;
  private final PostgresServer postgres;
  private final MockKubernetes kubernetes;
  private final Path workDir;
  private final LocalKubelet kubelet;
  private PrometheusMeterRegistry registry;
  private ReducerOperator operator;
  private volatile String operatorFailure;

  private LocalCluster(String namespace, List<String> operatorArgs) throws IOException {
    this.namespace = namespace;
    this.operatorArgs = operatorArgs;
    this.kafka = KafkaBroker.start();
    this.postgres = PostgresServer.start();
    this.kubernetes = MockKubernetes.withCommittedCrds();
    this.workDir = Files.createTempDirectory("local-cluster");
    this.kubelet = LocalKubelet.start(kubernetes.client(), ImageCatalog.of(WORKLOADS), workDir,
        LocalKubeletOptions.defaults());
    // kubectl logs and the API's pod proxy, as on a real cluster: a kubeconfig client needs no route to the pods.
    kubernetes.servePods(kubelet);
  }

  /**
   * Starts the broker, the database, the API, the kubelet and the operator watching {@code namespace}.
   *
   * @param operatorArgs extra operator flags, e.g. --probe-interval 1s
   */
  public static LocalCluster start(String namespace, String... operatorArgs) throws Exception {
    LocalCluster cluster = new LocalCluster(namespace, List.of(operatorArgs));
    try {
      cluster.startOperator();
      return cluster;
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
  }

  /** Starts the operator (again, after {@link #stopOperator}); the same settings each time. */
  public synchronized void startOperator() throws OperatorConfigException {
    List<String> args = new ArrayList<>(List.of("--namespaces", namespace, "--namespace", namespace,
        "--leader-election", "false", "--workloads-image", WORKLOADS_IMAGE, "--http-port", "0"));
    args.addAll(operatorArgs);
    // A fresh registry per start, as a restarted operator process has: gauges of the previous operator would
    // otherwise keep their names and hide the new ones.
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    operator = new ReducerOperator(kubernetes.client(), OperatorConfig.parse(args, Map.of(), null), registry,
        Clock.systemUTC());
    operator.onFatalFailure(failure -> operatorFailure = failure);
    operator.start();
  }

  public synchronized void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  /**
   * Why an operator of this cluster stopped working (an informer failed after it synced), if one did: the
   * operator's main would exit there; here the failure is kept for the diagnosis.
   */
  public Optional<String> operatorFailure() {
    return Optional.ofNullable(operatorFailure);
  }

  public synchronized boolean operatorReady() {
    return operator != null && operator.ready();
  }

  /** A Secret with the database login, under the keys username and password. */
  public void databaseSecret(String name) {
    client().secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name)
        .endMetadata().withStringData(Map.of("username", postgres.user(), "password", postgres.password())).build())
        .create();
  }

  public String namespace() {
    return namespace;
  }

  public KubernetesClient client() {
    return kubernetes.client();
  }

  public MockKubernetes kubernetes() {
    return kubernetes;
  }

  public KafkaBroker kafka() {
    return kafka;
  }

  public PostgresServer postgres() {
    return postgres;
  }

  public LocalKubelet kubelet() {
    return kubelet;
  }

  /** The metrics of the running (or last started) operator. */
  public synchronized PrometheusMeterRegistry registry() {
    return registry;
  }

  private static List<String> concat(List<String> options, String... more) {
    List<String> all = new ArrayList<>(options);
    all.addAll(List.of(more));
    return all;
  }

  @Override
  public void close() {
    stopOperator();
    kubelet.close();
    // Pod logs and directories; a failing scenario has printed what it needs by now.
    TempDirs.deleteQuietly(workDir);
    kubernetes.close();
    postgres.close();
    kafka.close();
  }
}
