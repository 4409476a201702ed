package io.reducer.testsupport.cluster;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Deployment controller, without ReplicaSets: pods are owned by the Deployment itself and carry the
 * {@code pod-template-hash} of the template they were made from. Keeps {@code spec.replicas} pods of the current
 * template. On a template change, {@code Recreate} deletes the old pods and creates new ones only once every old
 * process has exited; {@code RollingUpdate} creates the new pods first and deletes old ones as new ones become
 * ready. Scaling down deletes unready pods first, then the newest.
 */
final class DeploymentController {

  static final String HASH_LABEL = "pod-template-hash";

  private static final Logger LOG = LoggerFactory.getLogger(DeploymentController.class);

  private final ClusterApi api;
  private final Kubelet kubelet;

  DeploymentController(ClusterApi api, Kubelet kubelet) {
    this.api = api;
    this.kubelet = kubelet;
  }

  void reconcile(List<Deployment> deployments, List<Pod> pods) {
    for (Deployment deployment : deployments) {
      try {
        reconcile(deployment, new ArrayList<>(Owners.controlledBy(pods, deployment)));
      } catch (RuntimeException e) {
        LOG.warn("could not reconcile Deployment {}/{}", deployment.getMetadata().getNamespace(),
            deployment.getMetadata().getName(), e);
      }
    }
  }

  private void reconcile(Deployment deployment, List<Pod> pods) {
    String hash = TemplateHash.of(deployment.getSpec().getTemplate());
    int replicas = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
    List<Pod> current = new ArrayList<>(pods.stream().filter(pod -> hash.equals(hashOf(pod))).toList());
    List<Pod> old = new ArrayList<>(pods.stream().filter(pod -> !hash.equals(hashOf(pod))).toList());

    boolean mayCreate = true;
    if (isRecreate(deployment)) {
      deleteAll(old, pods);
      // No overlap: old processes may still be shutting down after their pods were deleted.
      mayCreate = !kubelet.hasLiveProcess(pod -> Owners.isControlledBy(pod, deployment) && !hash.equals(hashOf(pod)));
    }
    if (current.size() > replicas) {
      current.sort(deletionOrder());
      deleteAll(new ArrayList<>(current.subList(0, current.size() - replicas)), pods);
      current = new ArrayList<>(current.subList(current.size() - replicas, current.size()));
    }
    if (mayCreate) {
      String generateName = deployment.getMetadata().getName() + "-" + hash + "-";
      for (int i = current.size(); i < replicas; i++) {
        Pod pod = api.create(PodTemplates.instantiate(api.client().getKubernetesSerialization(), deployment,
            deployment.getSpec().getTemplate(), generateName, Map.of(HASH_LABEL, hash)));
        if (pod != null) {
          pods.add(pod);
        }
      }
    }
    if (!old.isEmpty() && !isRecreate(deployment)) {
      long readyNew = pods.stream().filter(pod -> hash.equals(hashOf(pod)) && PodTemplates.isReady(pod)).count();
      int keep = (int) Math.max(0, replicas - readyNew);
      old.sort(deletionOrder());
      if (old.size() > keep) {
        deleteAll(new ArrayList<>(old.subList(0, old.size() - keep)), pods);
      }
    }
    writeStatus(deployment, hash, replicas, pods);
  }

  private void deleteAll(List<Pod> doomed, List<Pod> pods) {
    for (Pod pod : doomed) {
      api.delete(pod);
      kubelet.deleted(pod);
      pods.remove(pod);
    }
  }

  /** Unready pods first, then the newest: the first ones in this order are deleted when scaling down. */
  private static Comparator<Pod> deletionOrder() {
    return Comparator.comparing(PodTemplates::isReady)
        .thenComparing(pod -> pod.getMetadata().getCreationTimestamp(), Comparator.reverseOrder())
        // Within the same second: the most recently changed first.
        .thenComparing(pod -> Long.parseLong(pod.getMetadata().getResourceVersion()), Comparator.reverseOrder());
  }

  private void writeStatus(Deployment deployment, String hash, int replicas, List<Pod> pods) {
    int updated = (int) pods.stream().filter(pod -> hash.equals(hashOf(pod))).count();
    int ready = (int) pods.stream().filter(PodTemplates::isReady).count();
    // minReadySeconds is not honoured: a ready pod is available at once.
    int available = ready;
    DeploymentStatus previous = deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
    String now = KubeTime.format(Instant.now());
    String replicaSet = "ReplicaSet \"" + deployment.getMetadata().getName() + "-" + hash + "\"";
    boolean minimum = available >= replicas - maxUnavailable(deployment, replicas);
    boolean complete = updated == replicas && available == replicas && pods.size() == replicas;
    DeploymentStatus status = new DeploymentStatusBuilder()
        .withObservedGeneration(deployment.getMetadata().getGeneration())
        .withReplicas(omitZero(pods.size()))
        .withUpdatedReplicas(omitZero(updated))
        .withReadyReplicas(omitZero(ready))
        .withAvailableReplicas(omitZero(available))
        .withUnavailableReplicas(omitZero(Math.max(0, replicas - available)))
        .withConditions(
            condition(previous, "Available", minimum,
                minimum ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                minimum ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
                now),
            condition(previous, "Progressing", true, complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                replicaSet + (complete ? " has successfully progressed." : " is progressing."), now))
        .build();
    if (!status.equals(deployment.getStatus())) {
      Deployment copy = api.client().getKubernetesSerialization().clone(deployment);
      copy.setStatus(status);
      api.writeStatus(copy);
    }
  }

  /** The condition as before if nothing about it changed, so its timestamps stay put. */
  private static DeploymentCondition condition(DeploymentStatus previous, String type, boolean value, String reason,
      String message, String now) {
    String status = value ? "True" : "False";
    DeploymentCondition old = previous.getConditions().stream()
        .filter(condition -> type.equals(condition.getType())).findFirst().orElse(null);
    if (old != null && status.equals(old.getStatus()) && reason.equals(old.getReason())
        && message.equals(old.getMessage())) {
      return old;
    }
    String transition = old != null && status.equals(old.getStatus()) ? old.getLastTransitionTime() : now;
    return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason)
        .withMessage(message).withLastUpdateTime(now).withLastTransitionTime(transition).build();
  }

  /** Recreate tolerates no unavailable pod in its Available condition; RollingUpdate its maxUnavailable. */
  private static int maxUnavailable(Deployment deployment, int replicas) {
    DeploymentStrategy strategy = deployment.getSpec().getStrategy();
    if (isRecreate(deployment)) {
      return 0;
    }
    IntOrString value = strategy == null || strategy.getRollingUpdate() == null
        || strategy.getRollingUpdate().getMaxUnavailable() == null
        ? new IntOrString("25%") : strategy.getRollingUpdate().getMaxUnavailable();
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String percent = value.getStrVal().replace("%", "");
    return replicas * Integer.parseInt(percent) / 100;
  }

  private static boolean isRecreate(Deployment deployment) {
    DeploymentStrategy strategy = deployment.getSpec().getStrategy();
    return strategy != null && "Recreate".equals(strategy.getType());
  }

  private static String hashOf(Pod pod) {
    return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(HASH_LABEL);
  }

  /** Like the real controller's omitempty counters: zero is left out. */
  private static Integer omitZero(int value) {
    return value == 0 ? null : value;
  }
}
