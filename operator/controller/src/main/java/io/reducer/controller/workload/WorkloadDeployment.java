package io.reducer.controller.workload;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.reducer.api.v1alpha1.common.ResourceQuantities;
import io.reducer.api.v1alpha1.common.WorkloadResources;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pod shape every long-running workload shares (materializers, reducers): one container of the workloads image
 * running one command, restricted pod security, no service account token, /health as liveness and /ready as
 * readiness on the named port {@code http}, and a writable /tmp only.
 *
 * @param selector labels that select the pods; the pods also carry the component and managed-by labels
 * @param command the workloads command, e.g. materialize or reduce
 * @param podAnnotations annotations of the pod template, e.g. {@link SecretVersions#ANNOTATION}; a change rolls the pods
 */
public record WorkloadDeployment(String name, String namespace, Map<String, String> selector, String component,
    String image, String command, List<EnvVar> env, WorkloadResources resources, DeploymentStrategy strategy,
    Map<String, String> podAnnotations) {

  public static final int HTTP_PORT = 8080;

  public Deployment build(int replicas) {
    Map<String, String> podLabels = new LinkedHashMap<>(selector);
    podLabels.put("app.kubernetes.io/component", component);
    podLabels.put("app.kubernetes.io/managed-by", "reducer-operator");
    return new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).withLabels(podLabels).endMetadata()
        .withNewSpec().withReplicas(replicas)
        .withNewSelector().withMatchLabels(selector).endSelector()
        .withStrategy(strategy)
        .withNewTemplate().withNewMetadata().withLabels(podLabels)
        .withAnnotations(podAnnotations.isEmpty() ? null : new LinkedHashMap<>(podAnnotations)).endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withSecurityContext(RestrictedPod.podSecurityContext())
        .withTerminationGracePeriodSeconds(30L)
        .addToContainers(new ContainerBuilder()
            .withName(component).withImage(image).withArgs(command)
            .withEnv(env)
            .addNewPort().withName("http").withContainerPort(HTTP_PORT).endPort()
            .withNewLivenessProbe().withNewHttpGet().withPath("/health").withPort(new IntOrString("http")).endHttpGet()
            .withPeriodSeconds(10).withFailureThreshold(3).endLivenessProbe()
            .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withPort(new IntOrString("http")).endHttpGet()
            .withPeriodSeconds(5).withFailureThreshold(2).endReadinessProbe()
            .withResources(resources(resources))
            .withSecurityContext(RestrictedPod.containerSecurityContext())
            .withTerminationMessagePolicy("FallbackToLogsOnError")
            .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
            .build())
        .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
        .endSpec().endTemplate().endSpec().build();
  }

  static ResourceRequirements resources(WorkloadResources resources) {
    ResourceRequirementsBuilder builder = new ResourceRequirementsBuilder();
    if (resources != null) {
      builder.withRequests(quantities(resources.getRequests())).withLimits(quantities(resources.getLimits()));
    }
    return builder.build();
  }

  private static Map<String, Quantity> quantities(ResourceQuantities quantities) {
    Map<String, Quantity> out = new LinkedHashMap<>();
    if (quantities != null) {
      if (quantities.getCpu() != null) {
        out.put("cpu", new Quantity(quantities.getCpu()));
      }
      if (quantities.getMemory() != null) {
        out.put("memory", new Quantity(quantities.getMemory()));
      }
    }
    return out;
  }
}
