package io.reducer.controller.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ProjectionStatus;
import java.util.function.UnaryOperator;

/**
 * What the operator's informers keep of each resource. An informer holds every resource of its kind in memory for
 * as long as the operator runs, and four controllers watch Projections: with 1,000 Projections that was four full
 * copies of each, per-partition lag and condition messages included. So:
 *
 * <ul>
 *   <li>no informer keeps {@code metadata.managedFields}, which the API server adds to every object (an entry per
 *       writer, listing every field it set) and nothing in the operator reads;
 *   <li>the Projection informers of the ReducerPipeline, WatermarkReset and DlqReplay controllers keep the
 *       metadata, the spec and only the status fields those controllers read ({@link #leanProjection}); the
 *       Projection controller's own cache keeps the whole resource.
 * </ul>
 *
 * <p>Only the stored copy is trimmed: an informer's handlers still get the full new object of an event (and the
 * trimmed old one).
 */
public final class LeanStores {

  private LeanStores() {
  }

  /** A store that keeps resources without their managedFields. */
  public static <R extends HasMetadata> ItemStore<R> withoutManagedFields() {
    return new Trimming<>(LeanStores::withoutManagedFields);
  }

  /** A store for a Projection informer of a controller that reads only what {@link #leanProjection} keeps. */
  public static ItemStore<Projection> leanProjections() {
    return new Trimming<>(LeanStores::leanProjection);
  }

  /**
   * Metadata (without managedFields), spec, and of the status: observedGeneration, health, replicas,
   * readyReplicas, activeReset and completedResets. Not partitionLag, conditions, the lag and watermark figures.
   */
  public static Projection leanProjection(Projection projection) {
    Projection lean = new Projection();
    lean.setMetadata(withoutManagedFields(projection).getMetadata());
    lean.setSpec(projection.getSpec());
    ProjectionStatus status = projection.getStatus();
    if (status != null) {
      ProjectionStatus kept = new ProjectionStatus();
      kept.setObservedGeneration(status.getObservedGeneration());
      kept.setHealth(status.getHealth());
      kept.setReplicas(status.getReplicas());
      kept.setReadyReplicas(status.getReadyReplicas());
      kept.setActiveReset(status.getActiveReset());
      kept.setCompletedResets(status.getCompletedResets());
      lean.setStatus(kept);
    }
    return lean;
  }

  private static <R extends HasMetadata> R withoutManagedFields(R resource) {
    if (resource.getMetadata() != null) {
      resource.getMetadata().setManagedFields(null);
    }
    return resource;
  }

  private static final class Trimming<R extends HasMetadata> extends BasicItemStore<R> {

    private final UnaryOperator<R> trim;

    Trimming(UnaryOperator<R> trim) {
      super(Cache::metaNamespaceKeyFunc);
      this.trim = trim;
    }

    @Override
    public R put(String key, R resource) {
      return super.put(key, trim.apply(resource));
    }
  }
}
