package io.reducer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.common.ConditionStatus;
import io.reducer.controller.app.OperatorConfig;
import io.reducer.controller.app.ReducerOperator;
import io.reducer.testsupport.ProjectLayout;
import io.reducer.testsupport.crd.CrdValidationResult;
import io.reducer.testsupport.crd.CrdValidator;
import io.reducer.testsupport.kafka.KafkaBroker;
import io.reducer.testsupport.kubernetes.MockKubernetes;
import io.reducer.testsupport.kubernetes.PrinterTable;
import io.reducer.testsupport.postgres.PostgresServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The local sandbox: a real Kafka broker, a real PostgreSQL server, a Kubernetes API (the mock server with the
 * committed CRDs) and the operator running against them. The examples are admitted through the CRDs' schema and
 * CEL rules, pointed at the local broker and database, and listed the way kubectl get prints them while the
 * operator fills in their status. Test infrastructure, not a product component: nothing here runs pods, so
 * the materializer Deployments the operator creates are not started.
 *
 * <p>Usage: {@code Sandbox [--once]}. Without --once it keeps everything running until Ctrl-C.
 */
public final class Sandbox {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static final String NAMESPACE = "orders";
  static final int EVENTS = 5_000;
  private static final java.util.Set<String> ONE_SHOT_KINDS = java.util.Set.of("WatermarkReset", "DlqReplay");

  private final PrintStream out;

  Sandbox(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    // Exit explicitly: client and operator threads must not keep the JVM alive after a clean stop.
    System.exit(new Sandbox(System.out).run(List.of(args).contains("--once")));
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
          int refused = applyExamples(client, kafka, postgres);
          boolean hostileRefused = showHostileInputIsRefused();
          step("starting the operator (watching namespace " + NAMESPACE + ", probe interval 2s)");
          PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
          OperatorConfig config = OperatorConfig.parse(List.of("--namespaces", NAMESPACE, "--namespace", NAMESPACE,
              "--leader-election", "false", "--probe-interval", "2s"), Map.of(), null);
          try (ReducerOperator operator = new ReducerOperator(client, config, registry, Clock.systemUTC())) {
            operator.start();
            step("  operator started" + since(t0));
            ReducerPipeline pipeline = client.resources(ReducerPipeline.class).inNamespace(NAMESPACE)
                .withName("workflows").get();
            String topic = pipeline.getSpec().getTopics().getStateCommitted().getName();
            step("producing " + EVENTS + " state-committed events to " + topic);
            produce(kafka, topic);
            boolean converged = awaitStatus(client, Duration.ofSeconds(60));
            printTables(client, kubernetes.crds());
            printDeployments(client);
            if (refused > 0 || !hostileRefused || !converged) {
              step("FAILED: " + refused + " example(s) refused" + (hostileRefused ? "" : ", hostile projection admitted")
                  + (converged ? "" : ", the operator's status did not show the expected figures"));
              return 1;
            }
            if (!once) {
              step("running; press Ctrl-C to stop (Kafka " + kafka.bootstrapServers() + ", PostgreSQL "
                  + postgres.jdbcUrl() + ", API " + client.getMasterUrl() + ", metrics: see docs/operator.md)");
              CountDownLatch stop = new CountDownLatch(1);
              Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
              stop.await();
            }
          }
        }
      }
    }
    step("stopped cleanly" + since(t0));
    return 0;
  }

  /**
   * Waits until the operator shows what a user should see: both connections of the pipeline reachable, the
   * projection's partitions, its replicas capped by maxReplicas, the lag of the produced events, and the
   * Deployment scaled to match.
   */
  boolean awaitStatus(KubernetesClient client, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      ReducerPipeline pipeline = client.resources(ReducerPipeline.class).inNamespace(NAMESPACE)
          .withName("workflows").get();
      Projection projection = client.resources(Projection.class).inNamespace(NAMESPACE)
          .withName("workflow-projection").get();
      Deployment deployment = client.apps().deployments().inNamespace(NAMESPACE)
          .withName("workflow-projection-materializer").get();
      boolean connected = pipeline.getStatus() != null
          && isTrue(pipeline.getStatus().condition("KafkaReachable").map(c -> c.getStatus()).orElse(null))
          && isTrue(pipeline.getStatus().condition("DatabaseReachable").map(c -> c.getStatus()).orElse(null));
      var status = projection.getStatus();
      String now = status == null ? "no status yet" : "partitions=" + status.getPartitions() + " replicas="
          + status.getReplicas() + " lag=" + status.getConsumerLag() + " health=" + status.getHealth()
          + " deployment=" + (deployment == null ? "none" : deployment.getSpec().getReplicas());
      if (!now.equals(last)) {
        step("  workflow-projection: " + now);
        last = now;
      }
      if (connected && status != null && Integer.valueOf(12).equals(status.getPartitions())
          && Integer.valueOf(6).equals(status.getReplicas()) && Long.valueOf(EVENTS).equals(status.getConsumerLag())
          && deployment != null && deployment.getSpec().getReplicas() == 6) {
        step("  the operator shows 12 partitions, 6 materializers (maxReplicas) and " + EVENTS
            + " records of lag; pods are not run here, so the lag stays");
        return true;
      }
      Thread.sleep(500);
    }
    return false;
  }

  private static boolean isTrue(ConditionStatus status) {
    return status == ConditionStatus.True;
  }

  private void produce(KafkaBroker kafka, String topic) {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.clientProperties(),
        new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < EVENTS; i++) {
        String key = "wf-" + (i % 1000);
        producer.send(new ProducerRecord<>(topic, key, "{\"workflow_key\":\"" + key + "\",\"version\":"
            + (i / 1000 + 1) + ",\"state\":{\"status\":\"PROCESSING\"},\"namespace\":\"orders\","
            + "\"tag\":\"sandbox\",\"last_action\":\"advance\",\"correlation_id\":\"c-" + i + "\","
            + "\"committed_at\":\"" + Instant.now() + "\"}"));
      }
    }
  }

  private void printDeployments(KubernetesClient client) {
    out.println("$ kubectl get deployments -n " + NAMESPACE);
    out.printf("%-36s %-9s%n", "NAME", "REPLICAS");
    client.apps().deployments().inNamespace(NAMESPACE).list().getItems().forEach(d ->
        out.printf("%-36s %-9s%n", d.getMetadata().getName(), d.getSpec().getReplicas()));
    out.println();
  }

  /**
   * Admits each example like the API server would, then stores it; the pipeline is first pointed at the local
   * broker and database, with its credentials in a Secret and its topics created. Returns how many were refused.
   */
  int applyExamples(KubernetesClient client, KafkaBroker kafka, PostgresServer postgres) throws Exception {
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
      if (kind.equals("ReducerPipeline")) {
        localize((ObjectNode) tree.path("spec"), client, kafka, postgres);
      }
      CrdValidationResult result = validators.get(kind).validateCreate(tree);
      if (!result.valid()) {
        refused++;
        step("  " + kind + "/" + name + " refused: " + String.join("; ", result.errors()));
        continue;
      }
      if (ONE_SHOT_KINDS.contains(kind)) {
        // A reset or replay of the examples' production-like settings would act on the sandbox's data at once.
        step("  " + kind.toLowerCase() + ".reducer.io/" + name + " admitted, not applied (" + file.getFileName()
            + "): one-shot operations act as soon as they exist");
        continue;
      }
      GenericKubernetesResource resource = YAML.treeToValue(tree, GenericKubernetesResource.class);
      client.resource(resource).createOr(existing -> existing.update());
      step("  " + kind.toLowerCase() + ".reducer.io/" + name + " created (" + file.getFileName() + ")");
    }
    return refused;
  }

  /** Points the example pipeline at the local broker and database; the rest of its spec stays as written. */
  private void localize(ObjectNode spec, KubernetesClient client, KafkaBroker kafka, PostgresServer postgres) {
    ObjectNode kafkaSpec = (ObjectNode) spec.path("kafka");
    kafkaSpec.put("bootstrapServers", kafka.bootstrapServers());
    kafkaSpec.remove("security");
    ObjectNode database = (ObjectNode) spec.path("postgres");
    database.put("host", "127.0.0.1");
    database.put("port", postgres.port());
    database.put("database", "postgres");
    database.put("sslMode", "disable");
    String secret = database.path("credentials").path("secretName").asText();
    client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName(secret)
        .endMetadata().withStringData(Map.of("username", postgres.user(), "password", postgres.password())).build())
        .createOr(existing -> existing.update());
    spec.path("topics").forEach(topic -> kafka.createTopic(topic.path("name").asText(),
        topic.path("partitions").asInt(1)));
    step("  pipeline pointed at " + kafka.bootstrapServers() + " and 127.0.0.1:" + postgres.port()
        + "; Secret " + secret + " and the topics created (the operator does not create topics yet)");
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
