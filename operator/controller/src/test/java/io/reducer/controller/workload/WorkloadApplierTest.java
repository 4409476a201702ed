package io.reducer.controller.workload;

import static io.reducer.controller.workload.MaterializerDeploymentTest.example;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.controller.connections.SecretSource;
import io.reducer.testsupport.kubernetes.MockKubernetes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Creating and updating owned Deployments on the mock API server, with a cache that lags behind it. */
class WorkloadApplierTest {

  private static final SecretSource NO_SECRETS = (namespace, name) -> Optional.empty();

  private final MockKubernetes kubernetes = MockKubernetes.withCommittedCrds();
  private final KubernetesClient client = kubernetes.client();
  private final Projection projection = example("projection.yaml", Projection.class);
  private final ReducerPipeline pipeline = example("reducerpipeline.yaml", ReducerPipeline.class);
  private final List<String> written = new ArrayList<>();
  private final WorkloadApplier applier = new WorkloadApplier(client,
      (created, deployment) -> written.add((created ? "created " : "updated ") + deployment.getMetadata().getName()
          + " with " + deployment.getSpec().getReplicas() + " replicas"));

  @AfterEach
  void stop() {
    kubernetes.close();
  }

  @Test
  void whatItWritesIsHandedOnForTheCacheAsTheServerReturnedIt() {
    Deployment created = applier.apply(projection, desired(2), null) == WorkloadApplier.Outcome.CREATED
        ? stored() : null;
    assertThat(created).isNotNull();

    assertThat(applier.apply(projection, desired(3), created)).isEqualTo(WorkloadApplier.Outcome.UPDATED);
    assertThat(applier.scale(stored(), 1)).isEqualTo(WorkloadApplier.Outcome.UPDATED);

    assertThat(written).containsExactly("created workflow-projection-materializer with 2 replicas",
        "updated workflow-projection-materializer with 3 replicas",
        "updated workflow-projection-materializer with 1 replicas");
  }

  /**
   * The informer has not delivered the Deployment an earlier reconciliation created: the cache says there is none.
   * Creating it again is refused (409); that is not a failure of the reconciliation, and nothing is created twice.
   */
  @Test
  void aDeploymentTheCacheDoesNotShowYetIsNotCreatedTwice() {
    applier.apply(projection, desired(2), null);
    written.clear();

    assertThat(applier.apply(projection, desired(2), null)).isEqualTo(WorkloadApplier.Outcome.UNCHANGED);
    assertThat(written).isEmpty();

    assertThat(applier.apply(projection, desired(4), null)).isEqualTo(WorkloadApplier.Outcome.UPDATED);
    assertThat(stored().getSpec().getReplicas()).isEqualTo(4);
    assertThat(written).containsExactly("updated workflow-projection-materializer with 4 replicas");
  }

  private Deployment desired(int replicas) {
    return MaterializerDeployment.build(projection, pipeline, "ghcr.io/reducer/workloads:0.1.0", replicas,
        NO_SECRETS);
  }

  private Deployment stored() {
    return client.apps().deployments().inNamespace("orders").withName("workflow-projection-materializer").get();
  }
}
