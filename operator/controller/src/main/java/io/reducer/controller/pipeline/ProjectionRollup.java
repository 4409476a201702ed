package io.reducer.controller.pipeline;

import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.common.HealthLevel;
import io.reducer.controller.status.HealthClassifier;
import java.util.List;
import java.util.Objects;

/**
 * The projections of a pipeline summed up: how many are healthy, and the worst level among them. A projection
 * counts when its spec.pipelineRef names the pipeline in the same namespace; one without a health yet (not probed,
 * no status) is not healthy and counts as Unknown.
 *
 * @param worst the worst health among the projections; null when there are none
 */
public record ProjectionRollup(int healthy, int total, HealthLevel worst) {

  /** A pipeline without projections. */
  public static ProjectionRollup none() {
    return new ProjectionRollup(0, 0, null);
  }

  /** @param projections projections of any pipeline and namespace; those of {@code pipeline} are picked out */
  public static ProjectionRollup of(ReducerPipeline pipeline, List<Projection> projections) {
    String namespace = pipeline.getMetadata().getNamespace();
    String name = pipeline.getMetadata().getName();
    int healthy = 0;
    int total = 0;
    HealthClassifier worst = new HealthClassifier();
    for (Projection projection : projections) {
      if (!Objects.equals(namespace, projection.getMetadata().getNamespace()) || projection.getSpec() == null
          || projection.getSpec().getPipelineRef() == null
          || !name.equals(projection.getSpec().getPipelineRef().getName())) {
        continue;
      }
      total++;
      HealthLevel level = projection.getStatus() == null || projection.getStatus().getHealth() == null
          ? HealthLevel.Unknown : projection.getStatus().getHealth();
      if (level == HealthLevel.Healthy) {
        healthy++;
      }
      worst.finding(true, level);
    }
    return total == 0 ? none() : new ProjectionRollup(healthy, total, worst.level());
  }

  /** For status.projectionsHealthy, e.g. 2/3; null when the pipeline has no projection. */
  public String summary() {
    return total == 0 ? null : healthy + "/" + total;
  }
}
