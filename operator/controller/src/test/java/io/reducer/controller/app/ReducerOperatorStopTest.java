package io.reducer.controller.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import io.reducer.testsupport.kubernetes.MockKubernetes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stopping the operator (SIGTERM in a rollout or a node drain) lets the reconciliations that are running end. One
 * interrupted between its API calls would leave a Job created without the status and the Event that tell of it.
 */
class ReducerOperatorStopTest {

  private static final String NAMESPACE = "orders";
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final Duration SLOW_ANSWER = Duration.ofSeconds(2);

  @Test
  void aReconciliationRunningAtCloseWritesItsStatusAndEventBeforeTheOperatorStops() throws Exception {
    CountDownLatch jobCreated = new CountDownLatch(1);
    // The API answers the creation of a Job late, so the operator is stopped while it waits for that answer.
    KubernetesCrudDispatcher slowJobs = new KubernetesCrudDispatcher(new ArrayList<>()) {
      @Override
      public MockResponse handleCreate(RecordedRequest request) {
        MockResponse response = super.handleCreate(request);
        if (request.getPath().startsWith("/apis/batch/v1/namespaces/" + NAMESPACE + "/jobs")) {
          jobCreated.countDown();
          response.setBodyDelay(SLOW_ANSWER);
        }
        return response;
      }
    };
    try (MockKubernetes kubernetes = MockKubernetes.withCommittedCrds(slowJobs)) {
      KubernetesClient client = kubernetes.client();
      create(client, ReducerPipeline.class, "kind: ReducerPipeline", "metadata: {name: orders, namespace: orders}",
          "spec:", "  kafka: {bootstrapServers: '127.0.0.1:1'}",
          "  topics:",
          "    actions: {name: orders.actions, partitions: 1, replicationFactor: 1}",
          "    stateCommitted: {name: orders.state-committed, partitions: 1, replicationFactor: 1}",
          "    dlq: {name: orders.dlq, partitions: 1, replicationFactor: 1}",
          "  postgres: {host: 127.0.0.1, port: 1, database: postgres, schema: public, sslMode: disable,",
          "    credentials: {secretName: pg, usernameKey: username, passwordKey: password}}",
          "  reducer: {replicas: 1}");
      create(client, DlqReplay.class, "kind: DlqReplay", "metadata: {name: fix, namespace: orders}",
          "spec: {pipelineRef: {name: orders}}");
      ReducerOperator operator = new ReducerOperator(client, OperatorConfig.parse(List.of("--namespaces", NAMESPACE,
          "--namespace", NAMESPACE, "--leader-election", "false", "--client-timeout", "1s",
          "--workloads-image", "registry.test/reducer-workloads:1"), Map.of(), null),
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC());
      operator.start();
      assertThat(jobCreated.await(60, TimeUnit.SECONDS)).as("the operator creates the inspect Job").isTrue();

      long started = System.nanoTime();
      operator.close();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(ReducerOperator.RECONCILIATION_GRACE);

      DlqReplay replay = client.resources(DlqReplay.class).inNamespace(NAMESPACE).withName("fix").get();
      assertThat(replay.getStatus()).as("status of the reconciliation that was running").isNotNull();
      assertThat(replay.getStatus().getPhase()).isEqualTo(DlqReplayPhase.Previewing);
      assertThat(replay.getStatus().getJobName()).isEqualTo("fix-inspect");
      assertThat(client.v1().events().inNamespace(NAMESPACE).list().getItems())
          .filteredOn(e -> e.getInvolvedObject().getName().equals("fix")).extracting(Event::getReason)
          .containsExactly("PreviewStarted");
    }
  }

  @Test
  void closingAfterWinningTheLeaseIsNoFailureAndLeavesTheProcessRunning() throws Exception {
    try (MockKubernetes kubernetes = MockKubernetes.withCommittedCrds()) {
      KubernetesClient client = kubernetes.client();
      ReducerOperator operator = new ReducerOperator(client, OperatorConfig.parse(List.of("--namespaces", NAMESPACE,
          "--namespace", "ops", "--leader-election", "true", "--workloads-image", "registry.test/reducer-workloads:1"),
          Map.of(), null), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC());
      operator.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> holder(client) != null && !holder(client).isEmpty());

      // The framework's default here was System.exit(1) in this thread: in the JVM's shutdown hook it blocks for good.
      operator.close();

      assertThat(operator.fatalFailure()).isEmpty();
    }
  }

  private static String holder(KubernetesClient client) {
    Lease lease = client.leases().inNamespace("ops").withName("reducer-operator-lease").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> void create(KubernetesClient client,
      Class<T> kind, String... lines) {
    String yaml = "apiVersion: reducer.io/v1alpha1\n" + String.join("\n", lines);
    client.resources(kind).inNamespace(NAMESPACE).resource(YAML.unmarshal(yaml, kind)).create();
  }
}
