package io.reducer.testsupport.kubernetes;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.reducer.testsupport.ProjectLayout;
import io.reducer.testsupport.internal.Hold;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The fabric8 mock Kubernetes API server in CRUD mode with CRDs installed, so custom resources are stored and
 * served like on a real API server (including the status subresource). It does not run admission: schema and
 * CEL validation are covered by {@code CrdValidator}. A stand-in for a real cluster, which cannot run here.
 */
public final class MockKubernetes implements AutoCloseable {

  private final KubernetesMockServer server;
  private final KubernetesCrudDispatcher dispatcher;
  private final NamespacedKubernetesClient client;
  private final List<CustomResourceDefinition> crds;

  // The mock web server logs every request at INFO through java.util.logging; keep test output readable.
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
  }

  private MockKubernetes(List<CustomResourceDefinition> crds, KubernetesCrudDispatcher dispatcher) {
    this.server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    this.dispatcher = dispatcher;
    this.server.init();
    this.client = server.createClient();
    this.crds = crds;
    for (CustomResourceDefinition crd : crds) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
  }

  /** Starts a server with the repository's committed CRDs (crds/) installed. */
  public static MockKubernetes withCommittedCrds() {
    return withCrds(ProjectLayout.committedCrds());
  }

  /**
   * Starts a server with the committed CRDs installed that answers through {@code dispatcher}: a subclass of
   * {@link KubernetesCrudDispatcher} that, for one, delays the answer to some requests.
   */
  public static MockKubernetes withCommittedCrds(KubernetesCrudDispatcher dispatcher) {
    return new MockKubernetes(load(ProjectLayout.committedCrds()), dispatcher);
  }

  /** Starts a server with the given CRD files installed. */
  public static MockKubernetes withCrds(List<Path> crdFiles) {
    return new MockKubernetes(load(crdFiles), new PodSubresourceDispatcher());
  }

  private static List<CustomResourceDefinition> load(List<Path> crdFiles) {
    List<CustomResourceDefinition> crds = new ArrayList<>();
    for (Path file : crdFiles) {
      crds.add(load(file));
    }
    return crds;
  }

  static CustomResourceDefinition load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CRD " + file, e);
    }
  }

  /** A client for the server, defaulting to namespace "test". */
  public NamespacedKubernetesClient client() {
    return client;
  }

  /**
   * Serves pods' {@code log} and {@code proxy} subresources from {@code endpoints} (the local cluster that runs
   * them); until then they answer 404.
   */
  public void servePods(PodEndpoints endpoints) {
    if (!(dispatcher instanceof PodSubresourceDispatcher pods)) {
      throw new IllegalStateException("this server answers through its own dispatcher, which serves no pods");
    }
    pods.serve(endpoints);
  }

  /**
   * Answers writes (anything but GET) to {@code path}, e.g. {@code /apis/reducer.io/v1alpha1/namespaces/e2e/
   * projections/p/status}, with 503 until the returned handle is closed.
   */
  public Hold refuseWrites(String path) {
    if (!(dispatcher instanceof PodSubresourceDispatcher pods)) {
      throw new IllegalStateException("this server answers through its own dispatcher");
    }
    pods.refused.refuse(path);
    return () -> pods.refused.allow(path);
  }

  /** The CRDs installed at start. */
  public List<CustomResourceDefinition> crds() {
    return List.copyOf(crds);
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
