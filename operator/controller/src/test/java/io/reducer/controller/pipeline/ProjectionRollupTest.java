package io.reducer.controller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ProjectionSpec;
import io.reducer.api.v1alpha1.ProjectionStatus;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.common.HealthLevel;
import io.reducer.api.v1alpha1.common.LocalReference;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProjectionRollupTest {

  private static final ReducerPipeline PIPELINE = pipeline();

  @Test
  void countsTheHealthyProjectionsOfThePipelineInItsNamespaceAndKeepsTheWorstLevel() {
    ProjectionRollup rollup = ProjectionRollup.of(PIPELINE, List.of(
        projection("a", "shop", "orders", HealthLevel.Healthy),
        projection("b", "shop", "orders", HealthLevel.Warning),
        projection("c", "shop", "orders", HealthLevel.Healthy),
        projection("other-pipeline", "shop", "payments", HealthLevel.Critical),
        projection("other-namespace", "lab", "orders", HealthLevel.Critical)));

    assertThat(rollup).isEqualTo(new ProjectionRollup(2, 3, HealthLevel.Warning));
    assertThat(rollup.summary()).isEqualTo("2/3");
  }

  @Test
  void aProjectionWithoutStatusOrHealthIsNotHealthyAndCountsAsUnknown() {
    Projection noStatus = projection("a", "shop", "orders", null);
    noStatus.setStatus(null);
    ProjectionRollup rollup = ProjectionRollup.of(PIPELINE, List.of(noStatus,
        projection("b", "shop", "orders", null), projection("c", "shop", "orders", HealthLevel.Warning)));

    assertThat(rollup).isEqualTo(new ProjectionRollup(0, 3, HealthLevel.Unknown));
  }

  @Test
  void criticalWinsAndAPipelineWithoutProjectionsHasNoSummary() {
    assertThat(ProjectionRollup.of(PIPELINE, List.of(projection("a", "shop", "orders", null),
        projection("b", "shop", "orders", HealthLevel.Critical))).worst()).isEqualTo(HealthLevel.Critical);
    ProjectionRollup none = ProjectionRollup.of(PIPELINE, List.of(projection("x", "shop", "payments",
        HealthLevel.Healthy)));
    assertThat(none).isEqualTo(ProjectionRollup.none());
    assertThat(none.summary()).isNull();
    assertThat(none.worst()).isNull();
  }

  private static ReducerPipeline pipeline() {
    ReducerPipeline pipeline = new ReducerPipeline();
    pipeline.setMetadata(new ObjectMetaBuilder().withName("orders").withNamespace("shop").build());
    return pipeline;
  }

  private static Projection projection(String name, String namespace, String pipeline, HealthLevel health) {
    Projection projection = new Projection();
    projection.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    ProjectionSpec spec = new ProjectionSpec();
    spec.setPipelineRef(new LocalReference(pipeline));
    projection.setSpec(spec);
    ProjectionStatus status = new ProjectionStatus();
    status.setHealth(health);
    projection.setStatus(status);
    return projection;
  }
}
