package io.reducer.controller.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.testsupport.kubernetes.MockKubernetes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas on one API server: exactly one leads and reconciles; when it stops (SIGTERM in a rollout or a
 * drain) it gives the Lease up, and the other takes over within about RETRY_PERIOD instead of waiting out the Lease.
 */
class LeaderHandOverTest {

  private static final String NAMESPACE = "orders";
  private static final String LEASE_NAMESPACE = "ops";
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  @Test
  void aStoppingLeaderReleasesTheLeaseAndTheOtherReplicaReconcilesAfterIt() throws Exception {
    try (MockKubernetes kubernetes = MockKubernetes.withCommittedCrds()) {
      KubernetesClient client = kubernetes.client();
      ReducerOperator first = operator(client);
      ReducerOperator second = operator(client);
      boolean firstClosed = false;
      try {
        first.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> first.leaseIdentity().equals(holder(client)));
        second.start();
        pipeline(client, "before");
        await("the leader reconciles").atMost(Duration.ofSeconds(30))
            .until(() -> reconciled(client, "before"));
        // The second replica waits as a candidate: the Lease stays the first's over several of its attempts.
        Thread.sleep(3 * ReducerOperator.RETRY_PERIOD.toMillis());
        assertThat(holder(client)).as("one leader").isEqualTo(first.leaseIdentity());

        long stopped = System.nanoTime();
        first.close();
        firstClosed = true;
        long released = System.nanoTime();
        await("the other replica takes the Lease").atMost(ReducerOperator.LEASE_DURATION.plusSeconds(15))
            .pollInterval(Duration.ofMillis(20)).until(() -> second.leaseIdentity().equals(holder(client)));
        long takenOver = System.nanoTime();
        System.out.printf("leader hand-over: stop %.2f s, Lease taken %.2f s after the stop returned"
            + " (%.2f s after the stop began; bar 3 s)%n", (released - stopped) / 1e9, (takenOver - released) / 1e9,
            (takenOver - stopped) / 1e9);

        pipeline(client, "after");
        await("the new leader reconciles").atMost(Duration.ofSeconds(30)).until(() -> reconciled(client, "after"));
        assertThat(holder(client)).isEqualTo(second.leaseIdentity());
        assertThat(first.fatalFailure()).as("giving the Lease up is no failure").isEmpty();
      } finally {
        if (!firstClosed) {
          first.close();
        }
        second.close();
      }
    }
  }

  private static ReducerOperator operator(KubernetesClient client) throws OperatorConfigException {
    return new ReducerOperator(client, OperatorConfig.parse(List.of("--namespaces", NAMESPACE,
        "--namespace", LEASE_NAMESPACE, "--leader-election", "true", "--client-timeout", "1s",
        "--workloads-image", "registry.test/reducer-workloads:1"), Map.of(), null),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC());
  }

  private static String holder(KubernetesClient client) {
    Lease lease = client.leases().inNamespace(LEASE_NAMESPACE).withName("reducer-operator-lease").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static boolean reconciled(KubernetesClient client, String name) {
    ReducerPipeline pipeline = client.resources(ReducerPipeline.class).inNamespace(NAMESPACE).withName(name).get();
    return pipeline != null && pipeline.getStatus() != null;
  }

  private static void pipeline(KubernetesClient client, String name) {
    String yaml = String.join("\n", "apiVersion: reducer.io/v1alpha1", "kind: ReducerPipeline",
        "metadata: {name: " + name + ", namespace: " + NAMESPACE + "}",
        "spec:", "  kafka: {bootstrapServers: '127.0.0.1:1'}",
        "  topics:",
        "    actions: {name: " + name + ".actions, partitions: 1, replicationFactor: 1}",
        "    stateCommitted: {name: " + name + ".state-committed, partitions: 1, replicationFactor: 1}",
        "    dlq: {name: " + name + ".dlq, partitions: 1, replicationFactor: 1}",
        "  postgres: {host: 127.0.0.1, port: 1, database: postgres, schema: public, sslMode: disable,",
        "    credentials: {secretName: pg, usernameKey: username, passwordKey: password}}",
        "  reducer: {replicas: 1}");
    client.resources(ReducerPipeline.class).inNamespace(NAMESPACE).resource(YAML.unmarshal(yaml, ReducerPipeline.class))
        .create();
  }
}
