package io.reducer.workloads.materializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reducer.workloads.cli.ConfigException;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class MaterializerConfigTest {

  private static final Map<String, String> ENV = Map.of(
      "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
      "MATERIALIZER_TOPIC", "state-committed",
      "MATERIALIZER_DLQ_TOPIC", "state-committed.dlq",
      "MATERIALIZER_JDBC_URL", "jdbc:postgresql://db:5432/app",
      "PGUSER", "app",
      "PGPASSWORD", "secret");

  @Test
  void environmentFallbacksAndDefaults() throws Exception {
    MaterializerConfig config = MaterializerConfig.parse(List.of(), ENV);
    assertThat(config.topic()).isEqualTo("state-committed");
    assertThat(config.table()).isEqualTo("workflow_projection");
    assertThat(config.schema()).isEqualTo("public");
    assertThat(config.projection()).isEqualTo("workflow_projection");
    assertThat(config.group()).isEqualTo("reducer.default.workflow_projection");
    assertThat(config.maxRecords()).isEqualTo(500);
    assertThat(config.pollTimeoutMs()).isEqualTo(100);
    assertThat(config.sessionTimeoutMs()).isEqualTo(10_000);
    assertThat(config.groupInstanceId()).isEmpty();
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.writers()).isEqualTo(2);
    assertThat(config.dbPassword()).isEqualTo("secret");
    assertThat(config.toString()).doesNotContain("secret");
  }

  /** A shadow rebuild runs an ordinary materializer on the shadow table, under the shadow identity and group. */
  @Test
  void aShadowMaterializerTakesTheShadowTableIdentityAndGroup() throws Exception {
    String projection = "p".repeat(ShadowNames.MAX_PROJECTION_LENGTH);
    MaterializerConfig config = MaterializerConfig.parse(List.of(
        "--table", ShadowNames.shadowTable("workflow_projection", "r1"),
        "--projection", ShadowNames.shadowProjection(projection, "r1"),
        "--group", ShadowNames.shadowGroup(projection, "r1")), ENV);
    assertThat(config.table()).isEqualTo("workflow_projection_shadow_r1");
    assertThat(config.projection()).isEqualTo(projection + "#shadow-r1");
    assertThat(config.group()).isEqualTo("reducer-materializer-" + projection + "-shadow-r1");
    assertThatThrownBy(() -> MaterializerConfig.parse(List.of("--projection", projection + "pp"), ENV))
        .isInstanceOf(ConfigException.class).hasMessageContaining("longer than 253");
  }

  /** Exactly once ends at the reader: a read_uncommitted consumer would also see aborted replay transactions. */
  @Test
  void consumerReadsCommittedRecordsOnly() throws Exception {
    Map<String, Object> properties = Materializer.consumerProperties(MaterializerConfig.parse(List.of(), ENV));
    assertThat(properties).containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
  }

  /** The operating system's receive buffer: with the client's 64 KiB, fetches stalled for 200 ms at 50,000/s. */
  @Test
  void consumerLeavesTheReceiveBufferToTheOperatingSystem() throws Exception {
    assertThat(Materializer.consumerProperties(MaterializerConfig.parse(List.of(), ENV)))
        .containsEntry(ConsumerConfig.RECEIVE_BUFFER_CONFIG, -1);
  }

  /**
   * The fetch wait paces the loop, not the broker: the consumer keeps Kafka's long poll (answer on the first record,
   * else after 500 ms), so an idle materializer does not send the broker a fetch every few ms.
   */
  @Test
  void theFetchWaitPacesTheLoopAndLeavesKafkasLongPoll() throws Exception {
    Map<String, String> env = new java.util.HashMap<>(ENV);
    env.put("MATERIALIZER_FETCH_WAIT_MS", "40");
    assertThat(MaterializerConfig.parse(List.of(), ENV).fetchWaitMs()).isEqualTo(5);
    assertThat(MaterializerConfig.parse(List.of(), env).fetchWaitMs()).isEqualTo(40);
    assertThat(MaterializerConfig.parse(List.of("--fetch-wait-ms", "0"), env).fetchWaitMs()).isZero();
    for (MaterializerConfig config : List.of(MaterializerConfig.parse(List.of(), ENV),
        MaterializerConfig.parse(List.of(), env))) {
      assertThat(Materializer.consumerProperties(config))
          .doesNotContainKeys(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG);
    }
    assertThatThrownBy(() -> MaterializerConfig.parse(List.of("--fetch-wait-ms", "501"), ENV))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--fetch-wait-ms");
  }

  /** A pod's name makes the materializer a static member, so a container restarted in place keeps its partitions. */
  @Test
  void aGroupInstanceIdMakesAStaticMember() throws Exception {
    assertThat(Materializer.consumerProperties(MaterializerConfig.parse(List.of(), ENV)))
        .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    Map<String, String> env = new java.util.HashMap<>(ENV);
    env.put("MATERIALIZER_GROUP_INSTANCE_ID", "orders-materializer-5f7c9-x2kq");
    Map<String, Object> properties = Materializer.consumerProperties(MaterializerConfig.parse(List.of(), env));
    assertThat(properties).containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "orders-materializer-5f7c9-x2kq")
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    assertThatThrownBy(() -> MaterializerConfig.parse(List.of("--group-instance-id", "a b"), ENV))
        .isInstanceOf(ConfigException.class).hasMessageContaining("MATERIALIZER_GROUP_INSTANCE_ID");
  }

  @Test
  void flagsWinOverEnvironment() throws Exception {
    MaterializerConfig config = MaterializerConfig.parse(
        List.of("--topic", "other", "--table=orders_view", "--max-records", "50", "--http-port", "0", "--writers", "1"),
        ENV);
    assertThat(config.topic()).isEqualTo("other");
    assertThat(config.table()).isEqualTo("orders_view");
    assertThat(config.maxRecords()).isEqualTo(50);
    assertThat(config.httpPort()).isZero();
    assertThat(config.writers()).isEqualTo(1);
  }

  @Test
  void badValuesNameTheFix() {
    assertThatThrownBy(() -> MaterializerConfig.parse(List.of("--writers", "9"), ENV))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--writers");
    assertThatThrownBy(() -> MaterializerConfig.parse(List.of("--table", "Robert\"; DROP TABLE x; --"), ENV))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--table").hasMessageContaining("^[a-z_]");
    assertThatThrownBy(() -> MaterializerConfig.parse(List.of("--table", "a".repeat(64)), ENV))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> MaterializerConfig.parse(List.of(), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS");
    assertThatThrownBy(() -> MaterializerConfig.parse(List.of("--password", "x"), ENV))
        .isInstanceOf(ConfigException.class).hasMessageContaining("PGPASSWORD");
    assertThatThrownBy(() -> MaterializerConfig.parse(List.of("--max-records", "many"), ENV))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--max-records");
    assertThatThrownBy(() -> MaterializerConfig.parse(List.of("--dlq-topic", "state-committed"), ENV))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--dlq-topic");
    assertThatThrownBy(() -> MaterializerConfig.parse(List.of("--bogus", "1"), ENV))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--bogus");
  }

  @Test
  void identifiersAreQuotedOnlyWhenValid() {
    assertThat(Identifiers.qualified("public", "workflow_projection")).isEqualTo("\"public\".\"workflow_projection\"");
    assertThatThrownBy(() -> Identifiers.quote("a\"b")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Identifiers.isValid("_x9")).isTrue();
    assertThat(Identifiers.isValid("9x")).isFalse();
  }

  @Test
  void aMaterializerNeverWritesIntoTheCanonicalStore() {
    for (String table : ReservedTables.NAMES) {
      assertThatThrownBy(() -> MaterializerConfig.parse(List.of("--table", table), ENV))
          .isInstanceOf(ConfigException.class).hasMessageContaining("names a table of the canonical store");
    }
    assertThat(ReservedTables.NAMES).contains("workflow_state", "workflow_state_history", "projection_watermarks",
        "projection_tables").doesNotContain("workflow_projection");
  }

  @Test
  void theNamespaceKeysTheWatermarksAndDefaultsToKubectlsDefault() throws Exception {
    MaterializerConfig byHand = MaterializerConfig.parse(List.of(), ENV);
    assertThat(byHand.namespace()).isEqualTo("default");
    assertThat(byHand.owner()).isEqualTo(TableOwner.of("default", "workflow_projection", ""));

    Map<String, String> env = new java.util.HashMap<>(ENV);
    env.put("MATERIALIZER_NAMESPACE", "orders");
    env.put("MATERIALIZER_PROJECTION_UID", "0d6c");
    MaterializerConfig operator = MaterializerConfig.parse(List.of("--projection", "wp"), env);
    assertThat(operator.owner()).isEqualTo(TableOwner.of("orders", "wp", "0d6c"));
    assertThat(MaterializerConfig.parse(List.of("--namespace", "billing"), env).namespace()).isEqualTo("billing");
    assertThat(operator.toString()).contains("namespace=orders");

    assertThatThrownBy(() -> MaterializerConfig.parse(List.of("--namespace", "Orders_1"), ENV))
        .isInstanceOf(ConfigException.class).hasMessageContaining("invalid --namespace 'Orders_1'")
        .hasMessageContaining("MATERIALIZER_NAMESPACE");
  }
}
