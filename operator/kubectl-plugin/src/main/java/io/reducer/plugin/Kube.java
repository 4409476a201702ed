package io.reducer.plugin;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The connection to the API server, as kubectl makes it (fabric8 reads $KUBECONFIG, then ~/.kube/config, or a
 * pod's service account), and the API errors a person can act on.
 */
final class Kube {

  /** How the plugin connects: tests hand it the mock API server. */
  interface Connector {
    KubernetesClient connect(String kubeconfig, String context);
  }

  private Kube() {
  }

  static KubernetesClient connect(String kubeconfig, String context) {
    Config config;
    if (kubeconfig == null) {
      noKubeconfigAtAll();
      config = Config.autoConfigure(context);
    } else {
      if (!Files.isReadable(Path.of(kubeconfig))) {
        throw new IllegalArgumentException("cannot read the kubeconfig " + kubeconfig);
      }
      try {
        config = Config.fromKubeconfig(context, new java.io.File(kubeconfig));
      } catch (KubernetesClientException e) {
        throw new IllegalArgumentException("the kubeconfig " + kubeconfig + " cannot be used: " + rootMessage(e));
      }
    }
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * Outside a pod, with neither $KUBECONFIG nor ~/.kube/config readable, the client would try the in-cluster address
   * and fail with a DNS error; say what kubectl says instead.
   */
  private static void noKubeconfigAtAll() {
    if (System.getenv("KUBERNETES_SERVICE_HOST") != null) {
      return;
    }
    String variable = System.getenv("KUBECONFIG");
    List<String> files = variable != null && !variable.isBlank()
        ? List.of(variable.split(java.io.File.pathSeparator))
        : List.of(Path.of(System.getProperty("user.home"), ".kube", "config").toString());
    if (files.stream().noneMatch(file -> Files.isReadable(Path.of(file)))) {
      throw new IllegalArgumentException("no kubeconfig: cannot read " + String.join(", ", files)
          + "; set KUBECONFIG, pass --kubeconfig FILE, or create ~/.kube/config (e.g. with your cloud's "
          + "'get-credentials' command)");
    }
  }

  /** Runs one request; {@code verb} and {@code resource} (e.g. "list", "dlqreplays") name it in errors. */
  static <T> T call(String verb, String resource, String namespace, Supplier<T> request) throws PluginException {
    try {
      return request.get();
    } catch (KubernetesClientException e) {
      throw translate(e, verb, resource, namespace);
    }
  }

  static void run(String verb, String resource, String namespace, Runnable request) throws PluginException {
    call(verb, resource, namespace, () -> {
      request.run();
      return null;
    });
  }

  static PluginException translate(KubernetesClientException e, String verb, String resource, String namespace) {
    String where = namespace == null ? "at cluster scope" : "in namespace " + namespace;
    String server = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
        : e.getMessage();
    switch (Math.max(0, e.getCode())) {
      case 401:
        return new PluginException(ExitCode.FORBIDDEN, "the API server does not accept your credentials (401): log in "
            + "again or check the kubeconfig context");
      case 403:
        return new PluginException(ExitCode.FORBIDDEN, "forbidden: you may not " + verb + " " + resource + " " + where
            + " (RBAC); ask for a Role that grants it, or check with: kubectl auth can-i " + verb + " " + resource
            + (namespace == null ? "" : " -n " + namespace) + "\n  the API server said: " + server);
      case 404:
        return new PluginException(ExitCode.NOT_FOUND, "the API server does not serve " + resource + " " + where
            + ": are the reducer-operator CRDs installed? (kubectl get crd | grep reducer.io)");
      case 409:
        return new PluginException(ExitCode.FAILED, "cannot " + verb + " " + resource + " " + where
            + ": it exists already or changed meanwhile (409); choose another name or try again\n  the API server "
            + "said: " + server);
      case 0:
        return new PluginException(ExitCode.FAILED, "cannot reach the Kubernetes API server: " + rootMessage(e)
            + "\n  check the kubeconfig context (kubectl config current-context) and that the cluster is up");
      default:
        return new PluginException(ExitCode.FAILED, "cannot " + verb + " " + resource + " " + where + " ("
            + e.getCode() + "): " + server);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /** What to say when a named resource is not there. */
  static PluginException notFound(String kind, String name, String namespace, String listCommand) {
    return new PluginException(ExitCode.NOT_FOUND, kind + " " + name + " not found in namespace " + namespace
        + "; list them with: " + listCommand + " -n " + namespace);
  }
}
