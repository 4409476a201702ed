package io.reducer.testsupport.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.reducer.testsupport.ProjectLayout;
import io.reducer.testsupport.crd.CrdValidationResult;
import io.reducer.testsupport.crd.CrdValidator;
import io.reducer.testsupport.kafka.KafkaBroker;
import io.reducer.testsupport.kubernetes.MockKubernetes;
import io.reducer.testsupport.kubernetes.PrinterTable;
import io.reducer.testsupport.postgres.PostgresServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The local environment as far as it exists today: a real Kafka broker, a real PostgreSQL server and a
 * Kubernetes API (mock server with the committed CRDs), with the examples admitted through the CRDs' schema
 * and CEL rules and listed the way kubectl get prints them. Test infrastructure, not a product component.
 *
 * <p>Usage: {@code LocalPreview [--once]}. Without --once it keeps everything running until Ctrl-C.
 */
public final class LocalPreview {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final PrintStream out;

  LocalPreview(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    int status = new LocalPreview(System.out).run(List.of(args).contains("--once"));
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Starts everything, applies and lists the examples; returns 0 when every step reached its expected state. */
  int run(boolean once) throws Exception {
    long t0 = System.nanoTime();
    step("starting Kafka broker (KRaft, own JVM)");
    try (KafkaBroker kafka = KafkaBroker.start()) {
      step("  Kafka ready at " + kafka.bootstrapServers() + since(t0));
      step("starting PostgreSQL");
      try (PostgresServer postgres = PostgresServer.start()) {
        step("  PostgreSQL ready at " + postgres.jdbcUrl() + since(t0));
        step("starting Kubernetes API with the reducer.io CRDs");
        try (MockKubernetes kubernetes = MockKubernetes.withCommittedCrds()) {
          KubernetesClient client = kubernetes.client();
          step("  API ready at " + client.getMasterUrl() + since(t0));
          int refused = applyExamples(client);
          boolean hostileRefused = showHostileInputIsRefused();
          printTables(client, kubernetes.crds());
          if (refused > 0 || !hostileRefused) {
            step("FAILED: " + refused + " example(s) refused" + (hostileRefused ? "" : ", hostile projection admitted"));
            return 1;
          }
          if (!once) {
            step("running; press Ctrl-C to stop (Kafka " + kafka.bootstrapServers() + ", PostgreSQL "
                + postgres.jdbcUrl() + ", API " + client.getMasterUrl() + ")");
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
          }
        }
      }
    }
    step("stopped cleanly" + since(t0));
    return 0;
  }

  /** Admits each example like the API server would, then stores it. Returns how many were refused. */
  int applyExamples(KubernetesClient client) throws Exception {
    Map<String, CrdValidator> validators = new HashMap<>();
    for (Path crd : ProjectLayout.committedCrds()) {
      CrdValidator validator = CrdValidator.fromYaml(crd);
      validators.put(validator.kind(), validator);
    }
    int refused = 0;
    for (Path file : ProjectLayout.examples()) {
      JsonNode tree = YAML.readTree(file.toFile());
      String kind = tree.path("kind").asText();
      String name = tree.path("metadata").path("name").asText();
      CrdValidationResult result = validators.get(kind).validateCreate(tree);
      if (!result.valid()) {
        refused++;
        step("  " + kind + "/" + name + " refused: " + String.join("; ", result.errors()));
        continue;
      }
      GenericKubernetesResource resource = YAML.treeToValue(tree, GenericKubernetesResource.class);
      client.resource(resource).createOr(existing -> existing.update());
      step("  " + kind.toLowerCase() + ".reducer.io/" + name + " created (" + file.getFileName() + ")");
    }
    return refused;
  }

  /** What a user sees when a resource carries a hostile identifier: refused before it is stored. */
  boolean showHostileInputIsRefused() throws Exception {
    Path projection = ProjectLayout.examples().stream()
        .filter(f -> f.getFileName().toString().equals("projection.yaml")).findFirst().orElseThrow();
    JsonNode hostile = YAML.readTree(projection.toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode) hostile.path("metadata")).put("name", "hostile");
    ((com.fasterxml.jackson.databind.node.ObjectNode) hostile.path("spec")).put("table", "x; DROP TABLE y");
    CrdValidationResult result = CrdValidator.fromYaml(ProjectLayout.root().resolve("crds")
        .resolve("projections.reducer.io-v1.yml")).validateCreate(hostile);
    step("  projection.reducer.io/hostile with spec.table \"x; DROP TABLE y\" "
        + (result.valid() ? "was ADMITTED" : "refused: " + String.join("; ", result.errors())));
    return !result.valid();
  }

  void printTables(KubernetesClient client, List<CustomResourceDefinition> crds) {
    for (CustomResourceDefinition crd : crds) {
      String apiVersion = crd.getSpec().getGroup() + "/" + crd.getSpec().getVersions().get(0).getName();
      List<JsonNode> items = new ArrayList<>();
      client.genericKubernetesResources(apiVersion, crd.getSpec().getNames().getKind()).inAnyNamespace().list()
          .getItems().forEach(r -> items.add(YAML.valueToTree(r)));
      out.println();
      out.println("$ kubectl get " + crd.getSpec().getNames().getShortNames().get(0) + " -A");
      out.print(new PrinterTable(crd).render(items, Instant.now(), true));
    }
    out.println();
  }

  private void step(String message) {
    out.println("[sandbox] " + message);
  }

  private static String since(long t0) {
    return String.format(" (%.1f s)", (System.nanoTime() - t0) / 1e9);
  }
}
