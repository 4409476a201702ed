package io.reducer.e2e.scenarios;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.WatermarkReset;
import java.util.Comparator;
import java.util.List;

/**
 * What an SRE would look at first when a scenario fails: the status of every reducer.io resource, the Events, the
 * Deployments, Jobs and Pods, and the tail of every pod's log.
 */
final class FailureReport {

  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final int LOG_LINES = 60;

  private FailureReport() {
  }

  static String render(ScenarioTarget target, String what) {
    StringBuilder out = new StringBuilder("\n==================== FAILED: " + what + " on " + target.describe()
        + " ====================\n");
    try {
      KubernetesClient client = target.client();
      for (Class<? extends HasMetadata> kind : List.of(ReducerPipeline.class, Projection.class, WatermarkReset.class,
          DlqReplay.class)) {
        for (HasMetadata resource : client.resources(kind).inAnyNamespace().list().getItems()) {
          out.append("--- ").append(resource.getKind()).append(' ').append(resource.getMetadata().getNamespace())
              .append('/').append(resource.getMetadata().getName()).append('\n')
              .append(YAML.asYaml(statusAndAnnotations(resource)));
        }
      }
      out.append("--- Events\n");
      client.v1().events().inAnyNamespace().list().getItems().stream()
          .sorted(Comparator.comparing(e -> String.valueOf(e.getLastTimestamp())))
          .forEach(e -> out.append(describe(e)).append('\n'));
      out.append(target.dumpWorkloads());
      for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
        String namespace = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        out.append("--- log of pod ").append(namespace).append('/').append(name).append(" (last ").append(LOG_LINES)
            .append(" lines)\n").append(tail(target.podLog(namespace, name)));
      }
    } catch (RuntimeException e) {
      out.append("(report incomplete: ").append(e).append(")\n");
    }
    return out.append("==================== end of report ====================\n").toString();
  }

  /** The parts a user reads in kubectl describe: annotations (holds, approvals) and status. */
  private static Object statusAndAnnotations(HasMetadata resource) {
    ObjectNode node = YAML.convertValue(resource, ObjectNode.class);
    node.remove("apiVersion");
    node.remove("kind");
    ((ObjectNode) node.get("metadata")).retain("annotations", "generation", "deletionTimestamp");
    return node;
  }

  private static String describe(Event e) {
    return String.format("%s %s %s/%s %s (x%s): %s", e.getLastTimestamp(), e.getType(),
        e.getInvolvedObject().getKind(), e.getInvolvedObject().getName(), e.getReason(), e.getCount(), e.getMessage());
  }

  private static String tail(String log) {
    String[] lines = log.split("\n", -1);
    int from = Math.max(0, lines.length - LOG_LINES - 1);
    return String.join("\n", List.of(lines).subList(from, lines.length)) + (log.endsWith("\n") ? "" : "\n");
  }
}
