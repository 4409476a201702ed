package io.reducer.testsupport.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The garbage collector: deletes Pods, Deployments, Jobs, ConfigMaps, Secrets and Services all of whose owners are
 * gone (no object of that apiVersion, kind and name in the namespace, or one with another uid). Owners of any kind
 * the API knows count, custom resources included; an owner of a kind the API does not know keeps its dependents,
 * as the real collector waits. Sweeps repeat until nothing more is deleted, so chains (owner, Job, pod) go at once.
 */
final class GarbageCollector {

  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
  private static final int MAX_ROUNDS = 5;

  private final ClusterApi api;
  private final Kubelet kubelet;

  GarbageCollector(ClusterApi api, Kubelet kubelet) {
    this.api = api;
    this.kubelet = kubelet;
  }

  void sweep() {
    for (int round = 0; round < MAX_ROUNDS && sweepOnce(); round++) {
      // another round: what was just deleted may have owned something
    }
  }

  private boolean sweepOnce() {
    Map<String, Optional<String>> ownerUids = new HashMap<>();
    boolean deleted = false;
    for (HasMetadata object : api.ownedObjects()) {
      if (isOrphan(object, ownerUids)) {
        LOG.debug("deleting {} {}/{}: its owners are gone", object.getKind(), object.getMetadata().getNamespace(),
            object.getMetadata().getName());
        api.delete(object);
        if (object instanceof Pod pod) {
          kubelet.deleted(pod);
        }
        deleted = true;
      }
    }
    return deleted;
  }

  private boolean isOrphan(HasMetadata object, Map<String, Optional<String>> ownerUids) {
    String namespace = object.getMetadata().getNamespace();
    List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
    for (OwnerReference owner : owners) {
      String key = namespace + "/" + owner.getApiVersion() + "/" + owner.getKind() + "/" + owner.getName();
      Optional<String> uid = ownerUids.get(key);
      if (uid == null) {
        try {
          uid = api.ownerUid(namespace, owner);
        } catch (KubernetesClientException e) {
          LOG.debug("cannot look up owner {} of {}: {}", key, object.getMetadata().getName(), e.getMessage());
          return false;
        }
        ownerUids.put(key, uid);
      }
      if (uid.isPresent() && uid.get().equals(owner.getUid())) {
        return false;
      }
    }
    return true;
  }
}
