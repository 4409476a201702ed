package io.reducer.deploy;

import io.reducer.testsupport.ProjectLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The Argo CD files in manifests/argocd: the health script and the argocd-cm patch generated from it. */
final class ArgoCd {

  static final String GROUP = "reducer.io";
  static final List<String> KINDS = List.of("DlqReplay", "Projection", "ReducerPipeline", "WatermarkReset");

  private ArgoCd() {
  }

  static Path dir() {
    return ProjectLayout.root().resolve("manifests").resolve("argocd");
  }

  static String healthScript() {
    return read(dir().resolve("health.lua"));
  }

  static Path configMapPatch() {
    return dir().resolve("argocd-cm.yaml");
  }

  /** The argocd-cm patch: the health script under each kind's resource.customizations.health key. */
  static String renderConfigMapPatch(String updateCommand) {
    StringBuilder out = new StringBuilder(String.join("\n",
        "# Argo CD health checks for the reducer.io kinds (docs/gitops.md). Merge into Argo CD's argocd-cm:",
        "#   kubectl -n argocd patch configmap argocd-cm --patch-file manifests/argocd/argocd-cm.yaml",
        "# or copy the data keys into the configs.cm values of the argo-cd Helm chart.",
        "# Generated from manifests/argocd/health.lua. Do not edit. Regenerate with: " + updateCommand,
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: argocd-cm",
        "data:",
        ""));
    String script = healthScript();
    for (String kind : KINDS) {
      out.append("  resource.customizations.health.").append(GROUP).append('_').append(kind).append(": |\n");
      for (String line : script.split("\n", -1)) {
        if (!line.isEmpty()) {
          out.append("    ").append(line);
        }
        out.append('\n');
      }
      // The script ends with a newline; the block scalar keeps exactly one.
      out.setLength(out.length() - 1);
    }
    return out.toString();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
