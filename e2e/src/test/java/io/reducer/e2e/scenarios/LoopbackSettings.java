package io.reducer.e2e.scenarios;

import io.reducer.e2e.Kubeconfig;
import io.reducer.e2e.LocalCluster;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A kubeconfig and a target settings file that describe the local cluster as if it were a remote one. With
 * {@code -De2e.target=loopback} the scenarios reach the local cluster only through these, which tests the kubeconfig
 * target's own code (client from a kubeconfig, forced pod deletion, endpoints from settings) without a real cluster.
 */
final class LoopbackSettings {

  static final String CONTEXT = "reducer-loopback";

  private LoopbackSettings() {
  }

  /** Writes a kubeconfig whose one context, {@value #CONTEXT}, is the API server {@code server} and {@code namespace}. */
  static Path kubeconfig(Path file, String server, String namespace) throws IOException {
    return Kubeconfig.write(file, server, namespace, CONTEXT);
  }

  /** Writes {@code kubeconfig} and {@code target.properties} into {@code directory}; returns the settings file. */
  static Path write(LocalCluster cluster, Path directory) throws IOException {
    Path kubeconfig = kubeconfig(directory.resolve("kubeconfig"), cluster.client().getMasterUrl().toString(),
        cluster.namespace());
    Properties settings = new Properties();
    settings.setProperty("kubeconfig", kubeconfig.toString());
    settings.setProperty("kafka.bootstrapServers", cluster.kafka().bootstrapServers());
    settings.setProperty("postgres.host", "127.0.0.1");
    settings.setProperty("postgres.port", Integer.toString(cluster.postgres().port()));
    settings.setProperty("postgres.database", "postgres");
    settings.setProperty("postgres.user", cluster.postgres().user());
    settings.setProperty("postgres.password", cluster.postgres().password());
    Path file = directory.resolve("target.properties");
    try (Writer writer = Files.newBufferedWriter(file)) {
      settings.store(writer, "the local cluster as a kubeconfig target");
    }
    return file;
  }
}
