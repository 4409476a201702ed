package io.reducer.controller.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.reducer.api.v1alpha1.ProjectionStatus;
import io.reducer.api.v1alpha1.reset.CompletedReset;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusWriterTest {

  @Test
  void withNoOtherWriterTheDesiredStatusIsWritten() {
    ProjectionStatus observed = status(1, "reset-a");
    ProjectionStatus desired = status(2, "reset-a");

    assertThat(StatusWriter.same(StatusWriter.changedFields(observed, desired, observed), desired)).isTrue();
    assertThat(StatusWriter.same(StatusWriter.changedFields(observed, desired, status(1, "reset-a")), desired))
        .as("a fresh copy of what was observed").isTrue();
  }

  @Test
  void aRetryAfterAConflictKeepsWhatAnotherReconcilerWroteMeanwhile() {
    ProjectionStatus observed = status(1, "reset-a");
    // This reconciliation scaled up and carried the completed resets over as it read them.
    ProjectionStatus desired = status(2, "reset-a");
    // Meanwhile a WatermarkReset recorded its completion on the Projection: the write got a 409.
    ProjectionStatus current = status(1, "reset-a", "reset-b");

    ProjectionStatus retried = StatusWriter.changedFields(observed, desired, current);

    assertThat(retried.getReplicas()).isEqualTo(2);
    assertThat(retried.getCompletedResets()).extracting(CompletedReset::getName).containsExactly("reset-a", "reset-b");
  }

  @Test
  void aFieldThisReconciliationChangedWinsOverTheOtherWriters() {
    ProjectionStatus observed = status(1);
    ProjectionStatus desired = status(3);
    ProjectionStatus current = status(2);

    assertThat(StatusWriter.changedFields(observed, desired, current).getReplicas()).isEqualTo(3);
  }

  private static ProjectionStatus status(int replicas, String... completed) {
    ProjectionStatus status = new ProjectionStatus();
    status.setReplicas(replicas);
    if (completed.length > 0) {
      status.setCompletedResets(List.of(completed).stream().map(name -> {
        CompletedReset reset = new CompletedReset();
        reset.setName(name);
        return reset;
      }).toList());
    }
    return status;
  }
}
