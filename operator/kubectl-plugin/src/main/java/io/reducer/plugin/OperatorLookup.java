package io.reducer.plugin;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.reducer.controller.app.OperatorConfig;
import io.reducer.controller.app.OperatorConfigException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the operator as a user with a kubeconfig can: its Deployment (label app.kubernetes.io/name=reducer-operator,
 * in any namespace the user may list, else in the given ones), its settings read with the operator's own parser from
 * the Deployment's env and args, and its leader-election Lease, whose renewals say whether it runs.
 */
final class OperatorLookup {

  static final String DEPLOYMENT_LABEL = "app.kubernetes.io/name";
  static final String DEPLOYMENT_LABEL_VALUE = "reducer-operator";
  /** Where the chart and the install file put the operator. */
  static final String DEFAULT_NAMESPACE = "reducer-system";

  /** What is known about the operator. */
  record Found(Optional<Deployment> deployment, Optional<OperatorConfig> config, LeaseState lease) {

    Optional<String> workloadsImage() {
      return config.map(OperatorConfig::workloadsImage);
    }
  }

  enum Liveness { RUNNING, STALE, ABSENT, UNKNOWN }

  /** The Lease found (if any) and what it says. */
  record LeaseState(Liveness liveness, String name, String namespace, String holder, Instant renewed,
      Integer durationSeconds, String detail) {

    boolean notRunning() {
      return liveness == Liveness.STALE || liveness == Liveness.ABSENT;
    }

    /** One line for status: who leads and when it renewed, or why the operator seems not to run. */
    String describe(Clock clock) {
      if (name == null) {
        return (liveness == Liveness.RUNNING ? "running: " : "NOT RUNNING: ") + detail;
      }
      switch (liveness) {
        case RUNNING:
          return "running: Lease " + namespace + "/" + name + " held by " + holder + ", renewed "
              + Ages.ago(renewed, clock);
        case STALE:
          return "NOT RUNNING: Lease " + namespace + "/" + name + " was last renewed " + Ages.ago(renewed, clock)
              + " by " + holder + ", beyond its " + durationSeconds + "s duration; nothing is reconciled "
              + "(kubectl get pods -n " + namespace + " -l " + DEPLOYMENT_LABEL + "=" + DEPLOYMENT_LABEL_VALUE + ")";
        case ABSENT:
          return "NOT RUNNING: no Lease " + name + " found" + detail + "; the operator is not running (or runs "
              + "without leader election)";
        default:
          return "unknown: " + detail;
      }
    }
  }

  private OperatorLookup() {
  }

  /**
   * @param namespaces where to look when the user may not list across namespaces: the current one and reducer-system
   */
  static Found find(KubernetesClient client, Clock clock, String... namespaces) {
    Set<String> candidates = new LinkedHashSet<>(List.of(namespaces));
    candidates.add(DEFAULT_NAMESPACE);
    Optional<Deployment> deployment = deployment(client, candidates);
    Optional<OperatorConfig> config = deployment.flatMap(OperatorLookup::config);
    if (deployment.isPresent() && config.isPresent() && !config.get().leaderElection()) {
      return new Found(deployment, config, readiness(deployment.get()));
    }
    String leaseName = config.map(OperatorConfig::leaseName).orElse(defaults().leaseName());
    List<String> leaseNamespaces = new ArrayList<>();
    deployment.ifPresent(d -> leaseNamespaces.add(d.getMetadata().getNamespace()));
    leaseNamespaces.addAll(candidates);
    return new Found(deployment, config, lease(client, clock, leaseName, leaseNamespaces));
  }

  /** The operator's defaults, from its own option table. */
  static OperatorConfig defaults() {
    try {
      return OperatorConfig.parse(List.of(), Map.of(), "default");
    } catch (OperatorConfigException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Optional<Deployment> deployment(KubernetesClient client, Set<String> namespaces) {
    try {
      return client.apps().deployments().inAnyNamespace().withLabel(DEPLOYMENT_LABEL, DEPLOYMENT_LABEL_VALUE).list()
          .getItems().stream().findFirst();
    } catch (KubernetesClientException e) {
      for (String namespace : namespaces) {
        try {
          Optional<Deployment> found = client.apps().deployments().inNamespace(namespace)
              .withLabel(DEPLOYMENT_LABEL, DEPLOYMENT_LABEL_VALUE).list().getItems().stream().findFirst();
          if (found.isPresent()) {
            return found;
          }
        } catch (KubernetesClientException ignored) {
          // Not allowed there either: look in the next namespace.
        }
      }
      return Optional.empty();
    }
  }

  /** The operator's settings as it reads them: its container's args, then env values, then defaults. */
  static Optional<OperatorConfig> config(Deployment deployment) {
    if (deployment.getSpec() == null || deployment.getSpec().getTemplate() == null
        || deployment.getSpec().getTemplate().getSpec() == null
        || deployment.getSpec().getTemplate().getSpec().getContainers().isEmpty()) {
      return Optional.empty();
    }
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar variable : container.getEnv()) {
      if (variable.getValue() != null) {
        env.put(variable.getName(), variable.getValue());
      }
    }
    try {
      return Optional.of(OperatorConfig.parse(container.getArgs(), env, deployment.getMetadata().getNamespace()));
    } catch (OperatorConfigException e) {
      return Optional.empty();
    }
  }

  /** Without leader election there is no Lease: the Deployment's ready pods say whether the operator runs. */
  private static LeaseState readiness(Deployment deployment) {
    int ready = deployment.getStatus() == null || deployment.getStatus().getReadyReplicas() == null ? 0
        : deployment.getStatus().getReadyReplicas();
    int wanted = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
    String where = deployment.getMetadata().getNamespace() + "/" + deployment.getMetadata().getName();
    return new LeaseState(ready > 0 ? Liveness.RUNNING : Liveness.STALE, null, deployment.getMetadata().getNamespace(),
        null, null, null, ready + " of " + wanted + " pods of Deployment " + where
        + " ready (it runs without leader election, so no Lease says more)");
  }

  private static LeaseState lease(KubernetesClient client, Clock clock, String name, List<String> namespaces) {
    Optional<Lease> lease = Optional.empty();
    String searched;
    try {
      lease = client.leases().inAnyNamespace().withField("metadata.name", name).list().getItems().stream()
          .filter(l -> name.equals(l.getMetadata().getName())).findFirst();
      searched = " in any namespace";
    } catch (KubernetesClientException e) {
      Set<String> readable = new LinkedHashSet<>();
      for (String namespace : new LinkedHashSet<>(namespaces)) {
        try {
          lease = Optional.ofNullable(client.leases().inNamespace(namespace).withName(name).get());
          readable.add(namespace);
          if (lease.isPresent()) {
            break;
          }
        } catch (KubernetesClientException ignored) {
          // Not allowed there: look in the next namespace.
        }
      }
      if (lease.isEmpty() && readable.isEmpty()) {
        return new LeaseState(Liveness.UNKNOWN, name, null, null, null, null, "you may not read Lease " + name
            + " in " + String.join(", ", namespaces) + " (RBAC)");
      }
      searched = " in " + String.join(", ", readable);
    }
    if (lease.isEmpty()) {
      return new LeaseState(Liveness.ABSENT, name, null, null, null, null, searched);
    }
    Lease found = lease.get();
    var spec = found.getSpec();
    String holder = spec == null || spec.getHolderIdentity() == null ? "nobody" : spec.getHolderIdentity();
    ZonedDateTime renew = spec == null ? null : spec.getRenewTime() != null ? spec.getRenewTime()
        : spec.getAcquireTime();
    Integer duration = spec == null || spec.getLeaseDurationSeconds() == null ? 15 : spec.getLeaseDurationSeconds();
    Instant renewed = renew == null ? null : renew.toInstant();
    String namespace = found.getMetadata().getNamespace();
    boolean fresh = renewed != null && spec.getHolderIdentity() != null && !spec.getHolderIdentity().isEmpty()
        && Duration.between(renewed, clock.instant()).compareTo(Duration.ofSeconds(duration)) <= 0;
    return new LeaseState(fresh ? Liveness.RUNNING : Liveness.STALE, name, namespace, holder, renewed, duration, "");
  }
}
