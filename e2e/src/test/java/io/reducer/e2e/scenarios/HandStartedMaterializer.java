package io.reducer.e2e.scenarios;

import static io.reducer.e2e.scenarios.ScenarioCluster.NAMESPACE;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.reducer.testsupport.cluster.ImageEntry;
import io.reducer.testsupport.internal.ChildJvm;
import io.reducer.testsupport.internal.TempDirs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code workloads materialize} started by hand outside Kubernetes, the way an SRE catching up a projection during
 * an incident would (docs/materializer.md, "Running it by hand"): the environment of the projection's Deployment,
 * Secrets resolved, with some variables replaced.
 */
final class HandStartedMaterializer implements AutoCloseable {

  private static final String LOG = "materializer.log";

  private final Process process;
  private final Path directory;
  private final Path log;

  private HandStartedMaterializer(Process process, Path directory) {
    this.process = process;
    this.directory = directory;
    this.log = directory.resolve(LOG);
  }

  /**
   * Starts one with the environment of {@code deployment}'s container, {@code overrides} replacing variables; the
   * broker and database addresses are the ones this machine reaches them by.
   */
  static HandStartedMaterializer likeDeployment(ScenarioTarget target, String deployment,
      Map<String, String> overrides) throws IOException {
    KubernetesClient client = target.client();
    Deployment template = client.apps().deployments().inNamespace(NAMESPACE).withName(deployment).get();
    Map<String, String> env = new HashMap<>();
    for (EnvVar variable : template.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (variable.getValueFrom() != null && variable.getValueFrom().getFieldRef() != null) {
        continue; // the pod's own fields (its name as group instance id): a process started by hand is no pod
      }
      env.put(variable.getName(), variable.getValueFrom() == null ? variable.getValue()
          : secretValue(client, variable.getValueFrom().getSecretKeyRef()));
    }
    env.put("KAFKA_BOOTSTRAP_SERVERS", target.kafkaBootstrapServers());
    env.computeIfPresent("MATERIALIZER_JDBC_URL", (name, url) -> target.reachableFromHere(url));
    env.putAll(overrides);
    Path directory = TempDirs.create("hand-started-materializer");
    List<String> options = new ArrayList<>(ImageEntry.DEFAULT_JVM_OPTIONS);
    options.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    ProcessBuilder builder = new ChildJvm(directory.resolve("jvm.args"), options)
        .builder(List.of(), "io.reducer.workloads.Main", List.of("materialize"), directory.resolve(LOG));
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv("PATH"));
    builder.environment().putAll(env);
    return new HandStartedMaterializer(builder.start(), directory);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code, once it has exited within {@code timeout}. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the hand-started materializer still runs after " + timeout + ":\n" + log());
    }
    return process.exitValue();
  }

  String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(unreadable log: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    TempDirs.deleteQuietly(directory);
  }

  private static String secretValue(KubernetesClient client, SecretKeySelector selector) {
    Secret secret = client.secrets().inNamespace(NAMESPACE).withName(selector.getName()).get();
    // The mock API keeps stringData as sent instead of merging it into data.
    if (secret.getStringData() != null && secret.getStringData().containsKey(selector.getKey())) {
      return secret.getStringData().get(selector.getKey());
    }
    return new String(Base64.getDecoder().decode(secret.getData().get(selector.getKey())), StandardCharsets.UTF_8);
  }
}
