package io.reducer.e2e.scenarios;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.reducer.testsupport.internal.Hold;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Where the scenarios run: the local cluster the build starts ({@link LocalTarget}), or an existing cluster reached
 * through a kubeconfig ({@link KubeconfigTarget}). The scenarios talk to the cluster only through its API, and to
 * Kafka and PostgreSQL only through the addresses given here, so the same assertions hold on both.
 */
interface ScenarioTarget extends AutoCloseable {

  /** A dependency a scenario stops (or kills) and starts again (the broker, the database). */
  interface Dependency {
    void stop() throws Exception;

    /** SIGKILL of the server's processes, as a lost node or container; the next start recovers from its log. */
    void kill() throws Exception;

    void start() throws Exception;
  }

  /** One line for reports, e.g. "local cluster" or "kubeconfig context prod-like". */
  String describe();

  KubernetesClient client();

  /** Kafka's bootstrap servers as this test process reaches them. */
  String kafkaBootstrapServers();

  /** The pipelines' database as this test process reaches it: jdbc:postgresql://HOST:PORT/DATABASE. */
  String databaseJdbcUrl();

  /** A new connection to the pipelines' database, as this test process reaches it. */
  default Connection connectDatabase() throws SQLException {
    return DriverManager.getConnection(databaseJdbcUrl(), databaseUser(), databasePassword());
  }

  /** The same database as a pod's JDBC URL names it, as this test process reaches it. */
  default String reachableFromHere(String inClusterJdbcUrl) {
    String inCluster = "jdbc:postgresql://" + databaseHostInCluster() + ":" + databasePortInCluster() + "/"
        + databaseName();
    return inClusterJdbcUrl.startsWith(inCluster) ? databaseJdbcUrl() + inClusterJdbcUrl.substring(inCluster.length())
        : inClusterJdbcUrl;
  }

  /** The database login, for the Secret the pipelines read their credentials from. */
  String databaseUser();

  String databasePassword();

  /** Kafka's bootstrap servers as the operator and the pods reach them, for a pipeline's spec. */
  String kafkaBootstrapServersInCluster();

  /** The database host and port as the operator and the pods reach them, for a pipeline's spec. */
  String databaseHostInCluster();

  int databasePortInCluster();

  /** The database (name) the pipelines use. */
  String databaseName();

  /** Ends a pod's container at once, without a graceful shutdown, as a crash or a lost node would. */
  void killPod(String namespace, String pod);

  /** The pod's output so far ({@code kubectl logs}), or a sentence saying why it cannot be read. */
  default String podLog(String namespace, String pod) {
    try {
      String log = client().pods().inNamespace(namespace).withName(pod).getLog();
      return log == null ? "" : log;
    } catch (KubernetesClientException e) {
      return "(log not available from the API: " + e.getMessage() + ")\n";
    }
  }

  /**
   * The pod's {@code /metrics} on its port named http, through the API server's pod proxy, so the test needs no
   * route to the pods (RBAC: get on pods/proxy).
   */
  default String podMetrics(String namespace, String pod) throws IOException {
    Pod found = client().pods().inNamespace(namespace).withName(pod).get();
    if (found == null) {
      throw new IOException("pod " + namespace + "/" + pod + " is gone");
    }
    int port = found.getSpec().getContainers().get(0).getPorts().stream()
        .filter(p -> "http".equals(p.getName())).map(ContainerPort::getContainerPort).findFirst()
        .orElseThrow(() -> new IOException("pod " + pod + " declares no port named http"));
    String body = client().raw(client().getMasterUrl() + "api/v1/namespaces/" + namespace + "/pods/" + pod + ":"
        + port + "/proxy/metrics");
    if (body == null || !body.contains("# TYPE")) {
      throw new IOException("the API server's proxy to " + pod + ":" + port + "/metrics answered no metrics: "
          + (body == null ? "nothing" : body.substring(0, Math.min(200, body.length()))));
    }
    return body;
  }

  void stopOperator() throws Exception;

  void startOperator() throws Exception;

  boolean operatorReady();

  /**
   * Reconciliations of resources of {@code kind} (e.g. WatermarkReset) the running operator has finished since it
   * started, by its metric reducer_operator_reconciliation_seconds.
   */
  long operatorReconciliations(String kind) throws IOException;

  /** Finished reconciliations by the controller of {@code kind} in a Prometheus scrape. */
  static long reconciliations(String scrape, String kind) {
    String controller = "controller=\"" + kind.toLowerCase(java.util.Locale.ROOT);
    return scrape.lines().filter(line -> line.startsWith("reducer_operator_reconciliation_seconds_count{")
        && line.contains(controller)).mapToLong(line -> (long) Double.parseDouble(line.substring(
            line.lastIndexOf(' ') + 1))).sum();
  }

  /**
   * Keeps the pods of Job {@code job} from starting until the handle is closed, so the phase that waits for the Job
   * cannot end before the test is ready; a target that cannot aborts the calling scenario.
   */
  Hold holdJobPods(String namespace, String job);

  /**
   * Makes the API server refuse writes to {@code apiPath} (e.g. a resource's /status) until the handle is closed; a
   * target that cannot aborts the calling scenario.
   */
  Hold refuseWrites(String apiPath);

  /** The Kafka broker; a target that does not control it aborts the calling scenario. */
  Dependency broker();

  /** The PostgreSQL server; a target that does not control it aborts the calling scenario. */
  Dependency database();

  /** Workloads (Deployments, Jobs, Pods) as the target sees them, for failure reports. */
  String dumpWorkloads();

  @Override
  void close();
}
