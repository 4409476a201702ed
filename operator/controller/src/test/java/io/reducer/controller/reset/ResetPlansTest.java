package io.reducer.controller.reset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reducer.api.v1alpha1.reset.ResetTargetType;
import org.junit.jupiter.api.Test;

class ResetPlansTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Every target a WatermarkReset may name is one the reset command plans, under the same name in the spec. */
  @Test
  void everySpecTargetTypeIsAPlannerTargetTypeOfTheSameSpecName() throws Exception {
    for (ResetTargetType spec : ResetTargetType.values()) {
      String specName = JSON.writeValueAsString(spec).replace("\"", "");

      assertThat(ResetPlans.targetType(spec).specName()).isEqualTo(specName);
    }
  }
}
