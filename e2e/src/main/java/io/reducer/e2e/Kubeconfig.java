package io.reducer.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A kubeconfig file with one context for an API server reached by URL, as a remote cluster is. */
public final class Kubeconfig {

  private Kubeconfig() {
  }

  /** Writes {@code file}: one context, {@code context}, on {@code server} and {@code namespace}, the current one. */
  public static Path write(Path file, String server, String namespace, String context) throws IOException {
    Files.writeString(file, String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: " + context,
        "  cluster: {server: '" + server + "'}",
        "users:",
        "- name: " + context,
        "  user: {token: " + context + "}",
        "contexts:",
        "- name: " + context,
        "  context: {cluster: " + context + ", user: " + context + ", namespace: " + namespace + "}",
        "current-context: " + context,
        ""));
    return file;
  }
}
