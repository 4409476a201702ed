package io.reducer.plugin;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.testsupport.kubernetes.MockKubernetes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Runs kubectl reducer against the mock API server, with a fixed clock, and keeps what it printed. */
final class Plugin {

  static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final KubernetesSerialization YAML = new KubernetesSerialization();

  record Result(int code, String out, String err) {
  }

  private Plugin() {
  }

  static Result run(MockKubernetes kubernetes, String stdin, String... args) {
    return run(kubernetes, new Interrupts(), stdin, args);
  }

  static Result run(MockKubernetes kubernetes, Interrupts interrupts, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Main main = new Main((kubeconfig, context) -> new KubernetesClientBuilder()
        .withConfig(kubernetes.client().getConfiguration()).build(), CLOCK, interrupts);
    int code = main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Creates the resource from YAML, then writes its status (the status subresource ignores it on create). */
  static <T extends HasMetadata> T apply(KubernetesClient client, Class<T> kind, String yaml) {
    T resource = YAML.unmarshal(yaml, kind);
    String namespace = resource.getMetadata().getNamespace();
    T created = client.resources(kind).inNamespace(namespace).resource(resource).create();
    resource.getMetadata().setResourceVersion(created.getMetadata().getResourceVersion());
    return client.resources(kind).inNamespace(namespace).resource(resource).updateStatus();
  }
}
