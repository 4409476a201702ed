package io.reducer.e2e.scenarios;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.reducer.e2e.LocalCluster;
import io.reducer.testsupport.internal.Hold;

/** The scenarios on the local cluster: everything runs on this machine and the test controls all of it. */
final class LocalTarget implements ScenarioTarget {

  private final LocalCluster cluster;

  private LocalTarget(LocalCluster cluster) {
    this.cluster = cluster;
  }

  static LocalTarget start(String namespace, String... operatorArgs) throws Exception {
    return new LocalTarget(LocalCluster.start(namespace, operatorArgs));
  }

  @Override
  public String describe() {
    return "local cluster";
  }

  @Override
  public KubernetesClient client() {
    return cluster.client();
  }

  @Override
  public String kafkaBootstrapServers() {
    return cluster.kafka().bootstrapServers();
  }

  @Override
  public String databaseJdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + cluster.postgres().port() + "/" + databaseName();
  }

  @Override
  public String databaseUser() {
    return cluster.postgres().user();
  }

  @Override
  public String databasePassword() {
    return cluster.postgres().password();
  }

  @Override
  public String kafkaBootstrapServersInCluster() {
    return kafkaBootstrapServers();
  }

  @Override
  public String databaseHostInCluster() {
    return "127.0.0.1";
  }

  @Override
  public int databasePortInCluster() {
    return cluster.postgres().port();
  }

  @Override
  public String databaseName() {
    return "postgres";
  }

  /** kill -9 of the container's process; the kubelet restarts it in place as a real one would. */
  @Override
  public void killPod(String namespace, String pod) {
    cluster.kubelet().kill(namespace, pod);
  }

  @Override
  public void stopOperator() {
    cluster.stopOperator();
  }

  @Override
  public void startOperator() throws Exception {
    cluster.startOperator();
  }

  @Override
  public boolean operatorReady() {
    return cluster.operatorReady();
  }

  @Override
  public long operatorReconciliations(String kind) {
    return ScenarioTarget.reconciliations(cluster.registry().scrape(), kind);
  }

  @Override
  public Hold holdJobPods(String namespace, String job) {
    return cluster.kubelet().holdJobPods(namespace, job);
  }

  @Override
  public Hold refuseWrites(String apiPath) {
    return cluster.kubernetes().refuseWrites(apiPath);
  }

  @Override
  public Dependency broker() {
    return dependency(cluster.kafka()::stop, cluster.kafka()::kill, cluster.kafka()::restart);
  }

  @Override
  public Dependency database() {
    return dependency(cluster.postgres()::stop, cluster.postgres()::kill, cluster.postgres()::restart);
  }

  private static Dependency dependency(Runnable stop, Runnable kill, Runnable start) {
    return new Dependency() {
      @Override
      public void stop() {
        stop.run();
      }

      @Override
      public void kill() {
        kill.run();
      }

      @Override
      public void start() {
        start.run();
      }
    };
  }

  @Override
  public String dumpWorkloads() {
    return cluster.operatorFailure().map(failure -> "THE OPERATOR FAILED: " + failure + "\n\n").orElse("")
        + cluster.kubelet().dump();
  }

  @Override
  public void close() {
    cluster.close();
  }
}
