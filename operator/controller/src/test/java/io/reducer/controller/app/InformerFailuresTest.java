package io.reducer.controller.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.reducer.testsupport.kubernetes.MockKubernetes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An informer that stops on an error after it synced leaves the operator blind: it is remembered, reported once
 * and never ends the process itself; shutdowns (even with an error) and start-up failures are not.
 */
class InformerFailuresTest {

  private static MockKubernetes kubernetes;
  private static SharedIndexInformer<ConfigMap> synced;

  @BeforeAll
  static void startInformer() {
    kubernetes = MockKubernetes.withCommittedCrds();
    synced = kubernetes.client().configMaps().inNamespace("orders").inform();
  }

  @AfterAll
  static void stop() {
    synced.close();
    kubernetes.close();
  }

  @Test
  void aSyncedInformerStoppedByAnErrorIsAFailureReportedOnce() {
    InformerFailures failures = new InformerFailures();
    List<String> reported = new ArrayList<>();
    failures.onFailure(reported::add);

    failures.onStop(synced, new KubernetesClientException("watch refused: 403 Forbidden"));
    failures.onStop(synced, new KubernetesClientException("a second one"));

    assertThat(failures.failure()).hasValueSatisfying(failure -> assertThat(failure)
        .contains("ConfigMap").contains("watch refused: 403 Forbidden"));
    assertThat(reported).as("the first failure, once").hasSize(1).first().asString().contains("403 Forbidden");
  }

  @Test
  void aListenerRegisteredAfterTheFailureHearsOfItAtOnce() {
    InformerFailures failures = new InformerFailures();
    failures.onStop(synced, new KubernetesClientException("watch refused"));
    List<String> reported = new ArrayList<>();

    failures.onFailure(reported::add);

    assertThat(reported).hasSize(1);
  }

  @Test
  void aShutdownAndAStartUpFailureAreNotFailures() {
    InformerFailures failures = new InformerFailures();
    SharedIndexInformer<ConfigMap> neverStarted = kubernetes.client().configMaps().inNamespace("orders")
        .runnableInformer(0);

    failures.onStop(synced, null);
    failures.onStop(neverStarted, new KubernetesClientException("cannot list"));

    assertThat(failures.failure()).isEmpty();
  }

  @Test
  void anErrorWhileTheOperatorStopsIsPartOfTheShutdown() {
    InformerFailures failures = new InformerFailures();
    failures.stopping();

    failures.onStop(synced, new KubernetesClientException("watch cut short"));

    assertThat(failures.failure()).isEmpty();
  }

  @Test
  void aLeaseLostWhileRunningIsAFailureAndGivingItUpWhileStoppingIsNot() {
    InformerFailures running = new InformerFailures();
    List<String> reported = new ArrayList<>();
    running.onFailure(reported::add);
    running.leaseLost("ops/reducer-operator-lease");
    assertThat(reported).singleElement().asString().contains("Lease ops/reducer-operator-lease was lost");

    InformerFailures stopping = new InformerFailures();
    stopping.stopping();
    stopping.leaseLost("ops/reducer-operator-lease");
    assertThat(stopping.failure()).isEmpty();
  }
}
