package io.reducer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.controller.reset.ResetPlans;
import io.reducer.controller.workload.EmergencyStop;
import io.reducer.testsupport.ProjectLayout;
import io.reducer.testsupport.crd.CrdValidationResult;
import io.reducer.testsupport.crd.CrdValidator;
import io.reducer.testsupport.kafka.KafkaBroker;
import io.reducer.testsupport.kubernetes.Annotations;
import io.reducer.testsupport.kubernetes.PrinterTable;
import io.reducer.testsupport.postgres.PostgresServer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The local sandbox: the product on one machine, walked through a story from the runbooks. It starts the local
 * cluster (a real Kafka broker and PostgreSQL, the Kubernetes API with the committed CRDs, a local kubelet that
 * runs the workloads' pods as JVM processes, and the operator), admits the examples through the CRDs' schema and
 * CEL rules, and then: drives state-committed traffic with poison records until the projection has caught up and
 * the poison sits in the DLQ; previews and, once approved, replays the DLQ; resets the projection's watermarks
 * with a rebuild; adds partitions and watches the materializers follow. Resources are printed the way kubectl get
 * shows them. Test infrastructure, not a product component.
 *
 * <p>Usage: {@code Sandbox [--once]}. Without --once it keeps running for exploration until Ctrl-C: YAML files
 * put into {@code sandbox/apply/} are applied, and the tables are printed again whenever they change.
 */
public final class Sandbox {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final KubernetesSerialization KUBE_YAML = new KubernetesSerialization();

  static final String NAMESPACE = "orders";
  static final String PROJECTION = "workflow-projection";
  static final int WORKFLOWS = 1_000;
  /** Actions on completed workflows: the reducers refuse them to the DLQ as INVALID_TRANSITION. */
  static final int POISON = 40;
  /** Reducer pods in the sandbox: fewer than the example's 3, to fit a laptop. */
  static final int REDUCERS = 2;
  /** Partitions of the example's topics in the sandbox: fewer than in production, to fit a laptop. */
  static final int PARTITIONS = 4;
  static final int MORE_PARTITIONS = 6;
  private static final Set<String> ONE_SHOT_KINDS = Set.of("WatermarkReset", "DlqReplay");

  private final PrintStream out;
  private final List<String> failed = new ArrayList<>();
  private String stateCommittedTopic;
  private String actionsTopic;
  private String pipeline;
  private String dlqTopic;

  Sandbox(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    // Exit explicitly: client and operator threads must not keep the JVM alive after a clean stop.
    System.exit(new Sandbox(System.out).run(List.of(args).contains("--once")));
  }

  /** Starts everything and walks the story; returns 0 when every step reached its expected state. */
  int run(boolean once) throws Exception {
    long t0 = System.nanoTime();
    step("starting the local cluster: Kafka broker (own JVM), PostgreSQL, Kubernetes API with the reducer.io CRDs, "
        + "local kubelet, operator");
    try (LocalCluster cluster = LocalCluster.start(NAMESPACE, "--probe-interval", "2s")) {
      KubernetesClient client = cluster.client();
      step("  Kafka " + cluster.kafka().bootstrapServers() + ", PostgreSQL " + cluster.postgres().jdbcUrl() + ", API "
          + client.getMasterUrl() + since(t0));
      int refused = applyExamples(client, cluster.kafka(), cluster.postgres());
      expect("examples admitted", refused == 0);
      expect("hostile projection refused", showHostileInputIsRefused());
      expect("topics created by the operator", await(client, "operator creating the topics", Duration.ofSeconds(60),
          () -> "True".equals(pipelineCondition(client, "TopicsReady"))));

      chapter("1. Traffic: " + 3 * WORKFLOWS + " actions move " + WORKFLOWS + " workflows PENDING -> PROCESSING -> "
          + "COMPLETED; " + POISON + " more arrive after COMPLETED");
      SandboxTraffic.produceActions(cluster.kafka().clientProperties(), actionsTopic, WORKFLOWS, POISON);
      expect("reducers folded the actions", await(client, "reducers folding actions", Duration.ofSeconds(120),
          () -> count(cluster, "SELECT count(*) FROM workflow_state WHERE version = 3") == WORKFLOWS));
      expect("projection caught up", await(client, "materializers catching up", Duration.ofSeconds(120),
          () -> caughtUp(client, PARTITIONS) && rows(cluster) == WORKFLOWS));
      expect("invalid transitions in the DLQ", await(client, "invalid transitions in the DLQ",
          Duration.ofSeconds(30), () -> dlqDepth(cluster) == POISON));
      step("  " + count(cluster, "SELECT count(*) FROM workflow_state") + " workflows in workflow_state, "
          + count(cluster, "SELECT count(*) FROM workflow_state_history") + " versions in workflow_state_history, "
          + rows(cluster) + " rows in workflow_projection");
      step("  " + dlqDepth(cluster) + " records in " + dlqTopic + ": the actions that came after COMPLETED, each "
          + "with x-error-type INVALID_TRANSITION");
      expect("runbook diagnostics agree", runbookDiagnostics(cluster));
      expect("pipeline health measured", await(client, "pipeline health probe", Duration.ofSeconds(30),
          () -> pipelineHealthMeasured(client)));
      step("  pipeline health: " + pipelineHealthSummary(client));
      printTables(client, cluster.kubernetes().crds());

      chapter("2. DLQ: preview the poison, approve, replay it exactly once to a quarantine topic");
      cluster.kafka().createTopic(QUARANTINE, 1);
      apply(client, "DlqReplay", "quarantine-poison", "pipelineRef: {name: workflows}\n"
          + "  target: {topic: " + QUARANTINE + "}\n  approval: Manual");
      expect("replay previewed", await(client, "replay preview", Duration.ofSeconds(60),
          () -> replayPhase(client).equals("AwaitingApproval")));
      DlqReplay replay = client.resources(DlqReplay.class).inNamespace(NAMESPACE).withName("quarantine-poison").get();
      if (replay.getStatus() != null && replay.getStatus().getPreview() != null) {
        step("  preview: " + replay.getStatus().getPreview().getMatched() + " matched, by error type "
            + replay.getStatus().getPreview().getByErrorType());
      }
      approve(client, DlqReplay.class, "quarantine-poison");
      expect("replay succeeded", await(client, "replay", Duration.ofSeconds(90),
          () -> replayPhase(client).equals("Succeeded")));
      printTables(client, cluster.kubernetes().crds());

      chapter("3. Watermark reset: rebuild workflow_projection from the earliest offsets");
      apply(client, "WatermarkReset", "rebuild-sandbox", "projectionRef: {name: " + PROJECTION + "}\n"
          + "  target: {type: earliest}\n  rebuild: true\n  approval: Manual");
      expect("reset planned", await(client, "reset", Duration.ofSeconds(60),
          () -> resetPhase(client).equals("AwaitingApproval")));
      WatermarkReset reset = client.resources(WatermarkReset.class).inNamespace(NAMESPACE).withName("rebuild-sandbox")
          .get();
      step("  plan: " + ResetPlans.summary(reset.getStatus().getPlan()) + "; the materializers are held at 0 while "
          + "it waits for approval");
      approve(client, WatermarkReset.class, "rebuild-sandbox");
      expect("reset completed", await(client, "reset", Duration.ofSeconds(60),
          () -> resetPhase(client).equals("Completed")));
      expect("projection rebuilt", await(client, "materializers rebuilding", Duration.ofSeconds(120),
          () -> caughtUp(client, PARTITIONS) && rows(cluster) == WORKFLOWS));
      printTables(client, cluster.kubernetes().crds());

      chapter("4. Partitions: " + stateCommittedTopic + " goes from " + PARTITIONS + " to " + MORE_PARTITIONS
          + " partitions");
      step("  kubectl patch rp " + pipeline + " --type merge -p '{\"spec\":{\"topics\":{\"stateCommitted\":"
          + "{\"partitions\":" + MORE_PARTITIONS + "}}}}'");
      client.resources(ReducerPipeline.class).inNamespace(NAMESPACE).withName(pipeline)
          .edit(rp -> {
            rp.getSpec().getTopics().getStateCommitted().setPartitions(MORE_PARTITIONS);
            return rp;
          });
      expect("materializers follow the partitions", await(client, "scaling", Duration.ofSeconds(90),
          () -> caughtUp(client, MORE_PARTITIONS)));
      printTables(client, cluster.kubernetes().crds());
      printDeployments(client);

      chapter("5. Emergency stop: the annotation GitOps leaves alone pauses reducers and materializers, and its "
          + "removal restores them");
      step("$ kubectl annotate rp " + pipeline + " " + EmergencyStop.ANNOTATION + "=true");
      Annotations.annotate(client, ReducerPipeline.class, NAMESPACE, pipeline, EmergencyStop.ANNOTATION, "true");
      expect("everything paused", await(client, "pause", Duration.ofSeconds(60),
          () -> replicas(client, pipeline + "-reducer") == 0 && replicas(client, PROJECTION + "-materializer") == 0));
      printDeployments(client);
      step("$ kubectl annotate rp " + pipeline + " " + EmergencyStop.ANNOTATION + "-");
      Annotations.annotate(client, ReducerPipeline.class, NAMESPACE, pipeline, EmergencyStop.ANNOTATION, null);
      expect("everything resumed", await(client, "resume", Duration.ofSeconds(90),
          () -> replicas(client, pipeline + "-reducer") == REDUCERS && caughtUp(client, MORE_PARTITIONS)));
      printDeployments(client);

      if (!failed.isEmpty()) {
        step("FAILED: " + String.join(", ", failed));
        return 1;
      }
      step("every step reached its expected state" + since(t0));
      if (!once) {
        explore(cluster);
      }
    }
    step("stopped cleanly" + since(t0));
    return 0;
  }

  private static final String QUARANTINE = "prod.workflows.evt.state-committed.v1.quarantine";

  /** Until Ctrl-C: applies YAML files put into sandbox/apply/ and prints the tables whenever they change. */
  private void explore(LocalCluster cluster) throws Exception {
    Path inbox = ProjectLayout.root().resolve("sandbox").resolve("apply");
    Files.createDirectories(inbox);
    step("running; press Ctrl-C to stop. Put YAML files into " + inbox + " to apply them (namespace " + NAMESPACE
        + "; the broker is " + cluster.kafka().bootstrapServers() + ")");
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
    String lastTables = "";
    while (!stop.await(3, java.util.concurrent.TimeUnit.SECONDS)) {
      try (var files = Files.list(inbox)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
            .collect(Collectors.toList())) {
          try {
            cluster.client().load(Files.newInputStream(file)).inNamespace(NAMESPACE).createOrReplace();
            step("  applied " + file.getFileName());
          } catch (RuntimeException e) {
            step("  " + file.getFileName() + " refused: " + e.getMessage());
          }
          Files.move(file, file.resolveSibling(file.getFileName() + ".applied"),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
      String tables = tables(cluster.client(), cluster.kubernetes().crds());
      if (!tables.equals(lastTables)) {
        out.print(tables);
        lastTables = tables;
      }
    }
  }

  /** The status of one condition of the sandbox's pipeline, or null while it has none. */
  private String pipelineCondition(KubernetesClient client, String type) {
    ReducerPipeline rp = client.resources(ReducerPipeline.class).inNamespace(NAMESPACE).withName(pipeline).get();
    if (rp == null || rp.getStatus() == null || rp.getStatus().getConditions() == null) {
      return null;
    }
    return rp.getStatus().getConditions().stream().filter(c -> c.getType().equals(type))
        .map(c -> String.valueOf(c.getStatus())).findFirst().orElse(null);
  }

  /** Waits for a state, printing a line of progress whenever what the user would see changes. */
  private boolean await(KubernetesClient client, String what, Duration timeout, BooleanSupplier done)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      String now = progress(client);
      if (!now.equals(last)) {
        step("  " + now);
        last = now;
      }
      try {
        if (done.getAsBoolean()) {
          return true;
        }
      } catch (RuntimeException e) {
        // Not there yet (a table or a resource that does not exist yet).
      }
      Thread.sleep(500);
    }
    step("  " + what + ": not reached in " + timeout.toSeconds() + " s");
    return false;
  }

  private static String progress(KubernetesClient client) {
    Projection projection = client.resources(Projection.class).inNamespace(NAMESPACE).withName(PROJECTION).get();
    var status = projection == null ? null : projection.getStatus();
    String line = status == null ? PROJECTION + ": no status yet" : PROJECTION + ": partitions="
        + known(status.getPartitions(), "") + " replicas=" + known(status.getReplicas(), "") + " ready="
        + known(status.getReadyReplicas(), "") + " lag=" + known(status.getConsumerLag(), "") + " health="
        + status.getHealth()
        + (status.getActiveReset() == null ? "" : " held by " + status.getActiveReset());
    DlqReplay replay = client.resources(DlqReplay.class).inNamespace(NAMESPACE).withName("quarantine-poison").get();
    if (replay != null && replay.getStatus() != null) {
      line += "; dlqreplay " + replay.getStatus().getPhase();
    }
    WatermarkReset reset = client.resources(WatermarkReset.class).inNamespace(NAMESPACE).withName("rebuild-sandbox")
        .get();
    if (reset != null && reset.getStatus() != null) {
      line += "; watermarkreset " + reset.getStatus().getPhase();
    }
    return line;
  }

  /** All partitions materialized by ready materializers: status shows the partitions, no lag, all pods ready. */
  private static boolean caughtUp(KubernetesClient client, int partitions) {
    var status = client.resources(Projection.class).inNamespace(NAMESPACE).withName(PROJECTION).get().getStatus();
    return status != null && Integer.valueOf(partitions).equals(status.getPartitions())
        && Long.valueOf(0).equals(status.getConsumerLag()) && status.getReplicas() != null
        && status.getReplicas() > 0 && status.getReplicas().equals(status.getReadyReplicas());
  }

  /**
   * The runbooks' diagnostic SQL, as an on-call engineer would paste it, against the live canonical store: no
   * workflow behind in the projection, none given up, an empty outbox backlog.
   */
  private boolean runbookDiagnostics(LocalCluster cluster) {
    long behind = count(cluster, "SELECT count(*) FROM (SELECT c.workflow_key, c.version AS canonical_version, "
        + "p.version AS projection_version, (c.version - p.version) AS version_lag FROM workflow_state c "
        + "LEFT JOIN workflow_projection p ON c.workflow_key = p.workflow_key "
        + "WHERE c.version > COALESCE(p.version, 0)) behind");
    long gaveUp = count(cluster, "SELECT count(*) FROM reducer_gaveup_log");
    long backlog = count(cluster, "SELECT h.last_sequence - c.next_sequence + 1 FROM reducer_outbox_head h, "
        + "reducer_outbox_cursor c");
    long published = count(cluster, "SELECT next_sequence - 1 FROM reducer_outbox_cursor");
    step("  runbook SQL: " + behind + " workflows behind canonical in workflow_projection, " + gaveUp
        + " rows in reducer_gaveup_log, outbox backlog " + backlog + " (" + published + " versions published)");
    return behind == 0 && gaveUp == 0 && backlog == 0 && published == 3L * WORKFLOWS;
  }

  /** Health, the Degraded condition's message and the figures behind it, as kubectl describe shows them. */
  private String pipelineHealthSummary(KubernetesClient client) {
    var status = client.resources(ReducerPipeline.class).inNamespace(NAMESPACE).withName(pipeline).get().getStatus();
    var metrics = status.getMetrics();
    String degraded = status.condition("Degraded").map(c -> c.getReason() + ": " + c.getMessage()).orElse("");
    return status.getHealth() + " (" + degraded + "); conflict rate " + known(metrics.getConflictRatePercent(), " %")
        + ", success rate " + known(metrics.getSuccessRatePercent(), " %") + ", commit p95 "
        + known(metrics.getCommitLatencyP95Ms(), " ms") + ", outbox backlog " + known(metrics.getOutboxBacklog(), "")
        + ", DLQ depth " + known(metrics.getDlqDepth(), "") + ", dedup entries " + known(metrics.getDedupEntries(), "");
  }

  /** A status figure with its unit, or "unknown" while the operator has not measured it (yet). */
  private static String known(Object figure, String unit) {
    return figure == null ? "unknown" : figure + unit;
  }

  private static int replicas(KubernetesClient client, String deployment) {
    var d = client.apps().deployments().inNamespace(NAMESPACE).withName(deployment).get();
    return d == null || d.getSpec().getReplicas() == null ? -1 : d.getSpec().getReplicas();
  }

  /** The pipeline's health probe ran and every printer column has a value. */
  private boolean pipelineHealthMeasured(KubernetesClient client) {
    ReducerPipeline rp = client.resources(ReducerPipeline.class).inNamespace(NAMESPACE).withName(pipeline).get();
    var status = rp == null ? null : rp.getStatus();
    return status != null && status.getMetrics() != null && status.getMetrics().getConflictRatePercent() != null
        && status.getMetrics().getDlqDepth() != null && status.getHealth() != null && status.getReducersReady() != null
        && status.getTopicsReady() != null;
  }

  private long dlqDepth(LocalCluster cluster) {
    try {
      return cluster.kafka().admin().listOffsets(partitions(cluster, dlqTopic)).all().get().values().stream()
          .mapToLong(o -> o.offset()).sum();
    } catch (Exception e) {
      return -1;
    }
  }

  private static Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> partitions(
      LocalCluster cluster, String topic) throws Exception {
    Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> request = new HashMap<>();
    cluster.kafka().admin().describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
        .forEach(p -> request.put(new org.apache.kafka.common.TopicPartition(topic, p.partition()),
            org.apache.kafka.clients.admin.OffsetSpec.latest()));
    return request;
  }

  private static long rows(LocalCluster cluster) {
    return count(cluster, "SELECT COUNT(*) FROM workflow_projection");
  }

  private static long count(LocalCluster cluster, String sql) {
    try (Connection c = DriverManager.getConnection(cluster.postgres().jdbcUrl(), cluster.postgres().user(),
        cluster.postgres().password()); Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    } catch (java.sql.SQLException e) {
      return -1;
    }
  }

  private static String replayPhase(KubernetesClient client) {
    DlqReplay replay = client.resources(DlqReplay.class).inNamespace(NAMESPACE).withName("quarantine-poison").get();
    return replay == null || replay.getStatus() == null || replay.getStatus().getPhase() == null ? ""
        : replay.getStatus().getPhase().name();
  }

  private static String resetPhase(KubernetesClient client) {
    WatermarkReset reset = client.resources(WatermarkReset.class).inNamespace(NAMESPACE).withName("rebuild-sandbox")
        .get();
    return reset == null || reset.getStatus() == null || reset.getStatus().getPhase() == null ? ""
        : reset.getStatus().getPhase().name();
  }

  /** What kubectl apply of a small manifest would do, printed the way kubectl prints it. */
  private void apply(KubernetesClient client, String kind, String name, String spec) {
    String yaml = "apiVersion: reducer.io/v1alpha1\nkind: " + kind + "\nmetadata: {name: " + name + ", namespace: "
        + NAMESPACE + "}\nspec:\n  " + spec + "\n";
    step("$ kubectl apply -f - <<EOF\n" + yaml + "EOF");
    client.resource(KUBE_YAML.unmarshal(yaml, GenericKubernetesResource.class)).create();
    step("  " + kind.toLowerCase() + ".reducer.io/" + name + " created");
  }

  private <T extends io.fabric8.kubernetes.api.model.HasMetadata> void approve(KubernetesClient client, Class<T> type,
      String name) {
    step("$ kubectl annotate " + type.getSimpleName().toLowerCase() + " " + name + " reducer.io/approve=true");
    Annotations.annotate(client, type, NAMESPACE, name, "reducer.io/approve", "true");
  }

  private void expect(String what, boolean reached) {
    if (!reached) {
      failed.add(what);
    }
  }

  private void chapter(String title) {
    out.println();
    step(title);
  }

  private void printDeployments(KubernetesClient client) {
    out.println("$ kubectl get deployments -n " + NAMESPACE);
    out.printf("%-36s %-9s %-6s%n", "NAME", "REPLICAS", "READY");
    client.apps().deployments().inNamespace(NAMESPACE).list().getItems().forEach(d ->
        out.printf("%-36s %-9s %-6s%n", d.getMetadata().getName(), d.getSpec().getReplicas(),
            d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas()));
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
        pipeline = name;
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
    ObjectNode topics = (ObjectNode) spec.path("topics");
    for (String name : List.of("actions", "stateCommitted")) {
      ((ObjectNode) topics.path(name)).put("partitions", PARTITIONS);
    }
    // One local broker: a replication factor of 3 could not be created.
    topics.forEach(topic -> ((ObjectNode) topic).put("replicationFactor", 1));
    stateCommittedTopic = topics.path("stateCommitted").path("name").asText();
    actionsTopic = topics.path("actions").path("name").asText();
    ((ObjectNode) spec.path("reducer")).put("replicas", REDUCERS);
    dlqTopic = topics.path("dlq").path("name").asText();
    step("  pipeline pointed at " + kafka.bootstrapServers() + " and 127.0.0.1:" + postgres.port()
        + "; Secret " + secret + " created; topics declared with " + PARTITIONS + " partitions instead of 12 and "
        + "replication factor 1, and " + REDUCERS + " reducers instead of 3, to fit a laptop (the operator creates "
        + "the topics, the canonical store's tables and the reducers)");
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
    out.print(tables(client, crds));
  }

  static String tables(KubernetesClient client, List<CustomResourceDefinition> crds) {
    StringBuilder text = new StringBuilder();
    for (CustomResourceDefinition crd : crds) {
      String apiVersion = crd.getSpec().getGroup() + "/" + crd.getSpec().getVersions().get(0).getName();
      List<JsonNode> items = new ArrayList<>();
      client.genericKubernetesResources(apiVersion, crd.getSpec().getNames().getKind()).inAnyNamespace().list()
          .getItems().forEach(r -> items.add(YAML.valueToTree(r)));
      text.append("\n$ kubectl get ").append(crd.getSpec().getNames().getShortNames().get(0)).append(" -A\n");
      text.append(new PrinterTable(crd).render(items, Instant.now(), true));
    }
    return text.append("\n").toString();
  }


  private void step(String message) {
    out.println("[sandbox] " + message);
  }

  private static String since(long t0) {
    return String.format(" (%.1f s)", (System.nanoTime() - t0) / 1e9);
  }
}
