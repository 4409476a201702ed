package io.reducer.controller.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.reducer.api.v1alpha1.WatermarkReset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeFiltersTest {

  @Test
  void aFinalizerAddedByTheFrameworkStartsTheFirstReconciliationButAStatusWriteDoesNot() {
    WatermarkReset created = reset(List.of());
    WatermarkReset finalized = reset(List.of("watermarkresets.reducer.io/finalizer"));
    WatermarkReset statusWritten = reset(List.of("watermarkresets.reducer.io/finalizer"));
    statusWritten.getMetadata().setResourceVersion("8");

    assertThat(ChangeFilters.<WatermarkReset>specOrMetadata().accept(finalized, created)).isTrue();
    assertThat(ChangeFilters.<WatermarkReset>specOrMetadata().accept(statusWritten, finalized)).isFalse();
  }

  private static WatermarkReset reset(List<String> finalizers) {
    WatermarkReset reset = new WatermarkReset();
    reset.setMetadata(new ObjectMetaBuilder().withName("r").withNamespace("orders").withGeneration(1L)
        .withResourceVersion("7").withFinalizers(finalizers).build());
    return reset;
  }
}
