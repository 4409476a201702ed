package io.reducer.controller.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ProjectionStatus;
import io.reducer.api.v1alpha1.common.Condition;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import java.io.InterruptedIOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReconcileErrorsTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void aFailedApiRequestShowsAsReconcilingWithTheServersAnswer() {
    ProjectionStatus status = new ProjectionStatus();
    ReconcileErrors.record(status, new RuntimeException("creating the Deployment", apiError(503,
        "etcdserver: request timed out")), 4, NOW);

    Condition reconciling = status.condition("Reconciling").orElseThrow();
    assertThat(reconciling.getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(reconciling.getReason()).isEqualTo("KubernetesApiError");
    assertThat(reconciling.getMessage()).contains("(503)").contains("etcdserver: request timed out")
        .contains("retries");
    assertThat(reconciling.getObservedGeneration()).isEqualTo(4);
  }

  @Test
  void aForbiddenRequestSaysWhichPermissionToGrant() {
    ProjectionStatus status = new ProjectionStatus();
    ReconcileErrors.record(status, apiError(403, "deployments.apps is forbidden: User \"system:serviceaccount:"
        + "ops:reducer-operator\" cannot create resource \"deployments\""), 1, NOW);

    Condition reconciling = status.condition("Reconciling").orElseThrow();
    assertThat(reconciling.getReason()).isEqualTo("KubernetesApiForbidden");
    assertThat(reconciling.getMessage()).contains("cannot create resource \"deployments\"").contains("grant");
    assertThat(ReconcileErrorReason.KubernetesApiForbidden.needsUser()).isTrue();
  }

  @Test
  void anyOtherFailureNamesItsCause() {
    ProjectionStatus status = new ProjectionStatus();
    ReconcileErrors.record(status, new IllegalStateException("no pipeline in cache"), 1, NOW);

    assertThat(status.condition("Reconciling").orElseThrow()).satisfies(c -> {
      assertThat(c.getReason()).isEqualTo("ReconcileFailed");
      assertThat(c.getMessage()).contains("IllegalStateException: no pipeline in cache");
    });
  }

  @Test
  void aReconciliationCutShortByTheOperatorsShutdownLeavesStatusAlone() {
    Projection projection = new Projection();
    projection.setMetadata(new ObjectMetaBuilder().withName("view")
        .withNamespace("orders").withGeneration(2L).build());
    projection.setStatus(new ProjectionStatus());
    KubernetesClientException interrupted = new KubernetesClientException("Operation: [patch] failed",
        new InterruptedIOException());

    var control = ReconcileErrors.report(projection, null, interrupted, ProjectionStatus.class,
        ProjectionStatus::new, NOW);

    assertThat(control.getResource()).as("no status written").isEmpty();
    assertThat(projection.getStatus().condition("Reconciling")).isEmpty();
    assertThat(ReconcileErrors.interrupted(new RuntimeException(new InterruptedException()))).isTrue();
    assertThat(ReconcileErrors.interrupted(apiError(503, "unavailable"))).isFalse();
  }

  @Test
  void clearingRemovesOnlyTheErrorsCondition() {
    ProjectionStatus failed = new ProjectionStatus();
    ReconcileErrors.record(failed, apiError(503, "unavailable"), 1, NOW);
    assertThat(ReconcileErrors.clear(failed.getConditions())).isTrue();
    assertThat(failed.condition("Reconciling")).isEmpty();

    ProjectionStatus converging = new ProjectionStatus();
    Conditions.set(converging.getConditions(), ConditionTypes.RECONCILING, ConditionStatus.True,
        "MaterializersNotReady", "1/3 materializer pods ready", 1, NOW);
    assertThat(ReconcileErrors.clear(converging.getConditions())).isFalse();
    assertThat(converging.condition("Reconciling")).isPresent();
  }

  private static KubernetesClientException apiError(int code, String message) {
    return new KubernetesClientException(new StatusBuilder().withCode(code).withMessage(message).build());
  }
}
