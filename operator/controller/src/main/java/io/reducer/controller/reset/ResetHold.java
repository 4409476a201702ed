package io.reducer.controller.reset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.common.LocalReference;
import java.net.HttpURLConnection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A reset's hold on what it resets: the annotation {@value #ANNOTATION} naming the reset, on the Projection (its
 * materializers stay at zero replicas) or on the ReducerPipeline (its reducers stay at zero; its projections keep
 * running). A hold counts while it names a reset that exists, targets that resource and has not finished; a stale
 * hold is released by the resource's own reconciler. Taking and giving up the hold are the only writes a reset makes
 * to the resource's metadata (the other is its status.completedResets, see {@link CompletedResets}); the operator
 * never writes a spec.
 *
 * @param <T> Projection or ReducerPipeline
 */
public final class ResetHold<T extends HasMetadata> {

  public static final String ANNOTATION = "reducer.io/held-by-reset";

  private static final com.fasterxml.jackson.databind.ObjectMapper PATCH_JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private final KubernetesClient client;
  private final Class<T> type;
  private final ResetSubject subject;

  private ResetHold(KubernetesClient client, Class<T> type, ResetSubject subject) {
    this.client = client;
    this.type = type;
    this.subject = subject;
  }

  /** Holds on projections, taken by resets with spec.projectionRef. */
  public static ResetHold<Projection> projections(KubernetesClient client) {
    return new ResetHold<>(client, Projection.class, ResetSubject.PROJECTION);
  }

  /** Holds on pipelines' reducers, taken by resets with spec.pipelineRef. */
  public static ResetHold<ReducerPipeline> pipelines(KubernetesClient client) {
    return new ResetHold<>(client, ReducerPipeline.class, ResetSubject.REDUCERS);
  }

  /** The reset named by the resource's annotation, or null. */
  public static String holder(HasMetadata resource) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(ANNOTATION);
  }

  /**
   * A hold counts while its reset exists, targets the resource {@code name} of this kind and has not finished. A
   * reset marked for deletion lets go at once unless it is a Shadow rebuild: the others' cleanup never needs what
   * they held stopped, and a projection reconciled before their finalizer goes (an operator restarted after the
   * delete) must not wait for the deletion's event to run again. A Shadow rebuild may be mid-cutover; its cleanup
   * releases the hold itself once the cutover or the discard has ended.
   */
  public boolean live(WatermarkReset reset, String name) {
    if (reset == null || reset.getSpec() == null || ResetSubject.of(reset) != subject
        || reset.isMarkedForDeletion() && !ShadowRebuilds.applies(reset)) {
      return false;
    }
    LocalReference reference = subject.reference(reset.getSpec());
    return reference != null && name.equals(reference.getName())
        && (reset.getStatus() == null || reset.getStatus().getPhase() == null
            || !reset.getStatus().getPhase().isTerminal());
  }

  /**
   * The reset holding {@code resource}, or null. A hold whose reset is gone or finished is removed: a reset deleted
   * mid-way must never leave what it held stopped.
   *
   * @param lookup the reset of a name in the resource's namespace, or null when it does not exist (the caller asks
   *     the API server when its cache does not have it: not cached yet is not the same as deleted)
   */
  public String liveHolder(T resource, Function<String, WatermarkReset> lookup) {
    String holder = holder(resource);
    if (holder == null) {
      return null;
    }
    if (live(lookup.apply(holder), resource.getMetadata().getName())) {
      return holder;
    }
    release(resource.getMetadata().getNamespace(), resource.getMetadata().getName(), holder);
    return null;
  }

  /**
   * Takes the hold for {@code reset} unless another live reset has it. The annotation is written with the
   * resourceVersion it was read at, so of two resets (or two operator processes) taking the hold at once exactly one
   * wins: the other's write is refused with a conflict, whatever it decided from what it read.
   *
   * @param other whether a reset of that name is live (looked up by the caller)
   * @return the reset that holds the resource now ({@code reset} when it won), or null when nothing can be said:
   *     the resource is gone, or it changed while the hold was written (look again)
   */
  public synchronized String take(String namespace, String name, String reset, Predicate<String> other) {
    T current = client.resources(type).inNamespace(namespace).withName(name).get();
    if (current == null) {
      return null;
    }
    String holder = holder(current);
    if (reset.equals(holder)) {
      return reset;
    }
    if (holder != null && other.test(holder)) {
      return holder;
    }
    // A merge patch of the annotation alone, with the resourceVersion read above as its precondition: the API server
    // refuses it (409) if anyone wrote in between, for instance another reset taking the hold.
    Map<String, Object> patch = Map.of("metadata", Map.of(
        "resourceVersion", current.getMetadata().getResourceVersion(),
        "annotations", Map.of(ANNOTATION, reset)));
    try {
      client.resources(type).inNamespace(namespace).withName(name)
          .patch(PatchContext.of(PatchType.JSON_MERGE), PATCH_JSON.writeValueAsString(patch));
      return reset;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT || e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return null;
      }
      throw e;
    }
  }

  /** Gives up the hold if {@code reset} (or, with null, anyone) has it. */
  public synchronized void release(String namespace, String name, String reset) {
    T current = client.resources(type).inNamespace(namespace).withName(name).get();
    String holder = current == null ? null : holder(current);
    if (holder == null || (reset != null && !reset.equals(holder))) {
      return;
    }
    client.resources(type).inNamespace(namespace).withName(name).edit(r -> {
      if (r.getMetadata().getAnnotations() != null) {
        Map<String, String> annotations = new LinkedHashMap<>(r.getMetadata().getAnnotations());
        annotations.remove(ANNOTATION);
        r.getMetadata().setAnnotations(annotations);
      }
      return r;
    });
  }
}
