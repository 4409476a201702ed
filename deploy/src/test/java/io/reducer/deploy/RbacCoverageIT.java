package io.reducer.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reducer.api.v1alpha1.DlqReplay;
import io.reducer.api.v1alpha1.Projection;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.WatermarkReset;
import io.reducer.api.v1alpha1.dlq.DlqReplayPhase;
import io.reducer.api.v1alpha1.reset.WatermarkResetPhase;
import io.reducer.controller.app.OperatorConfig;
import io.reducer.controller.app.ReducerOperator;
import io.reducer.controller.reset.ResetHold;
import io.reducer.testsupport.cluster.ImageCatalog;
import io.reducer.testsupport.cluster.ImageEntry;
import io.reducer.testsupport.cluster.LocalKubelet;
import io.reducer.testsupport.cluster.LocalKubeletOptions;
import io.reducer.testsupport.kafka.KafkaBroker;
import io.reducer.testsupport.kubernetes.Edits;
import io.reducer.testsupport.kubernetes.MockKubernetes;
import io.reducer.testsupport.postgres.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's RBAC against what the operator really does. The operator runs as the chart configures it (its
 * environment is the rendered Deployment's, watching namespace orders from namespace reducer-system, leader election
 * on) with its own client, whose every request the mock API server records; the local cluster runs the pods and
 * Jobs it creates. A flow through every reconciler (a pipeline, a projection paused twice, a WatermarkReset deleted
 * while it holds the projection, a stale hold naming a reset that does not exist, a Shadow rebuild deleted before its
 * cutover, a dry-run reset, a reset of the pipeline's reducers, a preview-only DlqReplay and a cancelled one, the
 * finished ones pruned by the history limit) is driven from outside, and then each recorded request must be allowed
 * by the chart's Roles, and each verb the chart grants must have been used (but for
 * {@link #GRANTED_BUT_NOT_EXERCISED}): the rules are neither too narrow nor wider than the operator needs.
 * java-operator-sdk's own check of its Lease access runs against the chart's rules too.
 */
class RbacCoverageIT {

  private static final String OPERATOR_NAMESPACE = "reducer-system";
  private static final String WATCHED = "orders";
  private static final String USER_AGENT = "reducer-operator-rbac-coverage";
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final Duration STEP = Duration.ofSeconds(60);

  /**
   * Grants the flow may leave unused, each with the code path that needs it: "verb group/resource".
   */
  private static final Map<String, String> GRANTED_BUT_NOT_EXERCISED = Map.of(
      "update coordination.k8s.io/leases", "java-operator-sdk does not start leader election unless a "
          + "SelfSubjectRulesReview lists create, get and update on the Lease (answered here from the chart's rules); "
          + "the Lease itself is renewed with patch",
      "get batch/jobs", "DlqReplayReconciler reads a Job by name when its informer has not seen it yet (created a "
          + "moment ago) before it concludes the Job is gone; whether the flow meets that moment is a race");

  @TempDir
  Path workDir;

  private KubernetesClient client;

  @Test
  void everyRequestTheOperatorMakesIsGrantedAndEveryGrantIsUsed() throws Exception {
    Rendered chart = HelmChart.objects(OPERATOR_NAMESPACE, String.join("\n",
        "watchNamespaces: [" + WATCHED + "]",
        "workloadsImage: {repository: registry.test/reducer-workloads, tag: '1'}",
        "probeInterval: 1s",
        "clientTimeout: 3s",
        "finishedHistoryLimit: 0", ""));
    RbacPolicy policy = RbacPolicy.forServiceAccount(chart.objects(), OPERATOR_NAMESPACE, HelmChart.RELEASE);
    RecordingDispatcher dispatcher = new RecordingDispatcher(USER_AGENT, policy);
    Duration quick = Duration.ofMillis(200);
    try (KafkaBroker kafka = KafkaBroker.start(); PostgresServer postgres = PostgresServer.start();
        MockKubernetes kubernetes = MockKubernetes.withCommittedCrds(dispatcher);
        LocalKubelet cluster = LocalKubelet.start(kubernetes.client(), ImageCatalog.of(
            ImageEntry.of("reducer-workloads", "io.reducer.workloads.Main").withPortEnv("http",
                "MATERIALIZER_HTTP_PORT", "REDUCER_HTTP_PORT")), workDir, LocalKubeletOptions.defaults().withResyncPeriod(quick)
            .withGcPeriod(quick).withJobBackoff(quick));
        KubernetesClient operatorClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
            kubernetes.client().getConfiguration()).withUserAgent(USER_AGENT).withNamespace(OPERATOR_NAMESPACE)
            .build()).build()) {
      client = kubernetes.client();
      Map<String, String> env = new HashMap<>(chart.env());
      env.put("OPERATOR_NAMESPACE", OPERATOR_NAMESPACE); // the Downward API's answer
      OperatorConfig config = OperatorConfig.parse(List.of(), env, null);
      try (ReducerOperator operator = new ReducerOperator(operatorClient, config, new SimpleMeterRegistry(),
          Clock.systemUTC())) {
        operator.start();
        driveEveryReconciler(kafka, postgres, cluster);
      }
    }

    List<ApiRequest> requests = dispatcher.recorded();
    System.out.println("RBAC coverage: " + requests.size() + " requests, distinct:\n  " + requests.stream()
        .map(r -> r.isResourceRequest() ? r.verb() + " " + (r.group().isEmpty() ? "core" : r.group()) + "/"
            + r.resourceWithSubresource() + " in " + (r.namespace().isEmpty() ? "(cluster)" : r.namespace())
            : r.toString()).collect(Collectors.toCollection(TreeSet::new)).stream()
        .collect(Collectors.joining("\n  ")));
    assertThat(requests).as("requests recorded from the operator's client").isNotEmpty();
    Set<String> denied = requests.stream().filter(r -> !policy.allows(r)).map(ApiRequest::toString)
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(denied).as("requests of the operator the chart's RBAC would refuse").isEmpty();
    assertThat(unusedGrants(policy, requests)).as("verbs the chart grants that the operator never used")
        .isSubsetOf(GRANTED_BUT_NOT_EXERCISED.keySet());
  }

  /** Each (verb, group/resource) a grant names, in its namespace, that no recorded request used. */
  private static Set<String> unusedGrants(RbacPolicy policy, List<ApiRequest> requests) {
    Set<String> unused = new LinkedHashSet<>();
    for (RbacPolicy.Grant grant : policy.grants()) {
      PolicyRule rule = grant.rule();
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            PolicyRule single = new PolicyRule(List.of(group), List.of(), rule.getResourceNames(),
                List.of(resource), List.of(verb));
            boolean used = requests.stream().anyMatch(r -> RbacPolicy.matches(single, r)
                && (grant.namespace() == null || grant.namespace().equals(r.namespace())));
            if (!used) {
              unused.add(verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource);
            }
          }
        }
      }
    }
    return unused;
  }

  private void driveEveryReconciler(KafkaBroker kafka, PostgresServer postgres, LocalKubelet cluster)
      throws Exception {
    kafka.createTopic("rb.state-committed", 1);
    kafka.createTopic("rb.actions", 1);
    kafka.createTopic("rb.dlq", 1);
    produceDlq(kafka, "rb.dlq", 3);
    client.secrets().inNamespace(WATCHED).resource(new SecretBuilder().withNewMetadata().withName("pg")
        .endMetadata().withStringData(Map.of("username", postgres.user(), "password", postgres.password())).build())
        .create();
    create(ReducerPipeline.class, "ReducerPipeline", "rb",
        "  kafka: {bootstrapServers: '" + kafka.bootstrapServers() + "'}",
        "  topics:",
        "    actions: {name: rb.actions, partitions: 1, replicationFactor: 1}",
        "    stateCommitted: {name: rb.state-committed, partitions: 1, replicationFactor: 1}",
        "    dlq: {name: rb.dlq, partitions: 1, replicationFactor: 1}",
        "  postgres:",
        "    host: 127.0.0.1",
        "    port: " + postgres.port(),
        "    database: postgres",
        "    schema: public",
        "    sslMode: disable",
        "    credentials: {secretName: pg, usernameKey: username, passwordKey: password}",
        "  reducer: {replicas: 1}");
    create(Projection.class, "Projection", "rb-view", "  pipelineRef: {name: rb}", "  table: rb_view");
    await("the materializer Deployment").atMost(STEP).until(() -> client.apps().deployments().inNamespace(WATCHED)
        .withName("rb-view-materializer").get() != null);

    // Paused twice: the second, identical Paused event raises the count of the first.
    for (boolean paused : new boolean[] {true, false, true}) {
      edit(Projection.class, "rb-view", p -> p.getSpec().setPaused(paused));
      await("replicas after paused=" + paused).atMost(STEP).until(() -> {
        Integer replicas = client.apps().deployments().inNamespace(WATCHED).withName("rb-view-materializer").get()
            .getSpec().getReplicas();
        return replicas != null && (replicas == 0) == paused;
      });
    }
    await("a Paused event counted twice").atMost(STEP).until(() -> events("rb-view").stream()
        .anyMatch(e -> e.getReason().equals("Paused") && e.getCount() != null && e.getCount() >= 2));

    // A reset deleted while it holds the projection: the projection finds its holder gone and lets go.
    create(WatermarkReset.class, "WatermarkReset", "rb-held", "  projectionRef: {name: rb-view}",
        "  target: {type: latest}", "  approval: Manual");
    await("rb-held holds the projection").atMost(STEP).until(() -> "rb-held".equals(holder()));
    client.resources(WatermarkReset.class).inNamespace(WATCHED).withName("rb-held").delete();
    await("the hold released").atMost(STEP).until(() -> holder() == null);

    // A hold naming a reset the cache has never seen (one deleted while the operator was down): the projection's
    // reconciler asks the API server by name before it concludes the reset is gone and lets go.
    edit(Projection.class, "rb-view", p -> {
      if (p.getMetadata().getAnnotations() == null) {
        p.getMetadata().setAnnotations(new HashMap<>());
      }
      p.getMetadata().getAnnotations().put(ResetHold.ANNOTATION, "rb-gone");
    });
    await("the stale hold released").atMost(STEP).until(() -> holder() == null);

    // A Shadow rebuild deleted before its cutover: a finalizer (a patch), the shadow materializers' Deployment
    // created and deleted, the shadow create and discard Jobs. Its shadow copies the live table, which the running
    // materializer creates.
    edit(Projection.class, "rb-view", p -> p.getSpec().setPaused(false));
    await("the live table rb_view").atMost(STEP).ignoreExceptions().until(() -> {
      try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
          Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT to_regclass('public.rb_view')")) {
        return r.next() && r.getString(1) != null;
      }
    });
    create(WatermarkReset.class, "WatermarkReset", "rb-shadow", "  projectionRef: {name: rb-view}",
        "  target: {type: earliest}", "  rebuild: true", "  rebuildStrategy: Shadow", "  approval: Automatic",
        "  cutoverApproval: Manual");
    await("rb-shadow awaiting its cutover").atMost(STEP).until(() -> {
      WatermarkReset reset = client.resources(WatermarkReset.class).inNamespace(WATCHED).withName("rb-shadow").get();
      assertThat(reset).as("rb-shadow (failed and pruned?)\n" + cluster.dump()).isNotNull();
      return reset.getStatus() != null && reset.getStatus().getPhase() == WatermarkResetPhase.AwaitingCutoverApproval;
    });
    client.resources(WatermarkReset.class).inNamespace(WATCHED).withName("rb-shadow").delete();
    awaitPruned(WatermarkReset.class, "rb-shadow", cluster);
    edit(Projection.class, "rb-view", p -> p.getSpec().setPaused(true));

    create(WatermarkReset.class, "WatermarkReset", "rb-dry", "  projectionRef: {name: rb-view}",
        "  target: {type: earliest}", "  approval: Automatic", "  dryRun: true");
    awaitPruned(WatermarkReset.class, "rb-dry", cluster);

    // A reset of the pipeline's reducers: the pipeline is held with an annotation (a patch), the operator reads the
    // reducer Deployment by name, moves the group's offsets and lets go.
    create(WatermarkReset.class, "WatermarkReset", "rb-reducers", "  pipelineRef: {name: rb}",
        "  target: {type: latest}", "  approval: Automatic");
    awaitPruned(WatermarkReset.class, "rb-reducers", cluster);

    create(DlqReplay.class, "DlqReplay", "rb-look", "  pipelineRef: {name: rb}", "  previewOnly: true",
        "  approval: Automatic");
    awaitPruned(DlqReplay.class, "rb-look", cluster);

    create(DlqReplay.class, "DlqReplay", "rb-cancel", "  pipelineRef: {name: rb}", "  approval: Manual");
    await("rb-cancel awaiting approval").atMost(STEP).until(() -> {
      DlqReplay replay = client.resources(DlqReplay.class).inNamespace(WATCHED).withName("rb-cancel").get();
      return replay.getStatus() != null && replay.getStatus().getPhase() == DlqReplayPhase.AwaitingApproval;
    });
    edit(DlqReplay.class, "rb-cancel", r -> {
      if (r.getMetadata().getAnnotations() == null) {
        r.getMetadata().setAnnotations(new HashMap<>());
      }
      r.getMetadata().getAnnotations().put("reducer.io/cancel", "true");
    });
    awaitPruned(DlqReplay.class, "rb-cancel", cluster);
    await("the cancelled replay's Jobs deleted").atMost(STEP).until(() -> client.batch().v1().jobs()
        .inNamespace(WATCHED).list().getItems().stream().noneMatch(j -> j.getMetadata().getName()
            .startsWith("rb-cancel-")));
  }

  private String holder() {
    Map<String, String> annotations = client.resources(Projection.class).inNamespace(WATCHED).withName("rb-view").get()
        .getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(ResetHold.ANNOTATION);
  }

  /** Waits until a finished one-shot resource is deleted by the operator (--finished-history-limit 0). */
  private <T extends HasMetadata> void awaitPruned(Class<T> type, String name, LocalKubelet cluster) {
    await(name + " finished and pruned").atMost(STEP).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
        assertThat(client.resources(type).inNamespace(WATCHED).withName(name).get())
            .withFailMessage(() -> name + " still there: " + YAML.asYaml(client.resources(type).inNamespace(WATCHED)
                .withName(name).get()) + "\n" + cluster.dump())
            .isNull());
  }

  private <T extends HasMetadata> void create(Class<T> type, String kind, String name, String... specLines) {
    String yaml = String.join("\n", "apiVersion: reducer.io/v1alpha1", "kind: " + kind, "metadata:",
        "  name: " + name, "  namespace: " + WATCHED, "spec:", String.join("\n", specLines));
    client.resources(type).inNamespace(WATCHED).resource(YAML.unmarshal(yaml, type)).create();
  }

  private <T extends HasMetadata> void edit(Class<T> type, String name, Consumer<T> change) {
    Edits.edit(client, type, WATCHED, name, change);
  }

  private List<Event> events(String involved) {
    return client.v1().events().inNamespace(WATCHED).list().getItems().stream()
        .filter(e -> involved.equals(e.getInvolvedObject().getName())).collect(Collectors.toList());
  }

  /** DLQ records in the materializer's format, so the replay's preview has something to count. */
  private static void produceDlq(KafkaBroker kafka, String topic, int count) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < count; i++) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, 0, bytes("wf-" + i),
            bytes("{\"workflow_key\":\"wf-" + i + "\"}"));
        record.headers().add("x-error-type", bytes("VALIDATION_ERROR"));
        record.headers().add("x-original-topic", bytes("rb.orders"));
        record.headers().add("x-original-partition", bytes("0"));
        record.headers().add("x-original-offset", bytes(String.valueOf(i)));
        producer.send(record);
      }
      producer.flush();
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
