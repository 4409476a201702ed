package io.reducer.e2e.scenarios;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.reducer.testsupport.internal.Hold;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Assumptions;

/**
 * The scenarios on an existing cluster, reached through a kubeconfig, with the operator installed and watching the
 * scenarios' namespace, and Kafka and PostgreSQL reachable both from the cluster and from this test process. What
 * to set is described in docs/e2e.md; a settings file is a Java properties file:
 *
 * <pre>
 * kubeconfig=/home/me/.kube/config           # default: $KUBECONFIG, then ~/.kube/config
 * context=staging                            # default: the kubeconfig's current context
 * kafka.bootstrapServers=localhost:19092     # as this process reaches the broker
 * kafka.bootstrapServers.inCluster=kafka.kafka:9092   # as pods reach it (default: the same)
 * postgres.host=localhost                    # as this process reaches the database
 * postgres.port=15432
 * postgres.host.inCluster=postgres.db        # as pods reach it (default: the same)
 * postgres.port.inCluster=5432
 * postgres.database=postgres
 * postgres.user=reducer
 * postgres.password=...                      # or the environment variable E2E_POSTGRES_PASSWORD
 * operator.namespace=reducer-system          # optional: the operator's Deployment, for the restart scenarios
 * operator.deployment=reducer-operator
 * </pre>
 *
 * <p>What only the local cluster can do (stop the broker or the database) aborts the scenario that needs it, with a
 * message; JUnit reports it as aborted, not passed.
 */
final class KubeconfigTarget implements ScenarioTarget {

  static final String PASSWORD_VARIABLE = "E2E_POSTGRES_PASSWORD";
  private static final Duration OPERATOR_PATIENCE = Duration.ofMinutes(3);

  private final KubernetesClient client;
  private final String context;
  private final Properties settings;
  private int operatorReplicas = 1;
  private AutoCloseable alsoClose = () -> { };

  private KubeconfigTarget(KubernetesClient client, String context, Properties settings) {
    this.client = client;
    this.context = context;
    this.settings = settings;
  }

  /** Connects as the settings file says and creates the scenarios' namespace if it is missing. */
  static KubeconfigTarget load(Path settingsFile, String namespace) throws IOException {
    Properties settings = new Properties();
    try (Reader reader = Files.newBufferedReader(settingsFile)) {
      settings.load(reader);
    }
    for (String required : new String[] {"kafka.bootstrapServers", "postgres.host", "postgres.port",
        "postgres.user"}) {
      if (settings.getProperty(required, "").isBlank()) {
        throw new IllegalArgumentException(settingsFile + " does not set " + required
            + "; docs/e2e.md lists what a target settings file needs");
      }
    }
    String context = settings.getProperty("context");
    String kubeconfig = settings.getProperty("kubeconfig");
    Config config = kubeconfig == null ? Config.autoConfigure(context)
        : Config.fromKubeconfig(context, Path.of(kubeconfig).toFile());
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    if (client.namespaces().withName(namespace).get() == null) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
    }
    return new KubeconfigTarget(client, context == null ? config.getCurrentContext().getName() : context, settings);
  }

  @Override
  public String describe() {
    return "cluster " + client.getMasterUrl() + " (kubeconfig context " + context + ")";
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public String kafkaBootstrapServers() {
    return settings.getProperty("kafka.bootstrapServers");
  }

  @Override
  public String databaseJdbcUrl() {
    return "jdbc:postgresql://" + settings.getProperty("postgres.host") + ":" + settings.getProperty("postgres.port")
        + "/" + databaseName();
  }

  @Override
  public String databaseUser() {
    return settings.getProperty("postgres.user");
  }

  @Override
  public String databasePassword() {
    String fromEnvironment = System.getenv(PASSWORD_VARIABLE);
    return fromEnvironment != null ? fromEnvironment : settings.getProperty("postgres.password", "");
  }

  @Override
  public String kafkaBootstrapServersInCluster() {
    return settings.getProperty("kafka.bootstrapServers.inCluster", kafkaBootstrapServers());
  }

  @Override
  public String databaseHostInCluster() {
    return settings.getProperty("postgres.host.inCluster", settings.getProperty("postgres.host"));
  }

  @Override
  public int databasePortInCluster() {
    return Integer.parseInt(settings.getProperty("postgres.port.inCluster", settings.getProperty("postgres.port")));
  }

  @Override
  public String databaseName() {
    return settings.getProperty("postgres.database", "postgres");
  }

  /** Force-deletes the pod (grace period 0): its controller replaces it with a new pod, as after a lost node. */
  @Override
  public void killPod(String namespace, String pod) {
    client.pods().inNamespace(namespace).withName(pod).withGracePeriod(0).delete();
  }

  /** Scales the operator's Deployment to 0 and waits until its pods are gone. */
  @Override
  public void stopOperator() {
    Deployment deployment = operatorDeployment();
    Integer replicas = deployment.getSpec().getReplicas();
    operatorReplicas = replicas == null || replicas == 0 ? 1 : replicas;
    operator().scale(0);
    await("the operator's pods end").atMost(OPERATOR_PATIENCE).until(() -> {
      Deployment now = operator().get();
      return now.getStatus() == null || now.getStatus().getReplicas() == null || now.getStatus().getReplicas() == 0;
    });
  }

  /** Scales the operator's Deployment back to its replicas; {@link #operatorReady()} says when it runs. */
  @Override
  public void startOperator() {
    operatorDeployment();
    operator().scale(operatorReplicas);
  }

  /** With no operator Deployment named, the installed operator is taken as running. */
  @Override
  public boolean operatorReady() {
    if (settings.getProperty("operator.deployment") == null) {
      return true;
    }
    Deployment deployment = operator().get();
    return deployment != null && deployment.getStatus() != null && deployment.getStatus().getReadyReplicas() != null
        && deployment.getStatus().getReadyReplicas() > 0;
  }

  @Override
  public Dependency broker() {
    return unsupported("stop and start the Kafka broker");
  }

  @Override
  public Dependency database() {
    return unsupported("stop and start PostgreSQL");
  }

  @Override
  public String dumpWorkloads() {
    StringBuilder out = new StringBuilder("--- workloads in " + describe() + "\n");
    String namespace = ScenarioCluster.NAMESPACE;
    for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
      out.append(String.format("deployment %s replicas=%s ready=%s%n", d.getMetadata().getName(),
          d.getSpec().getReplicas(), d.getStatus() == null ? null : d.getStatus().getReadyReplicas()));
    }
    for (Job j : client.batch().v1().jobs().inNamespace(namespace).list().getItems()) {
      out.append(String.format("job %s active=%s succeeded=%s failed=%s%n", j.getMetadata().getName(),
          j.getStatus() == null ? null : j.getStatus().getActive(),
          j.getStatus() == null ? null : j.getStatus().getSucceeded(),
          j.getStatus() == null ? null : j.getStatus().getFailed()));
    }
    for (Pod p : client.pods().inNamespace(namespace).list().getItems()) {
      ContainerStatus container = p.getStatus() == null || p.getStatus().getContainerStatuses().isEmpty() ? null
          : p.getStatus().getContainerStatuses().get(0);
      out.append(String.format("pod %s phase=%s restarts=%s state=%s%n", p.getMetadata().getName(),
          p.getStatus() == null ? null : p.getStatus().getPhase(),
          container == null ? null : container.getRestartCount(), container == null ? null : container.getState()));
    }
    return out.toString();
  }

  @Override
  public long operatorReconciliations(String kind) throws IOException {
    Deployment deployment = operatorDeployment();
    long total = 0;
    for (Pod pod : client.pods().inNamespace(deployment.getMetadata().getNamespace())
        .withLabels(deployment.getSpec().getSelector().getMatchLabels()).list().getItems()) {
      total += ScenarioTarget.reconciliations(podMetrics(deployment.getMetadata().getNamespace(),
          pod.getMetadata().getName()), kind);
    }
    return total;
  }

  @Override
  public Hold holdJobPods(String namespace, String job) {
    return Assumptions.abort("only the local cluster can keep a Job's pods from starting; on a kubeconfig target"
        + " this scenario is not run");
  }

  @Override
  public Hold refuseWrites(String apiPath) {
    return Assumptions.abort("only the local cluster can make the API server refuse writes; on a kubeconfig target"
        + " this scenario is not run");
  }

  /** Closes {@code resource} after the client, e.g. the local cluster behind a loopback target. */
  KubeconfigTarget closing(AutoCloseable resource) {
    alsoClose = resource;
    return this;
  }

  @Override
  public void close() {
    client.close();
    try {
      alsoClose.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot close " + alsoClose, e);
    }
  }

  private Deployment operatorDeployment() {
    Assumptions.assumeTrue(settings.getProperty("operator.deployment") != null,
        "restarting the operator needs operator.namespace and operator.deployment in the target settings");
    Deployment deployment = operator().get();
    if (deployment == null) {
      throw new IllegalStateException("operator Deployment " + settings.getProperty("operator.namespace") + "/"
          + settings.getProperty("operator.deployment") + " not found in " + describe());
    }
    return deployment;
  }

  private io.fabric8.kubernetes.client.dsl.RollableScalableResource<Deployment> operator() {
    return client.apps().deployments().inNamespace(settings.getProperty("operator.namespace", "default"))
        .withName(settings.getProperty("operator.deployment"));
  }

  private static Dependency unsupported(String what) {
    return Assumptions.abort("only the local cluster can " + what
        + "; on a kubeconfig target this scenario is not run");
  }
}
