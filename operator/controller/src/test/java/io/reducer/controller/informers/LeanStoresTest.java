package io.reducer.controller.informers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ProjectionSpec;
import io.reducer.api.v1alpha1.ProjectionStatus;
import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.HealthLevel;
import io.reducer.api.v1alpha1.projection.PartitionLag;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeanStoresTest {

  @Test
  void theOtherControllersCopyOfAProjectionKeepsWhatTheyReadAndNotItsFigures() {
    Projection projection = new Projection();
    projection.setMetadata(new ObjectMetaBuilder().withName("view").withNamespace("orders").withGeneration(3L)
        .withResourceVersion("17").addToAnnotations("reducer.io/held-by", "reset")
        .withManagedFields(new ManagedFieldsEntryBuilder().withManager("reducer-operator").build()).build());
    projection.setSpec(new ProjectionSpec());
    projection.getSpec().setTable("orders_view");
    ProjectionStatus status = new ProjectionStatus();
    status.setObservedGeneration(3L);
    status.setHealth(HealthLevel.Warning);
    status.setReplicas(2);
    status.setReadyReplicas(1);
    status.setActiveReset("reset");
    status.setConsumerLag(12L);
    status.setPartitionLag(List.of(new PartitionLag()));
    status.setConditions(List.of(new Condition()));
    projection.setStatus(status);

    ItemStore<Projection> store = LeanStores.leanProjections();
    store.put(store.getKey(projection), projection);
    Projection kept = store.get("orders/view");

    assertThat(kept.getMetadata().getName()).isEqualTo("view");
    assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("17");
    assertThat(kept.getMetadata().getAnnotations()).containsEntry("reducer.io/held-by", "reset");
    assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(kept.getSpec().getTable()).isEqualTo("orders_view");
    assertThat(kept.getStatus().getHealth()).isEqualTo(HealthLevel.Warning);
    assertThat(kept.getStatus().getReplicas()).isEqualTo(2);
    assertThat(kept.getStatus().getReadyReplicas()).isEqualTo(1);
    assertThat(kept.getStatus().getActiveReset()).isEqualTo("reset");
    assertThat(kept.getStatus().getObservedGeneration()).isEqualTo(3L);
    assertThat(kept.getStatus().getConsumerLag()).isNull();
    assertThat(kept.getStatus().getPartitionLag()).isEmpty();
    assertThat(kept.getStatus().getConditions()).isEmpty();
  }

  @Test
  void noInformerKeepsManagedFields() {
    Deployment deployment = new Deployment();
    deployment.setMetadata(new ObjectMetaBuilder().withName("view-materializer").withNamespace("orders")
        .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kube-controller-manager").build()).build());

    ItemStore<Deployment> store = LeanStores.withoutManagedFields();
    store.put(store.getKey(deployment), deployment);

    assertThat(store.get("orders/view-materializer").getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(store.size()).isEqualTo(1);
  }
}
