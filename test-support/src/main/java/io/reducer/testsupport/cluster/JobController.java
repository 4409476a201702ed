package io.reducer.testsupport.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Job controller for Jobs of one pod at a time (completions and parallelism 1): runs a pod, counts it as
 * succeeded or failed when it ends (a pod deleted while running counts as failed), replaces a failed pod after a
 * doubling backoff until {@code backoffLimit} is exceeded, and enforces {@code activeDeadlineSeconds}. Reports
 * {@code SuccessCriteriaMet} and {@code Complete}, or {@code FailureTarget} and then, once no pod process runs any
 * more, {@code Failed}. A suspended Job runs nothing. The deadline is checked on every pass, i.e. at least once per
 * resync period.
 */
final class JobController {

  private static final Logger LOG = LoggerFactory.getLogger(JobController.class);
  private static final int DEFAULT_BACKOFF_LIMIT = 6;

  private final ClusterApi api;
  private final Kubelet kubelet;
  private final Worker worker;
  private final LocalKubeletOptions options;
  /** Per Job uid: which pods are counted already and which were seen running, to count vanished ones. */
  private final Map<String, Tracking> tracking = new HashMap<>();

  private static final class Tracking {
    final Set<String> counted = new HashSet<>();
    final Set<String> active = new HashSet<>();
    Instant lastFailure;
  }

  JobController(ClusterApi api, Kubelet kubelet, Worker worker, LocalKubeletOptions options) {
    this.api = api;
    this.kubelet = kubelet;
    this.worker = worker;
    this.options = options;
  }

  void reconcile(List<Job> jobs, List<Pod> pods) {
    Set<String> seen = new HashSet<>();
    for (Job job : jobs) {
      seen.add(job.getMetadata().getUid());
      try {
        reconcile(job, Owners.controlledBy(pods, job));
      } catch (RuntimeException e) {
        LOG.warn("could not reconcile Job {}/{}", job.getMetadata().getNamespace(), job.getMetadata().getName(), e);
      }
    }
    tracking.keySet().retainAll(seen);
  }

  private void reconcile(Job job, List<Pod> pods) {
    JobStatus previous = job.getStatus() == null ? new JobStatus() : job.getStatus();
    if (isTrue(previous, "Complete") || isTrue(previous, "Failed")) {
      return;
    }
    JobStatus status = api.client().getKubernetesSerialization().clone(previous);
    Instant now = Instant.now();
    String unsupported = unsupported(job.getSpec());
    if (unsupported != null) {
      finish(job, status, "Failed", "UnsupportedByLocalCluster", unsupported, now);
      return;
    }
    Tracking track = tracking.computeIfAbsent(job.getMetadata().getUid(), uid -> new Tracking());
    List<Pod> active = count(pods, status, track, now);

    JobCondition target = condition(status, "FailureTarget");
    if (target == null && zeroIfNull(status.getSucceeded()) > 0) {
      finish(job, status, "Complete", "CompletionsReached", "Reached expected number of succeeded pods", now);
      return;
    }
    // A FailureTarget is final; a later pass only waits for the pods' processes to end.
    Failure failure = target != null ? new Failure(target.getReason(), target.getMessage()) : failure(job, status, now);
    if (failure != null) {
      delete(active);
      // Failed only once no pod process runs any more, as the real controller waits for pods to terminate.
      boolean running = kubelet.hasLiveProcess(pod -> Owners.isControlledBy(pod, job));
      finish(job, status, running ? "FailureTarget" : "Failed", failure.reason(), failure.message(), now);
      return;
    }
    if (Boolean.TRUE.equals(job.getSpec().getSuspend()) || Integer.valueOf(0).equals(job.getSpec().getParallelism())) {
      delete(active);
      active = List.of();
    } else if (active.isEmpty()) {
      Instant retryAt = track.lastFailure == null ? now : track.lastFailure.plus(backoff(status));
      if (now.isBefore(retryAt)) {
        worker.passAfter(Duration.between(now, retryAt));
      } else {
        Pod pod = create(job);
        if (pod != null) {
          active = List.of(pod);
          track.active.add(pod.getMetadata().getUid());
          if (status.getStartTime() == null) {
            status.setStartTime(KubeTime.format(now));
          }
        }
      }
    }
    status.setActive(active.isEmpty() ? null : active.size());
    write(job, status);
  }

  private record Failure(String reason, String message) {
  }

  private static Failure failure(Job job, JobStatus status, Instant now) {
    Integer limit = job.getSpec().getBackoffLimit();
    if (zeroIfNull(status.getFailed()) > (limit == null ? DEFAULT_BACKOFF_LIMIT : limit)) {
      return new Failure("BackoffLimitExceeded", "Job has reached the specified backoff limit");
    }
    Long deadline = job.getSpec().getActiveDeadlineSeconds();
    Instant startTime = KubeTime.parse(status.getStartTime());
    if (deadline != null && startTime != null && !now.isBefore(startTime.plusSeconds(deadline))) {
      return new Failure("DeadlineExceeded", "Job was active longer than specified deadline");
    }
    return null;
  }

  /** Counts pods that ended since the last pass into the status; returns the pods still running. */
  private List<Pod> count(List<Pod> pods, JobStatus status, Tracking track, Instant now) {
    List<Pod> active = new ArrayList<>();
    Set<String> present = new HashSet<>();
    for (Pod pod : pods) {
      String uid = pod.getMetadata().getUid();
      present.add(uid);
      if (!Kubelet.isTerminal(pod)) {
        active.add(pod);
        track.active.add(uid);
      } else if (track.counted.add(uid)) {
        track.active.remove(uid);
        if ("Succeeded".equals(pod.getStatus().getPhase())) {
          status.setSucceeded(zeroIfNull(status.getSucceeded()) + 1);
        } else {
          fail(status, track, now);
        }
      }
    }
    for (String uid : new ArrayList<>(track.active)) {
      if (!present.contains(uid)) {
        // Deleted before it finished: with pod tracking finalizers a real Job counts it as failed too.
        track.active.remove(uid);
        track.counted.add(uid);
        fail(status, track, now);
      }
    }
    return active;
  }

  private static void fail(JobStatus status, Tracking track, Instant now) {
    status.setFailed(zeroIfNull(status.getFailed()) + 1);
    track.lastFailure = now;
  }

  /** The wait before the next pod after {@code failed} failures: doubling, capped. */
  private Duration backoff(JobStatus status) {
    Duration backoff = options.jobBackoff();
    for (int i = 1; i < zeroIfNull(status.getFailed()) && backoff.compareTo(options.restartBackoffCap()) < 0; i++) {
      backoff = backoff.multipliedBy(2);
    }
    return backoff.compareTo(options.restartBackoffCap()) > 0 ? options.restartBackoffCap() : backoff;
  }

  private Pod create(Job job) {
    String uid = job.getMetadata().getUid();
    String name = job.getMetadata().getName();
    return api.create(PodTemplates.instantiate(api.client().getKubernetesSerialization(), job,
        job.getSpec().getTemplate(), name + "-", Map.of("job-name", name, "batch.kubernetes.io/job-name", name,
            "controller-uid", uid, "batch.kubernetes.io/controller-uid", uid)));
  }

  private void delete(List<Pod> pods) {
    for (Pod pod : pods) {
      api.delete(pod);
      kubelet.deleted(pod);
    }
  }

  /** A terminal condition; Complete and Failed come with the condition that precedes them on a real cluster. */
  private void finish(Job job, JobStatus status, String type, String reason, String message, Instant now) {
    String time = KubeTime.format(now);
    switch (type) {
      case "Complete" -> {
        setCondition(status, "SuccessCriteriaMet", reason, message, time);
        status.setCompletionTime(time);
      }
      case "Failed", "FailureTarget" -> setCondition(status, "FailureTarget", reason, message, time);
      default -> throw new IllegalArgumentException(type);
    }
    if (!type.equals("FailureTarget")) {
      setCondition(status, type, reason, message, time);
    }
    status.setActive(null);
    write(job, status);
  }

  private static void setCondition(JobStatus status, String type, String reason, String message, String time) {
    if (status.getConditions().stream().noneMatch(condition -> type.equals(condition.getType()))) {
      status.getConditions().add(new JobConditionBuilder().withType(type).withStatus("True").withReason(reason)
          .withMessage(message).withLastProbeTime(time).withLastTransitionTime(time).build());
    }
  }

  private void write(Job job, JobStatus status) {
    if (!status.equals(job.getStatus())) {
      Job copy = api.client().getKubernetesSerialization().clone(job);
      copy.setStatus(status);
      api.writeStatus(copy);
    }
  }

  /** The local cluster runs one pod per Job; anything else is refused rather than run differently. */
  private static String unsupported(JobSpec spec) {
    boolean one = (spec.getCompletions() == null || spec.getCompletions() == 1)
        && (spec.getParallelism() == null || spec.getParallelism() <= 1)
        && !"Indexed".equals(spec.getCompletionMode());
    return one ? null : "the local cluster runs Jobs with completions and parallelism 1 only";
  }

  private static boolean isTrue(JobStatus status, String type) {
    JobCondition condition = condition(status, type);
    return condition != null && "True".equals(condition.getStatus());
  }

  private static JobCondition condition(JobStatus status, String type) {
    return status.getConditions().stream().filter(condition -> type.equals(condition.getType())).findFirst()
        .orElse(null);
  }

  private static int zeroIfNull(Integer value) {
    return value == null ? 0 : value;
  }
}
