package io.reducer.deploy;

import io.reducer.testsupport.ProjectLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Argo CD files in manifests/argocd: the health script, the resource actions, and the argocd-cm patch generated
 * from them.
 */
final class ArgoCd {

  static final String GROUP = "reducer.io";
  static final List<String> KINDS = List.of("DlqReplay", "Projection", "ReducerPipeline", "WatermarkReset");
  /** The resource actions of each kind, in manifests/argocd/actions/NAME.lua. */
  static final Map<String, List<String>> ACTIONS = Map.of("DlqReplay", List.of("approve", "cancel"),
      "Projection", List.of("pause", "resume"), "ReducerPipeline", List.of("pause", "resume"),
      "WatermarkReset", List.of("approve"));

  private ArgoCd() {
  }

  static Path dir() {
    return ProjectLayout.root().resolve("manifests").resolve("argocd");
  }

  static String healthScript() {
    return read(dir().resolve("health.lua"));
  }

  static String actionScript(String name) {
    return read(dir().resolve("actions").resolve(name + ".lua"));
  }

  static Path configMapPatch() {
    return dir().resolve("argocd-cm.yaml");
  }

  /**
   * The argocd-cm patch: the health script under each kind's resource.customizations.health key, the kind's actions
   * under its resource.customizations.actions key.
   */
  static String renderConfigMapPatch(String updateCommand) {
    StringBuilder out = new StringBuilder(String.join("\n",
        "# Argo CD health checks and resource actions for the reducer.io kinds (docs/gitops.md). Merge into Argo CD's",
        "# argocd-cm:",
        "#   kubectl -n argocd patch configmap argocd-cm --patch-file manifests/argocd/argocd-cm.yaml",
        "# or copy the data keys into the configs.cm values of the argo-cd Helm chart.",
        "# Generated from manifests/argocd/health.lua and actions/. Do not edit. Regenerate with: " + updateCommand,
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: argocd-cm",
        "data:",
        ""));
    for (String kind : KINDS) {
      out.append("  resource.customizations.health.").append(GROUP).append('_').append(kind).append(": |\n");
      block(out, "    ", healthScript());
    }
    for (String kind : KINDS) {
      out.append("  resource.customizations.actions.").append(GROUP).append('_').append(kind).append(": |\n");
      out.append("    discovery.lua: |\n");
      block(out, "      ", actionScript("discovery"));
      out.append("    definitions:\n");
      for (String action : ACTIONS.get(kind)) {
        out.append("    - name: ").append(action).append('\n');
        out.append("      action.lua: |\n");
        block(out, "        ", actionScript(action));
      }
    }
    return out.toString();
  }

  /** {@code text}, which ends with a newline, indented as the body of a YAML block scalar. */
  private static void block(StringBuilder out, String indent, String text) {
    for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
      if (!line.isEmpty()) {
        out.append(indent).append(line);
      }
      out.append('\n');
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
