package io.reducer.testsupport.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The API calls of the local cluster, with its rules for writing: status goes through the status subresource,
 * unconditionally (this cluster is the only writer of Pod, Deployment and Job status, and the stored status may
 * have been wiped by a spec update meanwhile), and an object that vanished in between is no error.
 */
final class ClusterApi {

  private final KubernetesClient client;

  ClusterApi(KubernetesClient client) {
    this.client = client;
  }

  List<Pod> pods() {
    return client.pods().inAnyNamespace().list().getItems();
  }

  List<Deployment> deployments() {
    return client.apps().deployments().inAnyNamespace().list().getItems();
  }

  List<Job> jobs() {
    return client.batch().v1().jobs().inAnyNamespace().list().getItems();
  }

  /** Every object of the kinds the garbage collector looks after that has an owner reference. */
  List<HasMetadata> ownedObjects() {
    List<HasMetadata> all = new ArrayList<>();
    all.addAll(client.pods().inAnyNamespace().list().getItems());
    all.addAll(deployments());
    all.addAll(jobs());
    all.addAll(client.configMaps().inAnyNamespace().list().getItems());
    all.addAll(client.secrets().inAnyNamespace().list().getItems());
    all.addAll(client.services().inAnyNamespace().list().getItems());
    all.removeIf(object -> object.getMetadata().getOwnerReferences().isEmpty());
    return all;
  }

  Optional<Secret> secret(String namespace, String name) {
    return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
  }

  Optional<ConfigMap> configMap(String namespace, String name) {
    return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get());
  }

  /**
   * The uid of the object an owner reference names, looked up in {@code namespace}; empty if there is none.
   * Throws if the API does not know the kind.
   */
  Optional<String> ownerUid(String namespace, OwnerReference owner) {
    GenericKubernetesResource found = client.genericKubernetesResources(owner.getApiVersion(), owner.getKind())
        .inNamespace(namespace).withName(owner.getName()).get();
    return Optional.ofNullable(found).map(object -> object.getMetadata().getUid());
  }

  /** Writes {@code object}'s status; returns the stored object, or {@code null} if it no longer exists. */
  <T extends HasMetadata> T writeStatus(T object) {
    object.getMetadata().setResourceVersion(null);
    try {
      return client.resource(object).updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return null;
      }
      throw e;
    }
  }

  /** Creates {@code pod}; returns {@code null} if its generated name was taken, so the next pass tries again. */
  Pod create(Pod pod) {
    try {
      return client.resource(pod).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return null;
      }
      throw e;
    }
  }

  void delete(HasMetadata object) {
    client.resource(object).delete();
  }

  KubernetesClient client() {
    return client;
  }
}
