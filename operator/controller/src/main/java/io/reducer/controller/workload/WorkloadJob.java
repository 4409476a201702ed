package io.reducer.controller.workload;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A one-shot Job on the workloads image, owned by the resource it works for. The command reports its result as
 * JSON in the container's termination message, which the operator copies into that resource's status.
 */
public final class WorkloadJob {

  /** Kubernetes puts the Job name into a label value, which holds at most 63 characters. */
  static final int MAX_NAME = 63;
  public static final String MANAGED_BY = "reducer-operator";

  private WorkloadJob() {
  }

  /**
   * The Job's name for an owner: {@code <owner>-<suffix>}, shortened with a hash when it would not fit, so a
   * restarted operator finds the Job it created and never creates a second one.
   */
  public static String name(HasMetadata owner, String suffix) {
    String name = owner.getMetadata().getName() + "-" + suffix;
    if (name.length() <= MAX_NAME) {
      return name;
    }
    String hash = hash(owner.getMetadata().getName());
    int keep = MAX_NAME - suffix.length() - hash.length() - 2;
    String head = owner.getMetadata().getName().substring(0, keep).replaceAll("[.-]+$", "");
    return head + "-" + hash + "-" + suffix;
  }

  /** Labels that find an operation's Jobs: kubectl get jobs -l app.kubernetes.io/component=COMPONENT. */
  public static Map<String, String> labels(String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", "reducer-workloads");
    labels.put("app.kubernetes.io/component", component);
    labels.put("app.kubernetes.io/managed-by", MANAGED_BY);
    return labels;
  }

  /**
   * @param component what the Job does (label value), e.g. watermark-reset
   * @param args the workloads command and its flags
   * @param backoffLimit retries after a failed pod; only for commands that are safe to repeat
   */
  public static Job build(HasMetadata owner, String name, String component, String image, List<String> args,
      List<EnvVar> env, int backoffLimit) {
    Map<String, String> labels = labels(component);
    return new JobBuilder()
        .withNewMetadata().withName(name).withNamespace(owner.getMetadata().getNamespace()).withLabels(labels)
        .withOwnerReferences(OwnerReferences.controlledBy(owner)).endMetadata()
        .withNewSpec().withBackoffLimit(backoffLimit).withParallelism(1).withCompletions(1)
        .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withSecurityContext(RestrictedPod.podSecurityContext())
        .withTerminationGracePeriodSeconds(30L)
        .addToContainers(new ContainerBuilder()
            .withName(component).withImage(image).withArgs(args).withEnv(env)
            .withSecurityContext(RestrictedPod.containerSecurityContext())
            // The result JSON goes to /dev/termination-log; a crash before that still leaves the log's tail.
            .withTerminationMessagePolicy("FallbackToLogsOnError")
            .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
            .build())
        .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
        .endSpec().endTemplate().endSpec().build();
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
