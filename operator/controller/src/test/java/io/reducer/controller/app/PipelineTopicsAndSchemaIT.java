package io.reducer.controller.app;

import static io.reducer.controller.app.OperatorFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.reducer.api.v1alpha1.ReducerPipeline;
import io.reducer.api.v1alpha1.ReducerPipelineStatus;
import io.reducer.api.v1alpha1.pipeline.TopicStatus.State;
import io.reducer.api.v1alpha1.pipeline.TopicStatus;
import io.reducer.workloads.reducer.CanonicalSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A ReducerPipeline's topics and canonical store against a real broker and PostgreSQL, with the operator on the mock
 * API server: topics created as declared, partitions and config changed with the spec, a decrease refused without
 * stopping anything else, the schema created once, and a user without the CREATE grant told which grant is missing.
 */
class PipelineTopicsAndSchemaIT {

  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private static OperatorFixture fixture;
  private static Admin admin;

  @BeforeAll
  static void start() throws Exception {
    fixture = new OperatorFixture();
    fixture.databaseSecret("pg");
    admin = fixture.kafka.admin();
    fixture.startOperator();
    await().atMost(Duration.ofSeconds(30)).until(fixture::operatorReady);
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void topicsFollowTheSpecADecreaseIsRefusedAloneAndTheSchemaIsCreatedOnce() throws Exception {
    pipeline("ts", "pg", "ts_store",
        "    actions: {name: ts.actions, partitions: 2, replicationFactor: 1, config: {retention.ms: '3600000'}}",
        "    stateCommitted: {name: ts.state-committed, partitions: 3, config: {cleanup.policy: compact}}",
        "    dlq: {name: ts.dlq}");

    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(condition("ts", "TopicsReady")).isEqualTo("True/AllTopicsReady");
      assertThat(condition("ts", "SchemaReady")).isEqualTo("True/SchemaCurrent");
      assertThat(condition("ts", "Ready")).isEqualTo("True/Connected");
      assertThat(status("ts").getTopicsReady()).isEqualTo("3/3");
    });
    assertThat(status("ts").getTopics()).extracting(TopicStatus::getName, TopicStatus::getPartitions,
        TopicStatus::getState).containsExactly(
            tuple("ts.actions", 2, State.Ready),
            tuple("ts.state-committed", 3, State.Ready),
            tuple("ts.dlq", 1, State.Ready));
    assertThat(partitions("ts.actions")).isEqualTo(2);
    assertThat(partitions("ts.state-committed")).isEqualTo(3);
    assertThat(partitions("ts.dlq")).isEqualTo(1);
    assertThat(overrides("ts.actions")).containsEntry("retention.ms", "3600000");
    assertThat(overrides("ts.state-committed")).containsEntry("cleanup.policy", "compact");
    assertThat(events("ts")).filteredOn(e -> e.startsWith("TopicCreated:")).hasSize(3);
    assertThat(events("ts")).anySatisfy(e -> assertThat(e).startsWith("SchemaCreated: Created the canonical store "
        + "in schema ts_store at version 1"));
    assertThat(tableCount("ts_store")).isEqualTo(10);
    assertThat(versions("ts_store")).containsExactly(1);

    // More partitions and another retention: raised and set in place; a key on the topic the spec never set stays.
    admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, "ts.actions"),
        List.of(new AlterConfigOp(new ConfigEntry("segment.ms", "600000"), AlterConfigOp.OpType.SET)))).all().get();
    fixture.edit(ReducerPipeline.class, "ts", p -> {
      p.getSpec().getTopics().getActions().setPartitions(4);
      p.getSpec().getTopics().getActions().setConfig(new HashMap<>(Map.of("retention.ms", "7200000")));
    });
    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(partitions("ts.actions")).isEqualTo(4);
      assertThat(overrides("ts.actions")).containsEntry("retention.ms", "7200000").containsEntry("segment.ms",
          "600000");
      assertThat(status("ts").getTopics().get(0).getPartitions()).isEqualTo(4);
    });
    assertThat(events("ts")).contains("PartitionsIncreased: Raised the partitions of topic ts.actions from 2 to 4 "
        + "(spec.topics.actions)");

    // Fewer partitions: refused for that topic alone; the connections and the other topics stay as they are.
    fixture.edit(ReducerPipeline.class, "ts", p -> p.getSpec().getTopics().getStateCommitted().setPartitions(2));
    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(condition("ts", "TopicsReady")).isEqualTo("False/PartitionDecreaseRefused");
      assertThat(condition("ts", "Stalled")).isEqualTo("True/PartitionDecreaseRefused");
      assertThat(condition("ts", "KafkaReachable")).isEqualTo("True/Connected");
      assertThat(condition("ts", "DatabaseReachable")).isEqualTo("True/Connected");
      assertThat(condition("ts", "SchemaReady")).isEqualTo("True/SchemaCurrent");
      assertThat(status("ts").getTopics()).extracting(TopicStatus::getState)
          .containsExactly(State.Ready, State.PartitionDecreaseRefused, State.Ready);
      assertThat(status("ts").getTopicsReady()).isEqualTo("2/3");
    });
    assertThat(status("ts").getTopics().get(1).getMessage()).contains("has 3 partitions")
        .contains("asks for 2").contains("Kafka cannot remove partitions");
    assertThat(partitions("ts.state-committed")).isEqualTo(3);

    // Meanwhile the schema runs again, as for a store created before versions were recorded: nothing doubles.
    try (Connection sql = fixture.postgres.connect(); Statement statement = sql.createStatement()) {
      statement.execute("DELETE FROM ts_store.reducer_schema_version");
    }
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(events("ts")).anySatisfy(e ->
        assertThat(e).startsWith("SchemaCreated: Recorded version 1 of the canonical store in schema ts_store")));
    assertThat(tableCount("ts_store")).isEqualTo(10);
    assertThat(versions("ts_store")).containsExactly(1);
    assertThat(condition("ts", "SchemaReady")).isEqualTo("True/SchemaCurrent");
    // Several reconciles later the refusal is still one Event, once.
    assertThat(eventObjects("ts")).filteredOn(e -> e.getReason().equals("TopicChangeRefused")).singleElement()
        .satisfies(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getCount()).isEqualTo(1);
        });
  }

  @Test
  void aDatabaseUserWithoutCreateIsToldWhichGrantIsMissing() throws Exception {
    try (Connection sql = fixture.postgres.connect(); Statement statement = sql.createStatement()) {
      statement.execute("CREATE ROLE lowly LOGIN PASSWORD 'lowly-secret'");
      statement.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
    }
    fixture.client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata()
        .withName("lowly-pg").endMetadata().withStringData(Map.of("username", "lowly", "password", "lowly-secret"))
        .build()).create();
    pipeline("locked", "lowly-pg", "public",
        "    actions: {name: locked.actions}",
        "    stateCommitted: {name: locked.state-committed}",
        "    dlq: {name: locked.dlq}");

    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(condition("locked", "SchemaReady")).isEqualTo("False/SchemaPermissionDenied");
      assertThat(condition("locked", "DatabaseReachable")).isEqualTo("True/Connected");
      assertThat(condition("locked", "TopicsReady")).isEqualTo("True/AllTopicsReady");
      assertThat(condition("locked", "Stalled")).isEqualTo("True/SchemaPermissionDenied");
    });
    assertThat(status("locked").condition("SchemaReady").orElseThrow().getMessage())
        .contains("permission denied for schema public").contains("GRANT CREATE ON SCHEMA public TO lowly");
    assertThat(events("locked")).anySatisfy(e -> assertThat(e).startsWith("SchemaFailed:"));
    assertThat(tableCount("public")).isZero();

    try (Connection sql = fixture.postgres.connect(); Statement statement = sql.createStatement()) {
      statement.execute("GRANT CREATE ON SCHEMA public TO lowly");
    }
    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(condition("locked", "SchemaReady")).isEqualTo("True/SchemaCurrent");
      assertThat(condition("locked", "Ready")).isEqualTo("True/Connected");
    });
    assertThat(tableCount("public")).isEqualTo(10);
  }

  private static void pipeline(String name, String secret, String schema, String... topics) {
    String yaml = String.join("\n",
        "apiVersion: reducer.io/v1alpha1",
        "kind: ReducerPipeline",
        "metadata:",
        "  name: " + name,
        "  namespace: " + NAMESPACE,
        "spec:",
        "  kafka:",
        "    bootstrapServers: " + fixture.kafka.bootstrapServers(),
        "  topics:",
        String.join("\n", topics),
        "  postgres:",
        "    host: 127.0.0.1",
        "    port: " + fixture.postgres.port(),
        "    database: postgres",
        "    schema: " + schema,
        "    sslMode: disable",
        "    credentials: {secretName: " + secret + ", usernameKey: username, passwordKey: password}");
    fixture.client.resources(ReducerPipeline.class).inNamespace(NAMESPACE)
        .resource(YAML.unmarshal(yaml, ReducerPipeline.class)).create();
  }

  private static ReducerPipelineStatus status(String pipeline) {
    ReducerPipelineStatus status = fixture.getPipeline(pipeline).getStatus();
    assertThat(status).isNotNull();
    return status;
  }

  private static String condition(String pipeline, String type) {
    ReducerPipelineStatus status = fixture.getPipeline(pipeline).getStatus();
    return status == null ? null
        : status.condition(type).map(c -> c.getStatus() + "/" + c.getReason()).orElse(null);
  }

  private static int partitions(String topic) throws Exception {
    TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    return description.partitions().size();
  }

  private static Map<String, String> overrides(String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
    return config.entries().stream()
        .filter(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
        .collect(Collectors.toMap(e -> e.name(), e -> e.value()));
  }

  /** Tables of the canonical store in the schema, each counted once per pg_class row. */
  private static int tableCount(String schema) throws SQLException {
    try (Connection sql = fixture.postgres.connect();
        var statement = sql.prepareStatement("SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = ? "
            + "AND tablename = ANY(?)")) {
      statement.setString(1, schema);
      statement.setArray(2, sql.createArrayOf("text", CanonicalSchema.TABLES.toArray()));
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  private static List<Integer> versions(String schema) throws SQLException {
    try (Connection sql = fixture.postgres.connect(); Statement statement = sql.createStatement();
        ResultSet rows = statement.executeQuery("SELECT version FROM " + schema + ".reducer_schema_version")) {
      List<Integer> versions = new ArrayList<>();
      while (rows.next()) {
        versions.add(rows.getInt(1));
      }
      return versions;
    }
  }

  private static List<Event> eventObjects(String involved) {
    return fixture.client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> involved.equals(e.getInvolvedObject().getName())).toList();
  }

  private static List<String> events(String involved) {
    return eventObjects(involved).stream().map(e -> e.getReason() + ": " + e.getMessage()).toList();
  }
}
