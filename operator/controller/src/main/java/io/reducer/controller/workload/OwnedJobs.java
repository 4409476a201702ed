package io.reducer.controller.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Finds the Job of a one-shot resource by name <em>and</em> owner: a Job counts only when its controller owner
 * reference carries the resource's uid. A resource deleted and created again under the same name has the old one's
 * Job name, and the old Job may still exist (Kubernetes deletes it in the background, or it was orphaned); adopting it
 * would take its result for the new resource's. Such a Job is reported as foreign and blocks, never adopted.
 */
public final class OwnedJobs {

  /** Condition reason of a resource whose Job name is taken by a Job it does not own. */
  public static final String NOT_OWNED = "JobNotOwned";

  private OwnedJobs() {
  }

  /**
   * What was found under a Job name.
   *
   * @param owned the Job the resource owns; null when there is none
   * @param foreign a Job of that name owned by something else (or nothing); null when there is none
   */
  public record Lookup(Job owned, Job foreign) {

    public static final Lookup NONE = new Lookup(null, null);
  }

  /**
   * @param cached Jobs from the informer, mapped to the owner by name
   * @param fetch the Job of that name from the API server, for when the informer has not seen it yet; may return null
   */
  public static Lookup find(HasMetadata owner, String name, Collection<Job> cached, Supplier<Job> fetch) {
    Job job = cached.stream().filter(j -> name.equals(j.getMetadata().getName())).findFirst()
        .orElseGet(fetch);
    if (job == null) {
      return Lookup.NONE;
    }
    return owns(owner, job) ? new Lookup(job, null) : new Lookup(null, job);
  }

  /** Whether the Job's controller owner reference is this resource (its uid). */
  public static boolean owns(HasMetadata owner, Job job) {
    String uid = owner.getMetadata().getUid();
    List<OwnerReference> references = job.getMetadata().getOwnerReferences();
    return uid != null && references != null && references.stream()
        .anyMatch(r -> Boolean.TRUE.equals(r.getController()) && Objects.equals(uid, r.getUid()));
  }

  /** Why a foreign Job blocks, and what to do about it. */
  public static String notOwnedMessage(HasMetadata owner, Job job) {
    List<OwnerReference> references = job.getMetadata().getOwnerReferences();
    String ownedBy = references == null || references.isEmpty() ? "no owner"
        : references.stream().map(r -> r.getKind() + " " + r.getName() + " (uid " + r.getUid() + ")")
            .reduce((a, b) -> a + ", " + b).orElse("");
    return "Job " + job.getMetadata().getName() + " exists but belongs to " + ownedBy + ", not to this " + owner.getKind()
        + " (uid " + owner.getMetadata().getUid() + "); it is not adopted. A Job of a deleted " + owner.getKind()
        + " of the same name is deleted by Kubernetes shortly; otherwise delete it (kubectl delete job "
        + job.getMetadata().getName() + " -n " + job.getMetadata().getNamespace() + ") and this "
        + owner.getKind() + " starts its own";
  }
}
