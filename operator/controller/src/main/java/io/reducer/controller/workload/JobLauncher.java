package io.reducer.controller.workload;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.List;

/** Creates the operator's one-shot Jobs and reads their pods; the only place that writes Jobs. */
public final class JobLauncher {

  private final KubernetesClient client;

  public JobLauncher(KubernetesClient client) {
    this.client = client;
  }

  /** Creates the Job unless one of that name exists already (a restarted operator must not start a second). */
  public void launch(Job job) {
    try {
      client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).resource(job).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
  }

  /**
   * What became of the Job, from its status and its pods: a finished pod's termination message, or a pod that
   * cannot start. Pods are listed on every call; one-shot Jobs are few and short-lived.
   */
  public JobOutcome outcome(Job job) {
    return JobOutcome.of(job, pods(job));
  }

  /** The pods a Job ran, found by the job-name label Kubernetes puts on them. */
  public List<Pod> pods(Job job) {
    return client.pods().inNamespace(job.getMetadata().getNamespace())
        .withLabel("job-name", job.getMetadata().getName()).list().getItems();
  }

  /**
   * Deletes the owner's Job of that name and, in the background, its pods. A Job of that name that the owner does not
   * own (a deleted namesake's, or someone else's) is left alone: cancelling one resource never stops another's work.
   */
  public void deleteOwned(HasMetadata owner, String name) {
    var resource = client.batch().v1().jobs().inNamespace(owner.getMetadata().getNamespace()).withName(name);
    Job job = resource.get();
    if (job != null && OwnedJobs.owns(owner, job)) {
      resource.withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    }
  }
}
